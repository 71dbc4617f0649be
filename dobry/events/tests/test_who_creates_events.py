"""Who may create and publish events: owners and editors (and the resource centre's
coordinators) of an organisation verified now — one rule, `permissions.can_create_event`,
for the new event page, `POST /api/v1/events`, a copy of an event and publishing a draft,
checked again by the services. An organisation awaiting review or returned to its editors
keeps its events but adds and publishes none (the API used to let it)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.core.errors import PermissionDenied
from dobry.events import permissions
from dobry.events.models import Event
from dobry.events.services import events as event_services
from dobry.events.tests.factories import ShiftFactory
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
O = Organization.Status  # noqa: E741
NOT_VERIFIED = "только проверенные организации"
STATUSES = [O.PENDING, O.RETURNED, O.VERIFIED]


def editor_of(organization: Organization, role: str = Membership.Role.EDITOR) -> object:
    return MembershipFactory(organization=organization, role=role).user


def page_fields(organization: Organization, title: str = "Праздник осени") -> dict:
    return {
        "organization": organization.pk,
        "kind": "volunteer_action",
        "title": title,
        "cancellation_deadline_hours": 24,
        "areas": ["children"],
    }


def api_payload(organization: Organization, *, publish: bool) -> dict:
    start = timezone.now() + timedelta(days=5)
    return {
        "organization": organization.pk,
        "kind": "volunteer_action",
        "title": "Бабушкина школа",
        "shifts": [
            {
                "title": "Наставник",
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=2)).isoformat(),
                "capacity": 5,
            }
        ],
        "publish": publish,
    }


def a_draft_of(organization: Organization) -> Event:
    return ShiftFactory(event__organization=organization, event__status=Event.Status.DRAFT).event


# --- the rule ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", STATUSES)
def test_editors_owners_and_coordinators_create_only_for_a_verified_organisation(
    status, coordinator
):
    organization = OrganizationFactory(status=status)
    for person in (
        editor_of(organization),
        editor_of(organization, Membership.Role.OWNER),
        coordinator,
    ):
        decision = permissions.can_create_event(person, organization)
        assert bool(decision) is (status == O.VERIFIED)
        if status != O.VERIFIED:
            assert NOT_VERIFIED in str(decision.reason)


@pytest.mark.parametrize("status", STATUSES)
def test_members_outsiders_and_anonymous_never_create(status, outsider):
    organization = OrganizationFactory(status=status)
    member = editor_of(organization, Membership.Role.MEMBER)
    for person in (member, outsider, AnonymousUser()):
        assert not permissions.can_create_event(person, organization)
    assert not permissions.organizations_for_new_events(AnonymousUser()).exists()


def test_the_list_form_offers_exactly_the_organisations_the_rule_allows(coordinator):
    person = UserFactory()
    organizations = {status: OrganizationFactory(status=status) for status in STATUSES}
    for organization in organizations.values():
        MembershipFactory(organization=organization, user=person, role=Membership.Role.EDITOR)
    OrganizationFactory(status=O.VERIFIED)  # someone else's
    for user in (person, coordinator):
        offered = set(permissions.organizations_for_new_events(user))
        allowed = {o for o in Organization.objects.all() if permissions.can_create_event(user, o)}
        assert offered == allowed
    assert set(permissions.organizations_for_new_events(person)) == {organizations[O.VERIFIED]}


# --- the service ------------------------------------------------------------------------


@pytest.mark.parametrize("status", [O.PENDING, O.RETURNED])
def test_the_services_refuse_an_organisation_that_is_not_verified(status, coordinator):
    organization = OrganizationFactory(status=status)
    draft = a_draft_of(organization)
    for actor in (editor_of(organization), coordinator):
        with pytest.raises(PermissionDenied, match=NOT_VERIFIED):
            event_services.event_create(
                actor=actor, organization=organization, fields={"kind": "other", "title": "Ещё"}
            )
        with pytest.raises(PermissionDenied, match=NOT_VERIFIED):
            event_services.event_publish(actor=actor, event=draft)
        with pytest.raises(PermissionDenied, match=NOT_VERIFIED):
            event_services.event_repeat(actor=actor, event=draft, frequency="weekly", count=2)
    assert list(Event.objects.all()) == [draft]
    draft.refresh_from_db()
    assert draft.status == Event.Status.DRAFT


def test_the_services_act_for_a_verified_organisation():
    organization = OrganizationFactory(status=O.VERIFIED)
    editor = editor_of(organization)
    event = event_services.event_create(
        actor=editor, organization=organization, fields={"kind": "other", "title": "Ещё"}
    )
    assert event.status == Event.Status.DRAFT
    draft = a_draft_of(organization)
    assert event_services.event_publish(actor=editor, event=draft).status == "published"
    copies = event_services.event_repeat(actor=editor, event=draft, frequency="weekly", count=2)
    assert len(copies) == 2


def test_an_outsider_is_refused_by_the_service_whatever_the_organisation(outsider):
    organization = OrganizationFactory(status=O.VERIFIED)
    with pytest.raises(PermissionDenied, match="редакторы"):
        event_services.event_create(
            actor=outsider, organization=organization, fields={"kind": "other", "title": "Ещё"}
        )


# --- the page ---------------------------------------------------------------------------


def test_the_new_event_page_offers_only_verified_organisations(login_as):
    person = UserFactory()
    names = {}
    for status in STATUSES:
        organization = OrganizationFactory(status=status)
        MembershipFactory(organization=organization, user=person, role=Membership.Role.EDITOR)
        names[status] = str(organization)
    html = login_as(person).get("/events/new/").content.decode()
    assert f'value="{Organization.objects.get(status=O.VERIFIED).pk}"' in html
    assert f">{names[O.VERIFIED]}<" in html
    assert f">{names[O.PENDING]}<" not in html
    assert f">{names[O.RETURNED]}<" not in html


@pytest.mark.parametrize("status", [O.PENDING, O.RETURNED])
def test_the_page_tells_an_editor_of_an_unverified_organisation_and_creates_nothing(
    status, login_as
):
    organization = OrganizationFactory(status=status)
    client = login_as(editor_of(organization))
    assert "проверенных организаций" in client.get("/events/new/").content.decode()
    response = client.post("/events/new/", page_fields(organization))
    assert response.status_code == 200
    assert not Event.objects.exists()


def test_the_page_creates_for_a_verified_organisation(login_as):
    organization = OrganizationFactory(status=O.VERIFIED)
    response = login_as(editor_of(organization)).post("/events/new/", page_fields(organization))
    event = Event.objects.get()
    assert response["Location"] == f"/events/{event.pk}/manage/"
    assert (event.organization, event.status) == (organization, Event.Status.DRAFT)


def test_the_new_event_page_asks_anonymous_to_log_in(client):
    organization = OrganizationFactory(status=O.VERIFIED)
    assert client.post("/events/new/", page_fields(organization)).status_code == 302
    assert not Event.objects.exists()


@pytest.mark.parametrize("status", [O.PENDING, O.RETURNED])
def test_the_manage_page_says_why_a_draft_cannot_be_published_nor_repeated(status, login_as):
    organization = OrganizationFactory(status=status)
    draft = a_draft_of(organization)
    client = login_as(editor_of(organization))
    html = client.get(f"/events/{draft.pk}/manage/").content.decode()
    assert NOT_VERIFIED in html
    assert f"/events/{draft.pk}/publish/" not in html
    assert f"/events/{draft.pk}/repeat/" not in html
    published = client.post(f"/events/{draft.pk}/publish/", follow=True)
    assert NOT_VERIFIED in published.content.decode()
    client.post(f"/events/{draft.pk}/repeat/", {"frequency": "weekly", "count": 2})
    draft.refresh_from_db()
    assert draft.status == Event.Status.DRAFT
    assert Event.objects.count() == 1


def test_the_manage_page_of_a_verified_organisation_offers_publishing(login_as):
    organization = OrganizationFactory(status=O.VERIFIED)
    draft = a_draft_of(organization)
    client = login_as(editor_of(organization))
    html = client.get(f"/events/{draft.pk}/manage/").content.decode()
    assert NOT_VERIFIED not in html
    assert f"/events/{draft.pk}/publish/" in html
    client.post(f"/events/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.status == Event.Status.PUBLISHED


# --- the API ----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [O.PENDING, O.RETURNED])
@pytest.mark.parametrize("publish", [False, True])
def test_the_api_refuses_an_organisation_that_is_not_verified(status, publish, coordinator):
    organization = OrganizationFactory(status=status)
    for person in (editor_of(organization), coordinator):
        response = bearer(person).post(
            "/api/v1/events",
            api_payload(organization, publish=publish),
            content_type="application/json",
        )
        assert response.status_code == 403, response.content
        assert NOT_VERIFIED in response.json()["message"]
    assert not Event.objects.exists()


@pytest.mark.parametrize("publish", [False, True])
def test_the_api_creates_for_a_verified_organisation(publish):
    organization = OrganizationFactory(status=O.VERIFIED)
    response = bearer(editor_of(organization)).post(
        "/api/v1/events",
        api_payload(organization, publish=publish),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == ("published" if publish else "draft")


def test_the_api_refuses_members_outsiders_and_anonymous(outsider):
    verified = OrganizationFactory(status=O.VERIFIED)
    returned = OrganizationFactory(status=O.RETURNED)
    member = editor_of(verified, Membership.Role.MEMBER)
    payload = api_payload(verified, publish=True)
    assert Client().post(
        "/api/v1/events", payload, content_type="application/json"
    ).status_code == (401)
    for person in (member, outsider):
        response = bearer(person).post("/api/v1/events", payload, content_type="application/json")
        assert response.status_code == 403
    # a returned organisation is hidden from outsiders: as if it did not exist
    hidden = bearer(outsider).post(
        "/api/v1/events", api_payload(returned, publish=False), content_type="application/json"
    )
    assert hidden.status_code == 404
    assert not Event.objects.exists()


@pytest.mark.parametrize("status", [O.PENDING, O.RETURNED])
def test_the_api_does_not_publish_a_draft_of_an_unverified_organisation(status):
    organization = OrganizationFactory(status=status)
    draft = a_draft_of(organization)
    response = bearer(editor_of(organization)).post(f"/api/v1/events/{draft.pk}/publish")
    assert response.status_code == 403
    assert NOT_VERIFIED in response.json()["message"]
    draft.refresh_from_db()
    assert draft.status == Event.Status.DRAFT


def test_the_api_publishes_a_draft_of_a_verified_organisation():
    organization = OrganizationFactory(status=O.VERIFIED)
    draft = a_draft_of(organization)
    response = bearer(editor_of(organization)).post(f"/api/v1/events/{draft.pk}/publish")
    assert response.status_code == 200
    assert response.json()["status"] == "published"
