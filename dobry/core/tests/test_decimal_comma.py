"""One reading of typed numbers (`request_values.parse_decimal`) for the forms'
`DecimalField` and the API's `Amount`: «1,5» is one and a half in both, whatever is refused
in one is refused in the other."""

import json
import re
from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from dobry.api.fields import Amount
from dobry.core.request_values import parse_decimal
from dobry.helprequests.forms import ReportForm

READ = [
    ("1,5", Decimal("1.5")),
    ("1.5", Decimal("1.5")),
    (" 2,25 ", Decimal("2.25")),
    ("12 500,50", Decimal("12500.50")),
    ("12\u00a0500", Decimal("12500")),
    (",5", Decimal("0.5")),
    ("-3", Decimal("-3")),
]
REFUSED = ["", "1,2,3", "1,234.5", "1e3", "NaN", "Infinity", "١,٥", "½", "1,5 ч", "-"]


@pytest.mark.parametrize(("text", "number"), READ)
def test_numbers_as_people_type_them(text, number):
    assert parse_decimal(text) == number
    assert TypeAdapter(Amount).validate_python(text) == number


@pytest.mark.parametrize("text", REFUSED)
def test_what_is_not_a_number_is_refused_by_both(text):
    with pytest.raises(ValueError, match=f"^{re.escape(text)}$"):
        parse_decimal(text)
    with pytest.raises(ValidationError):
        TypeAdapter(Amount).validate_python(text)


def test_a_json_number_is_read_as_before():
    assert TypeAdapter(Amount).validate_python(1.5) == Decimal("1.5")
    assert TypeAdapter(Amount).validate_python(2) == Decimal("2")


@pytest.mark.parametrize("hours", ["1,5", "1.5"])
def test_the_report_form_reads_a_decimal_comma(hours):
    form = ReportForm({"text": "Привёз продукты", "hours": hours})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["hours"] == Decimal("1.5")


def test_the_report_form_refuses_what_the_api_refuses():
    form = ReportForm({"text": "Привёз продукты", "hours": "1,234.5"})
    assert not form.is_valid()
    assert form.errors["hours"] == ["Введите число."]


@pytest.mark.django_db
def test_the_api_report_reads_a_decimal_comma(coordinator, resident, city_daytime):
    from dobry.helprequests.tests.test_api import _assigned_request, bearer

    request, helper = _assigned_request(coordinator, resident)
    response = bearer(helper).post(
        f"/api/v1/help-requests/{request.pk}/report",
        json.dumps({"text": "Привёз продукты", "hours": "1,5"}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["hours"] == "1.50"
    wrong = bearer(helper).post(
        f"/api/v1/help-requests/{request.pk}/report",
        json.dumps({"text": "Привёз продукты", "hours": "полтора"}),
        content_type="application/json",
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"] == {"hours": ["Нужно число."]}
