"""Password rules with Vietnamese messages, and a similarity check that understands Vietnamese names.

Django's own similarity check compares the password with ``username``, ``first_name`` and
``last_name`` — fields this account model does not have — and compares accented text as is, so
"NguyenVanThu2025" passed for Nguyễn Văn Thử. Here the name and the identifier code are folded
(diacritics and "đ" removed) before comparing (issue 8.10).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

from django.contrib.auth import password_validation as django_rules
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext as _

from kiemtra.core.text import fold

# A part of a name or identifier this long, found inside the password, is too close to it.
CONTAINED_PART = 4


def _squash(text: str) -> str:
    """Folded, lowercased, letters and digits only: 'Nguyễn Văn Thử' → 'nguyenvanthu'."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


class VietnameseSimilarityValidator:
    """The password must not resemble the holder's name, identifier code or e-mail, accents or not."""

    def __init__(
        self, user_attributes: tuple[str, ...] = ("identifier_code", "full_name", "email"), max_similarity: float = 0.7
    ) -> None:
        self.user_attributes = user_attributes
        self.max_similarity = max_similarity

    def _too_close(self, password: str, part: str) -> bool:
        if len(part) >= CONTAINED_PART and part in password:
            return True
        if django_rules.exceeds_maximum_length_ratio(password, self.max_similarity, part):  # type: ignore[attr-defined]
            return False
        return SequenceMatcher(a=password, b=part).quick_ratio() >= self.max_similarity

    def validate(self, password: str, user: Any = None) -> None:
        if not user:
            return
        squashed = _squash(password)
        for attribute in self.user_attributes:
            value = getattr(user, attribute, None)
            if not value or not isinstance(value, str):
                continue
            parts = [p for p in re.split(r"[^a-z0-9]+", fold(value)) if len(p) >= 3] + [_squash(value)]
            if any(self._too_close(squashed, part) for part in parts if part):
                try:
                    label = str(user._meta.get_field(attribute).verbose_name)
                except FieldDoesNotExist:
                    label = attribute
                raise ValidationError(
                    _("Mật khẩu quá giống %(field)s của tài khoản.") % {"field": label},
                    code="password_too_similar",
                )

    def get_help_text(self) -> str:
        return _("Mật khẩu không được giống họ tên, mã định danh hay thư điện tử (kể cả khi bỏ dấu).")


class MinimumLengthValidator(django_rules.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return _("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return _("Mật khẩu có ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}


class CommonPasswordValidator(django_rules.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _("Mật khẩu này quá phổ biến, dễ bị đoán.")

    def get_help_text(self) -> str:
        return _("Mật khẩu không được là mật khẩu phổ biến.")


class NumericPasswordValidator(django_rules.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _("Mật khẩu không được chỉ gồm chữ số.")

    def get_help_text(self) -> str:
        return _("Mật khẩu không được chỉ gồm chữ số.")
