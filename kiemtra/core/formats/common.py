"""The date formats of every language of the product: dd/mm/yyyy, 24-hour clock, week from Monday.

Django's own English formats would show "Dec. 7, 2026" and read 12/07/2026 as
12 July; an official switching the interface to English still reads Vietnamese
dates. Numbers keep each language's own separators.
"""

from kiemtra.core.widgets import DATE_INPUT_FORMATS as DATE_INPUT_FORMATS
from kiemtra.core.widgets import DATETIME_INPUT_FORMATS as DATETIME_INPUT_FORMATS

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "d/m"
YEAR_MONTH_FORMAT = "m/Y"
FIRST_DAY_OF_WEEK = 1
