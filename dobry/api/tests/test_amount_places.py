"""A sum or a measure sent to the API is kept with two decimals: one with a finer digit is
refused (422), never rounded by the database behind the service's checks — «0,001 ₽»
passed a budget vote's «cost more than zero» and was kept as an option costing 0.00."""

from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from dobry.api.fields import Amount

AMOUNT = TypeAdapter(Amount)


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("1,5", Decimal("1.5")),
        ("12 500,50", Decimal("12500.50")),
        ("1.500", Decimal("1.500")),
        (0.25, Decimal("0.25")),
        (10**6, Decimal(10**6)),
        ("0", Decimal(0)),
    ],
)
def test_two_decimals_and_trailing_zeros_are_taken(sent, kept):
    assert AMOUNT.validate_python(sent) == kept


@pytest.mark.parametrize("sent", ["0.001", "12,345", 0.004, "-1.005", "100000000.0000001"])
def test_a_digit_past_the_second_decimal_is_refused(sent):
    with pytest.raises(ValidationError, match="двух знаков"):
        AMOUNT.validate_python(sent)
