"""Issue 11 §2 examples in organisations: identifiers in odd digits are a form error."""

import pytest

from dobry.organizations.models import Organization
from dobry.organizations.tests.test_views import FORM

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value"), [("inn", "²²²²²²²²²²"), ("inn", "٣" * 10), ("ogrn", "²" * 13)]
)
def test_an_identifier_in_odd_digits_is_a_form_error_and_input_is_kept(
    login_as, resident, field, value
):
    response = login_as(resident).post("/organizations/new/", {**FORM, field: value})
    body = response.content.decode()
    assert response.status_code == 200
    assert "контрольной суммой" in body
    assert 'value="АНО «Тёплый дом»"' in body
    assert not Organization.objects.exists()


def test_a_phone_in_arabic_indic_digits_is_a_form_error(login_as, resident):
    response = login_as(resident).post("/organizations/new/", {**FORM, "phone": "٣" * 11})
    assert response.status_code == 200
    assert "Укажите номер телефона" in response.content.decode()
    assert not Organization.objects.exists()


def test_a_founding_date_before_1900_is_a_form_error(login_as, resident):
    response = login_as(resident).post("/organizations/new/", {**FORM, "founded_on": "0001-01-01"})
    assert response.status_code == 200
    assert "Дата должна быть между 01.01.1900 и 31.12.2100." in response.content.decode()
