"""Campaign codes are found in payment purposes however the bank or the donor wrote them."""

import pytest

from dobry.charity.codes import FoundCode, campaign_code, find_code, new_donor_code


@pytest.mark.parametrize(
    ("purpose", "found"),
    [
        ("Пожертвование DG-12. Без НДС", FoundCode("DG-12")),
        ("пожертвование dg 12", FoundCode("DG-12")),
        ("DG12", FoundCode("DG-12")),
        ("Перевод по QR. Пожертвование, DG-7-K7QX", FoundCode("DG-7", "DG-7-K7QX")),
        ("DG-7-k7qx на лечение", FoundCode("DG-7", "DG-7-K7QX")),
        ("DG-007", FoundCode("DG-7")),
    ],
)
def test_codes_found(purpose, found):
    assert find_code(purpose) == found


@pytest.mark.parametrize(
    "purpose",
    ["", "Оплата по счёту 12", "ADG-12", "DG-", "DG-12345678901", "SDG12X"],
)
def test_no_code(purpose):
    assert find_code(purpose) is None


def test_a_donor_part_with_confusable_letters_is_not_a_donor_code():
    # «O» and «0» are not in the alphabet: the campaign is still found, the donor part not
    assert find_code("DG-7-K0QX") == FoundCode("DG-7")


def test_new_donor_codes_read_back():
    code = new_donor_code(31)
    assert code.startswith(campaign_code(31) + "-")
    assert find_code(f"Пожертвование {code}") == FoundCode("DG-31", code)
