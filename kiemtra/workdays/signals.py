"""Sent after a change to the calendar is committed: a module recomputes the due dates that use it."""

from django.dispatch import Signal

calendar_changed = Signal()
