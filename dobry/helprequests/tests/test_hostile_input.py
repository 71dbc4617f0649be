"""Issue 11 §2 examples in help requests: each bad value is a clear 4xx naming the field."""

import pytest

from dobry.core.models import District
from dobry.helprequests.models import HelpOffer, HelpRequest
from dobry.helprequests.tests.factories import HelpRequestFactory, ProgrammeFactory
from dobry.helprequests.tests.test_api import PAYLOAD, bearer
from dobry.helprequests.tests.test_views import FORM

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["²", "٣", "1" * 30])
def test_the_programme_catalogue_refuses_a_district_in_odd_digits(client, value):
    ProgrammeFactory()
    response = client.get("/help/programmes/", {"district": value})
    assert response.status_code == 400
    assert "Параметр «district»" in response.content.decode()


def test_the_programme_catalogue_still_filters_by_a_plain_district(client):
    ProgrammeFactory(name="Продукты на дом")
    north = District.objects.create(name="Северный", slug="north")
    response = client.get("/help/programmes/", {"district": str(north.pk)})
    assert response.status_code == 200


def test_the_programme_catalogue_refuses_a_district_that_does_not_exist(client):
    ProgrammeFactory(name="Продукты на дом")
    response = client.get("/help/programmes/", {"district": "999"})
    assert response.status_code == 400
    assert "Параметр «district»" in response.content.decode()


@pytest.mark.parametrize("value", ["²", "٣", "1" * 30])
def test_offering_a_request_to_a_volunteer_in_odd_digits_is_a_400(login_as, coordinator, value):
    help_request = HelpRequestFactory(status=HelpRequest.Status.MATCHING)
    response = login_as(coordinator).post(f"/help/{help_request.pk}/offer/", {"volunteer": value})
    assert response.status_code == 400
    assert "«volunteer»" in response.content.decode()
    assert not HelpOffer.objects.exists()


def test_a_request_wanted_from_year_1_is_a_form_error(login_as, resident):
    response = login_as(resident).post(
        "/help/new/", {**FORM, "asap": "", "wanted_from": "0001-01-01T10:00"}
    )
    assert response.status_code == 200
    assert "Дата должна быть между 01.01.1990 и 31.12.2100." in response.content.decode()
    assert not HelpRequest.objects.exists()


@pytest.mark.parametrize("moment", ["0001-01-01T10:00:00", "9999-12-31T10:00:00"])
def test_the_api_refuses_a_request_wanted_at_the_edges_of_time(resident, moment):
    response = bearer(resident).post(
        "/api/v1/help-requests",
        {**PAYLOAD, "asap": False, "wanted_from": moment},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["wanted_from"]
    assert not HelpRequest.objects.exists()


def test_the_day_plan_refuses_a_day_in_year_1(login_as, coordinator):
    response = login_as(coordinator).get("/help/batch/", {"day": "0001-01-01"})
    assert response.status_code == 400
    assert "«day»" in response.content.decode()
