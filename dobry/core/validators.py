"""Validators of what people type: Russian identifiers (ИНН, ОГРН/ОГРНИП check digits),
phone numbers, the characters a text may hold, and the dates of plans and facts."""

import re
import unicodedata
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dobry.core.clock import local_date, local_today
from dobry.core.errors import DomainError
from dobry.core.request_values import (
    FIRST_DATE,
    LAST_DATE,
    date_range_error,
    has_only_ascii_digits,
)

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


# Characters no text the platform keeps may hold (issue 11): the C0 controls except tab,
# newline and carriage return (NUL among them — PostgreSQL text cannot hold it, and XML 1.0,
# so RSS/Atom, XLSX and DOCX, forbids the rest), DEL, and the bidirectional embeddings,
# overrides and isolates that make a text read otherwise than it is stored («Trojan
# Source», CVE-2021-42574), the Arabic letter mark U+061C (a bidi control too), the
# zero-width characters used to make two names look alike (U+200B–U+200D, U+2060, U+FEFF)
# and the Unicode noncharacters (U+FDD0–U+FDEF and the last two code points of every plane,
# U+FFFE, U+FFFF, U+1FFFE … U+10FFFF: Unicode §23.7, never interchanged). Forms
# (`refuse_forbidden_characters`, on every `CharField`), the API and query strings
# (`core.middleware.RequestValuesMiddleware`) refuse them; files people upload have them
# removed (`strip_forbidden_characters`, `core.documents`).
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
)
FORBIDDEN_TEXT_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u061c\u200b-\u200d\u202a-\u202e\u2060\u2066-\u2069\ufeff"
    + _NONCHARACTERS
    + "]"
)


def forbidden_character(text: str) -> str | None:
    """The first character of `text` the platform does not keep, or None."""
    found = FORBIDDEN_TEXT_CHARACTERS.search(text)
    return found.group() if found else None


def character_code(character: str) -> str:
    """«U+000B»: how a message names an invisible character."""
    return f"U+{ord(character):04X}"


def forbidden_character_message(character: str) -> str:
    """The sentence that refuses `character` (NUL keeps its own, older wording)."""
    if character == "\x00":
        return str(_("недопустимый символ NUL (\\0)."))
    return str(
        _("недопустимый невидимый управляющий символ %(code)s: удалите его.")
        % {"code": character_code(character)}
    )


def refuse_forbidden_characters(value: object) -> None:
    """A form field's validator: raises ValidationError (code `forbidden_character`) naming
    the first forbidden character other than NUL — NUL is refused by Django's own
    `ProhibitNullCharactersValidator` on the same field."""
    if not isinstance(value, str):
        return
    character = forbidden_character(value.replace("\x00", ""))
    if character is not None:
        message = _("Текст содержит недопустимый невидимый символ %(code)s: удалите его.")
        raise ValidationError(
            message, code="forbidden_character", params={"code": character_code(character)}
        )


# A line break in a one-line text (a name, a title, a place: every model `CharField`, every
# form `CharField` not shown as a textarea) turns into a header or a calendar property once
# the text goes into an email subject, an .ics line or a CSV row («Организация\nBcc: …»,
# «Место\r\nX-INJECT:1»): refused at the field (issue 11). Multi-line text is a `TextField`.
LINE_BREAKS = re.compile("[\r\n\x85\u2028\u2029]")


def refuse_line_breaks(value: object) -> None:
    """A one-line field's validator: raises ValidationError (code `line_break`) when
    `value` holds a line break (CR, LF, NEL, U+2028, U+2029)."""
    if isinstance(value, str) and LINE_BREAKS.search(value):
        raise ValidationError(
            _("Это поле — одна строка: уберите перенос строки."), code="line_break"
        )


# A person's name (first name, last name, patronymic — of an account, a recipient of help,
# a commission member): letters of any script, spaces, hyphens, apostrophes and dots, with
# at least one letter («Анна-Мария», «О'Брайен», «Д'Артаньян», «Иванова М. И.»). Refuses
# digits, formulas («=HYPERLINK(…)»), markup and superscripts («²²²»), which then reach
# exports (DOBRO.RF CSV, attendance XLSX) and emails.
_NAME_MARKS = frozenset(" .'’ʼ-‐–")


def is_person_name(value: str) -> bool:
    """Letters (Unicode category L, with combining marks M) and `_NAME_MARKS` only, one
    letter at least: «²» is a number (No), «<», «=», «(» are symbols or punctuation."""
    categories = [unicodedata.category(character)[0] for character in value]
    return "L" in categories and all(
        kind in "LM" or character in _NAME_MARKS
        for character, kind in zip(value, categories, strict=True)
    )


def validate_person_name(value: str) -> None:
    """A model field's validator for a person's name (forms and the API's `full_clean`)."""
    if value and not is_person_name(value):
        raise ValidationError(
            _(
                "Имя может состоять только из букв, пробелов, дефисов, апострофов и точек "
                "и должно содержать хотя бы одну букву."
            ),
            code="person_name",
        )


def strip_forbidden_characters(text: str) -> str:
    """`text` without the characters the platform does not keep (read from a file)."""
    return FORBIDDEN_TEXT_CHARACTERS.sub("", text)


# Dates people give, one rule per kind (issue 11). A plan (an event's occurrence, a booking,
# a shift) is not in the past and not past `LAST_DATE`; a fact (support given, hours worked)
# is not in the future and not before `FIRST_DATE` (or a later `earliest` a rule sets). «Past»
# and «future» are on the city's clock (`core.clock.local_today`). Services call
# `require_plan_date`/`require_fact_date` (DomainError at the field); form fields may use
# `validate_fact_date` (ValidationError).


def plan_date_error(day: date, *, today: date | None = None) -> str | None:
    """The refusal of `day` as a plan (from today to `LAST_DATE`), or None."""
    today = today or local_today()
    if day < today:
        return str(_("Дата не может быть в прошлом."))
    return date_range_error(day, first=min(today, LAST_DATE))


def fact_date_error(
    day: date, *, earliest: date = FIRST_DATE, today: date | None = None
) -> str | None:
    """The refusal of `day` as a fact (from `earliest` to today), or None."""
    today = today or local_today()
    if day > today:
        return str(_("Дата не может быть в будущем."))
    if day < earliest:
        return str(
            _("Дата должна быть не раньше %(first)s.") % {"first": earliest.strftime("%d.%m.%Y")}
        )
    return None


def require_plan_date(day: date, *, field: str) -> None:
    """Raises DomainError at `field` for a plan's date that `plan_date_error` refuses."""
    message = plan_date_error(day)
    if message:
        raise DomainError(message, field_errors={field: [message]})


# A moment typed to the minute (a datetime-local field) for «now» is up to a minute old.
PLAN_MOMENT_GRACE = timedelta(minutes=1)


def plan_moment_error(moment: datetime, *, now: datetime | None = None) -> str | None:
    """The refusal of an aware `moment` as a plan (a mailing's time): not before now (less
    `PLAN_MOMENT_GRACE`), its city date within `plan_date_error`'s range; or None."""
    now = now or timezone.now()
    if moment < now - PLAN_MOMENT_GRACE:
        return str(_("Время не может быть в прошлом."))
    return plan_date_error(local_date(moment), today=local_date(now))


def require_plan_moment(moment: datetime, *, field: str) -> None:
    """Raises DomainError at `field` for a plan's moment that `plan_moment_error` refuses."""
    message = plan_moment_error(moment)
    if message:
        raise DomainError(message, field_errors={field: [message]})


def require_fact_date(day: date, *, field: str, earliest: date = FIRST_DATE) -> None:
    """Raises DomainError at `field` for a fact's date that `fact_date_error` refuses."""
    message = fact_date_error(day, earliest=earliest)
    if message:
        raise DomainError(message, field_errors={field: [message]})


def validate_fact_date(value: date) -> None:
    """A form field's validator for a fact's date (a datetime by its city date)."""
    day = local_date(value) if isinstance(value, datetime) else value
    message = fact_date_error(day)
    if message:
        raise ValidationError(message, code="fact_date")


# Bank details (Bank of Russia). A БИК is 9 digits and starts with the country code 04; a
# КПП is 4 digits of the tax office, 2 of the reason (digits or capital Latin letters since
# 2019, ФНС order ЕД-7-14/617@) and 3 digits; an account number is 20 digits whose control
# key (digit 9) is checked together with the БИК by the Bank of Russia method (Положение
# Банка России № 579-П, приложение «Порядок расчёта контрольного ключа»): weights 7, 1, 3
# repeated over 23 digits, the sum's last digit must be 0.
_BIC = re.compile(r"04[0-9]{7}")
_KPP = re.compile(r"[0-9]{4}[0-9A-Z]{2}[0-9]{3}")
_ACCOUNT = re.compile(r"[0-9]{20}")
_ACCOUNT_KEY_WEIGHTS = (7, 1, 3) * 8


def is_valid_bic(value: str) -> bool:
    return _BIC.fullmatch(value) is not None


def is_valid_kpp(value: str) -> bool:
    return _KPP.fullmatch(value) is not None


def _account_key_ok(prefix: str, account: str) -> bool:
    digits = prefix + account
    return sum(int(d) * w for d, w in zip(digits, _ACCOUNT_KEY_WEIGHTS, strict=False)) % 10 == 0


def is_valid_settlement_account(account: str, bic: str) -> bool:
    """A 20-digit account opened in the bank with this БИК (расчётный счёт).

    The key is computed over the БИК's last three digits followed by the account.
    """
    if not (_ACCOUNT.fullmatch(account) and is_valid_bic(bic)):
        return False
    return _account_key_ok(bic[-3:], account)


def is_valid_correspondent_account(account: str, bic: str) -> bool:
    """The bank's correspondent account with the Bank of Russia (корр. счёт, 30101…).

    It starts with 30101, ends with the БИК's last three digits, and its key is computed
    over «0» and the БИК's fifth and sixth digits followed by the account.
    """
    if not (_ACCOUNT.fullmatch(account) and is_valid_bic(bic)):
        return False
    if not account.startswith("30101") or account[-3:] != bic[-3:]:
        return False
    return _account_key_ok("0" + bic[4:6], account)


def validate_bic(value: str) -> None:
    if not is_valid_bic(value):
        raise ValidationError(
            _("БИК должен состоять из 9 цифр и начинаться с 04."), code="invalid_bic"
        )


def validate_kpp(value: str) -> None:
    if not is_valid_kpp(value):
        raise ValidationError(
            _(
                "КПП должен состоять из 9 знаков: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры."
            ),
            code="invalid_kpp",
        )
