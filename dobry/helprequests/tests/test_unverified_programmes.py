"""A returned (unverified) organisation's programmes leave the catalogue and the routing,
and its staff lose the requests already routed to it until it is verified again — page and
API alike (`ProgrammeQuerySet.of_verified`, `permissions.staff_of_verified`)."""

import json

import pytest

from dobry.accounts.tests.factories import UserFactory
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.tests.factories import HelpRequestFactory, ProgrammeFactory
from dobry.organizations.models import Membership
from dobry.organizations.services import organization_return
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
S = HelpRequest.Status


@pytest.fixture
def programme():
    return ProgrammeFactory(name="Продукты на дом")


@pytest.fixture
def staff(programme):
    person = UserFactory(email="nko@example.org")
    MembershipFactory(organization=programme.organization, user=person, role=Membership.Role.EDITOR)
    return person


def returned(programme, coordinator):
    organization_return(actor=coordinator, organization=programme.organization, reason="Нет устава")


def test_a_returned_organisations_programme_leaves_the_catalogue(client, programme, coordinator):
    returned(programme, coordinator)
    assert client.get("/api/v1/programmes").json()["items"] == []
    page = client.get("/help/programmes/")
    assert page.status_code == 200
    assert "Продукты на дом" not in page.content.decode()


def test_a_verified_organisations_programme_is_listed(client, programme):
    names = [p["name"] for p in client.get("/api/v1/programmes").json()["items"]]
    assert names == ["Продукты на дом"]


def test_routing_to_a_returned_organisations_programme_is_refused(
    client, programme, coordinator, resident
):
    returned(programme, coordinator)
    help_request = HelpRequestFactory(requester=resident, status=S.VERIFIED)
    client.force_login(coordinator)
    response = client.post(
        f"/api/v1/help-requests/{help_request.pk}/route",
        json.dumps({"programme": programme.pk}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["message"] == (
        "Организация этой программы не проверена: просьбы ей не передаются."
    )
    assert response.json()["errors"] == {
        "programme": ["Выберите программу проверенной организации."]
    }
    help_request.refresh_from_db()
    assert (help_request.programme_id, help_request.status) == (None, S.VERIFIED)


def test_staff_of_a_returned_organisation_lose_routed_requests(
    client, programme, staff, coordinator, resident
):
    help_request = HelpRequestFactory(requester=resident, status=S.WAITING, programme=programme)
    client.force_login(staff)
    read = client.post(f"/api/v1/help-requests/{help_request.pk}/private")
    assert read.json()["private"] is not None
    returned(programme, coordinator)
    assert client.get(f"/api/v1/help-requests/{help_request.pk}").status_code == 404
    assert client.get(f"/help/{help_request.pk}/").status_code == 404
    move = client.post(
        f"/api/v1/help-requests/{help_request.pk}/transition",
        json.dumps({"to": "waiting", "reason": "?"}),
        content_type="application/json",
    )
    assert move.status_code == 403


def test_staff_of_a_returned_organisation_see_no_private_data_of_a_public_request(
    client, programme, staff, coordinator, resident
):
    help_request = HelpRequestFactory(requester=resident, status=S.MATCHING, programme=programme)
    returned(programme, coordinator)
    client.force_login(staff)
    body = client.get(f"/api/v1/help-requests/{help_request.pk}").json()
    assert body["private"] is None
    mine = client.get("/help/mine/")
    assert mine.status_code == 200
    assert help_request.summary not in mine.content.decode()


def test_a_returned_organisations_programme_is_not_counted_in_the_kpi(programme, coordinator):
    from dobry.core.clock import local_today
    from dobry.reports.indicators import programmes_per_period
    from dobry.reports.periods import Period

    today = local_today()
    period = Period(today.replace(month=1, day=1), today)
    assert programmes_per_period([period])[0].value == 1
    returned(programme, coordinator)
    assert programmes_per_period([period])[0].value == 0
