import pytest
from django.core.exceptions import ValidationError

from dobry.core.validators import (
    forbidden_character,
    is_valid_inn,
    is_valid_ogrn,
    normalize_phone,
    strip_forbidden_characters,
)


@pytest.mark.parametrize(
    "inn",
    ["7707083893", "2452000017", "500100732259"],  # Сбербанк, a demo one, a valid personal ИНН
)
def test_valid_inn_is_accepted(inn):
    assert is_valid_inn(inn)


@pytest.mark.parametrize(
    "inn",
    ["7707083894", "2452000013", "770708389", "77070838930", "500100732258", "abcdefghij", ""],
)
def test_inn_with_wrong_check_digit_or_length_is_refused(inn):
    assert not is_valid_inn(inn)


@pytest.mark.parametrize("ogrn", ["1027700132195", "304500116000157"])
def test_valid_ogrn_and_ogrnip_are_accepted(ogrn):
    assert is_valid_ogrn(ogrn)


@pytest.mark.parametrize("ogrn", ["1027700132196", "304500116000158", "12345", "10277001321a5"])
def test_bad_ogrn_is_refused(ogrn):
    assert not is_valid_ogrn(ogrn)


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("8 (391) 975-00-00", "+73919750000"),
        ("+7 913 123 45 67", "+79131234567"),
        ("9131234567", "+79131234567"),
        ("7-913-123-45-67", "+79131234567"),
    ],
)
def test_phone_is_normalised_to_plus_seven(raw, normalized):
    assert normalize_phone(raw) == normalized


@pytest.mark.parametrize("raw", ["12345", "+1 555 123 4567 89", "телефон"])
def test_not_a_russian_phone_is_refused(raw):
    with pytest.raises(ValidationError):
        normalize_phone(raw)


@pytest.mark.parametrize(
    "text", ["\x00", "\x08", "\x0b", "\x0c", "\x1f", "\x7f", "\u202a", "\u202e", "\u2066", "\u2069"]
)
def test_controls_del_and_bidi_overrides_are_forbidden_in_text(text):
    assert forbidden_character(f"до{text}после") == text
    assert strip_forbidden_characters(f"до{text}после") == "допосле"


def test_tabs_line_breaks_and_ordinary_letters_are_text():
    text = "Имя\tФамилия\r\nעברית «ё» №"
    assert forbidden_character(text) is None
    assert strip_forbidden_characters(text) == text
