"""An event with its shifts, published at once: one service, `event_create`, for the new
event page (a draft, shifts added after) and `POST /api/v1/events` (shifts and publication in
the same call) — all of it or nothing, whichever part is refused."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from dobry.core.errors import DomainError
from dobry.core.models import AuditEntry
from dobry.events.models import Event, Shift
from dobry.events.services import events as event_services
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.volunteering.models import Qualification

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return MembershipFactory(organization=OrganizationFactory(), role=Membership.Role.EDITOR).user


def shift(**changes: object) -> dict:
    start = timezone.now() + timedelta(days=5)
    return {
        "title": "Наставник",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "capacity": 5,
        **changes,
    }


def create(editor, **kwargs: object) -> Event:
    return event_services.event_create(
        actor=editor,
        organization=editor.memberships.get().organization,
        fields={"kind": "volunteer_action", "title": "Бабушкина школа"},
        **kwargs,
    )


def test_an_event_is_created_with_its_shifts_and_published_at_once(editor):
    Qualification.objects.create(slug="first-aid", name="Первая помощь")
    event = create(
        editor,
        areas=["children"],
        shifts=[shift(), shift(title="Повар", qualifications=["first-aid"])],
        publish=True,
    )
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert sorted(event.shifts.values_list("title", flat=True)) == ["Наставник", "Повар"]
    cook = event.shifts.get(title="Повар")
    assert list(cook.qualifications.values_list("slug", flat=True)) == ["first-aid"]
    assert event.starts_at == min(s.starts_at for s in event.shifts.all())
    actions = list(
        AuditEntry.objects.filter(action__regex=r"^(event|shift)\.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["event.create", "shift.create", "shift.create", "event.publish"]


def test_without_shifts_it_is_a_draft_as_the_page_makes_it(editor):
    event = create(editor)
    assert event.status == Event.Status.DRAFT
    assert not event.shifts.exists()


@pytest.mark.parametrize(
    ("shifts", "refusal"),
    [
        ([shift(), shift(capacity=0)], ValidationError),  # the second shift is wrong
        ([shift(qualifications=["no-such-code"])], DomainError),
        ([], DomainError),  # nothing to publish
    ],
    ids=["a bad shift", "an unknown qualification", "publishing without shifts"],
)
def test_a_refused_part_leaves_nothing_behind(editor, shifts, refusal):
    with pytest.raises(refusal):
        create(editor, shifts=shifts, publish=True)
    assert not Event.objects.exists()
    assert not Shift.objects.exists()
    assert not AuditEntry.objects.filter(action__regex=r"^(event|shift)\.").exists()


def test_the_api_creates_through_the_same_one_service(editor):
    """`POST /api/v1/events` makes one call of the page's service, with the shifts and the
    publication — not a chain of calls of its own."""
    client = Client()
    client.force_login(editor)
    start = timezone.now() + timedelta(days=5)
    body = {
        "organization": editor.memberships.get().organization_id,
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
        "publish": True,
    }
    with (
        mock.patch.object(
            event_services, "event_create", wraps=event_services.event_create
        ) as service,
        mock.patch.object(event_services, "shift_create", wraps=event_services.shift_create),
        mock.patch.object(event_services, "event_publish", wraps=event_services.event_publish),
    ):
        response = client.post("/api/v1/events", body, content_type="application/json")
    assert response.status_code == 201, response.content
    service.assert_called_once()
    assert service.call_args.kwargs["publish"] is True
    assert len(service.call_args.kwargs["shifts"]) == 1
    assert response.json()["status"] == "published"


def test_the_api_refuses_a_bad_shift_and_keeps_nothing(editor):
    client = Client()
    client.force_login(editor)
    start = timezone.now() + timedelta(days=5)
    body = {
        "organization": editor.memberships.get().organization_id,
        "kind": "volunteer_action",
        "title": "Бабушкина школа",
        "shifts": [
            {
                "title": "Наставник",
                "starts_at": start.isoformat(),
                "ends_at": (start - timedelta(hours=2)).isoformat(),
                "capacity": 5,
                "qualifications": [],
            }
        ],
        "publish": True,
    }
    response = client.post("/api/v1/events", body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert "ends_at" in response.json()["errors"]
    assert not Event.objects.exists()
