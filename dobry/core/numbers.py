"""Numbers as people write them in Russian: 12, 4,5, 2,75 — with no trailing zeros, the
same whether the database returns 4.5 (SQLite) or 4.50 (PostgreSQL)."""

from decimal import Decimal

from django.utils import formats


def roubles(value: Decimal | float | int | None) -> str:
    """A sum in whole roubles as people write it: «1 234 567 ₽» (thousands grouped by a
    no-break space in Russian, by commas in English)."""
    whole = Decimal(str(value or 0)).quantize(Decimal("1"))
    return f"{formats.number_format(whole, 0, force_grouping=True)}\u00a0₽"


MONEY_PLACES = Decimal("0.01")


def money_text(value: Decimal | float | int | str) -> str:
    """A sum of money as data — the API and the open-data files: roubles with two decimals
    after a point, no grouping, never an exponent: 200000 → «200000.00», 0 → «0.00», 1.5 →
    «1.50» — the scale of the database's money columns, whatever the arithmetic gave
    (a sum started at 0 came out «0» beside «200000.00»)."""
    return f"{Decimal(str(value)).quantize(MONEY_PLACES):f}"


def exact_number(value: Decimal | float | int) -> str:
    """A number as its shortest exact decimal, with a point and never an exponent: 3.00 →
    «3», 4.50 → «4.5», 5E+3 → «5000» — one way for every number of an export, whatever
    scale the database or the arithmetic gave it (a target of 3.00 beside a value of 2)."""
    text = f"{Decimal(str(value)).normalize():f}"
    return "0" if text == "-0" else text


def plain_number(value: Decimal | float | int | None) -> str:
    """Hours and measures in a sentence: «2», «2,5», «2,75» in Russian, «2.5» in English —
    never «2.00». Every number put into a message goes through here or `amount`."""
    number = Decimal(str(value or 0)).quantize(Decimal("0.01"))
    return exact_number(number).replace(".", formats.get_format("DECIMAL_SEPARATOR"))


def amount(value: Decimal | float | int | str | None) -> str:
    """A sum in a sentence, thousands grouped and kopecks only when there are any:
    «150 000», «1 234,50» in Russian, «150,000» in English (the unit, ₽, stays in the
    text)."""
    number = Decimal(str(value or 0)).quantize(Decimal("0.01"))
    places = 0 if number == number.to_integral_value() else 2
    return formats.number_format(number, places, use_l10n=True, force_grouping=True)
