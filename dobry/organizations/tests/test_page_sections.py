"""An organisation's page lists its upcoming events (and links to its past ones) and its
programmes of help, exactly as the event list and the programme catalogue show them for
that organisation — through the same selectors, page and API alike; drafts and programmes
out of the catalogue only to those who keep them."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dobry.communications.tests.factories import organization_item
from dobry.events.models import Event
from dobry.events.selectors import ORGANIZATION_PAGE_EVENTS
from dobry.events.tests.factories import ShiftFactory
from dobry.helprequests.tests.factories import ProgrammeFactory
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _event(organization, title, *, days=3, status=Event.Status.PUBLISHED):
    shift = ShiftFactory(
        event__organization=organization,
        event__title=title,
        event__status=status,
        starts_at=timezone.now() + timedelta(days=days),
    )
    return shift.event


@pytest.fixture
def organization():
    organization = OrganizationFactory(name="АНО «Берег»")
    _event(organization, "Субботник на набережной", days=3)
    _event(organization, "Прошлый субботник", days=-30)
    _event(organization, "Черновик акции", status=Event.Status.DRAFT)
    _event(OrganizationFactory(), "Чужая акция")
    ProgrammeFactory(organization=organization, name="Продукты пожилым")
    ProgrammeFactory(organization=organization, name="Закрытая программа", ends_on=date(2025, 6, 1))
    ProgrammeFactory(name="Чужая программа")
    return organization


def _page(client, organization):
    response = client.get(f"/organizations/{organization.pk}/")
    assert response.status_code == 200
    return response


def _section(response, name):
    return next(s.context for s in response.context["sections"] if name in s.template)


def test_anonymous_visitor_sees_upcoming_events_and_running_programmes(client, organization):
    response = _page(client, organization)
    text = response.content.decode()
    assert "Субботник на набережной" in text
    assert "Продукты пожилым" in text
    for hidden in ("Черновик акции", "Прошлый субботник", "Чужая акция", "Закрытая программа"):
        assert hidden not in text
    assert f"/events/?organization={organization.pk}&amp;when=past" in text


def test_the_page_lists_what_the_event_list_and_the_api_show_for_the_organisation(
    client, organization
):
    for n in range(ORGANIZATION_PAGE_EVENTS + 1):
        _event(organization, f"Ещё акция {n}", days=5 + n)
    shown = [e.title for e in _section(_page(client, organization), "events")["events"]]
    listed = [
        e.title for e in client.get("/events/", {"organization": organization.pk}).context["page"]
    ]
    api = client.get("/api/v1/events", {"organization": organization.pk}).json()["items"]
    assert shown == listed[:ORGANIZATION_PAGE_EVENTS]
    assert [item["title"] for item in api] == listed
    assert len(listed) == ORGANIZATION_PAGE_EVENTS + 2
    assert _section(_page(client, organization), "events")["more"] is True


def test_the_past_link_lists_the_organisations_ended_events_on_the_page_and_in_the_api(
    client, organization
):
    query = {"organization": organization.pk, "when": "past"}
    response = client.get("/events/", query)
    assert [e.title for e in response.context["page"]] == ["Прошлый субботник"]
    assert "Прошедшие мероприятия" in response.content.decode()
    api = client.get("/api/v1/events", query).json()["items"]
    assert [item["title"] for item in api] == ["Прошлый субботник"]


def test_past_events_are_latest_first(client, organization):
    _event(organization, "Давний субботник", days=-90)
    titles = [
        e.title
        for e in client.get("/events/", {"organization": organization.pk, "when": "past"}).context[
            "page"
        ]
    ]
    assert titles == ["Прошлый субботник", "Давний субботник"]


def test_a_pending_organisations_events_are_in_no_list_until_it_is_verified(client):
    """Public lists show events of organisations verified now (`EventQuerySet.public`);
    the filter does not offer one whose events it would not show."""
    organization = OrganizationFactory(status=Organization.Status.PENDING)
    _event(organization, "Акция новой организации")
    _event(OrganizationFactory(), "Чужая акция")
    assert "Акция новой организации" not in _page(client, organization).content.decode()
    assert client.get("/events/", {"organization": organization.pk}).status_code == 400
    Organization.objects.filter(pk=organization.pk).update(status=Organization.Status.VERIFIED)
    page = client.get("/events/", {"organization": organization.pk}).context["page"]
    assert [e.title for e in page] == ["Акция новой организации"]


def test_no_past_link_when_nothing_has_ended(client):
    organization = OrganizationFactory()
    _event(organization, "Будущая акция")
    assert "when=past" not in _page(client, organization).content.decode()


@pytest.mark.parametrize("role", [None, Membership.Role.MEMBER])
def test_drafts_and_programmes_out_of_the_catalogue_are_hidden_from_others(
    login_as, outsider, organization, role
):
    if role:
        MembershipFactory(organization=organization, user=outsider, role=role)
    text = _page(login_as(outsider), organization).content.decode()
    assert "Черновик акции" not in text
    assert "Закрытая программа" not in text


@pytest.mark.parametrize("role", [Membership.Role.OWNER, Membership.Role.EDITOR, "coordinator"])
def test_those_who_keep_the_organisation_see_its_drafts_and_other_programmes(
    login_as, resident, coordinator, organization, role
):
    user = coordinator if role == "coordinator" else resident
    if role != "coordinator":
        MembershipFactory(organization=organization, user=resident, role=role)
    response = _page(login_as(user), organization)
    text = response.content.decode()
    assert "Черновик акции" in text
    assert "Закрытая программа" in text
    assert [e.title for e in _section(response, "events")["drafts"]] == ["Черновик акции"]


def test_programmes_on_the_page_equal_the_catalogue_and_the_api_for_the_organisation(
    client, organization
):
    shown = [p.name for p in _section(_page(client, organization), "programmes")["running"]]
    page = client.get("/help/programmes/", {"organization": organization.pk})
    api = client.get("/api/v1/programmes", {"organization": organization.pk}).json()["items"]
    assert shown == ["Продукты пожилым"]
    assert [p.name for p in page.context["programmes"]] == shown
    assert [item["name"] for item in api] == shown


def test_a_returned_organisations_page_stays_hidden_from_outsiders(client, organization):
    Organization.objects.filter(pk=organization.pk).update(status=Organization.Status.RETURNED)
    assert client.get(f"/organizations/{organization.pk}/").status_code == 404


def _queries(client, organization):
    with CaptureQueriesContext(connection) as captured:
        _page(client, organization)
    return len(captured)


@pytest.mark.parametrize("viewer", ["anonymous", "owner"])
def test_the_page_keeps_a_fixed_query_count_however_many_events_and_programmes(
    client, resident, viewer
):
    organization = OrganizationFactory()
    if viewer == "owner":
        MembershipFactory(organization=organization, user=resident, role=Membership.Role.OWNER)
        client.force_login(resident)
    _event(organization, "Одна акция")
    _event(organization, "Один прошлый", days=-3)
    ProgrammeFactory(organization=organization)
    organization_item(organization, tags=["новости"])
    one = _queries(client, organization)
    for n in range(12):
        organization_item(organization, tags=[f"метка{n}"])
        _event(organization, f"Акция {n}", days=4 + n)
        _event(organization, f"Черновик {n}", status=Event.Status.DRAFT)
        programme = ProgrammeFactory(organization=organization)
        programme.districts.create(name=f"Район {n}", slug=f"r{n}")
        ProgrammeFactory(organization=organization, is_active=False)
    assert _queries(client, organization) == one
    # anonymous: the organisation, news + tags + the organisation's name, the upcoming
    # events' lower bound (`selectors._not_ended`) + events + areas, «any past?»,
    # programmes + districts, areas; the owner also «may write news?»
    assert one <= (11 if viewer == "anonymous" else 20)
