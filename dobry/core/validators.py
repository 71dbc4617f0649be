"""Validators of Russian identifiers: ИНН, ОГРН/ОГРНИП (check digits) and phone numbers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dobry.core.request_values import has_only_ascii_digits

_DIGITS = re.compile(r"[0-9]+")
_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check_digit(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def _ascii_digits(value: str) -> bool:
    # str.isdigit() is true for «²» and «٣», which int() refuses or reads as 3
    return _DIGITS.fullmatch(value) is not None


def is_valid_inn(value: str) -> bool:
    if not _ascii_digits(value):
        return False
    if len(value) == 10:
        return _check_digit(value, _INN10_WEIGHTS) == int(value[9])
    if len(value) == 12:
        return _check_digit(value, _INN12_WEIGHTS_11) == int(value[10]) and _check_digit(
            value, _INN12_WEIGHTS_12
        ) == int(value[11])
    return False


def is_valid_ogrn(value: str) -> bool:
    """ОГРН (13 digits, legal entities) or ОГРНИП (15 digits, individual entrepreneurs)."""
    if not _ascii_digits(value):
        return False
    if len(value) == 13:
        return int(value[:12]) % 11 % 10 == int(value[12])
    if len(value) == 15:
        return int(value[:14]) % 13 % 10 == int(value[14])
    return False


def validate_inn(value: str) -> None:
    if not is_valid_inn(value):
        raise ValidationError(
            _("ИНН должен состоять из 10 или 12 цифр с верной контрольной суммой."),
            code="invalid_inn",
        )


def validate_ogrn(value: str) -> None:
    if not is_valid_ogrn(value):
        raise ValidationError(
            _("ОГРН должен состоять из 13 (ОГРНИП — 15) цифр с верной контрольной суммой."),
            code="invalid_ogrn",
        )


def normalize_phone(value: str) -> str:
    """Bring a Russian phone number to +7XXXXXXXXXX; raise ValidationError if it is not one."""
    digits = re.sub(r"[^0-9]", "", value) if has_only_ascii_digits(value) else ""
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    if len(digits) != 10:
        raise ValidationError(
            _("Укажите номер телефона из 10 цифр, например +7 391 975-00-00."),
            code="invalid_phone",
        )
    return "+7" + digits
