"""Every moment the API answers is one form: ISO 8601 in UTC with `Z` (`MomentRenderer`),
whichever app computed it — room bookings said `+07:00` while shifts and events said `Z`."""

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from dobry.accounts.models import User
from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.resources.tests.factories import RoomFactory

pytestmark = pytest.mark.django_db
LOOKS_LIKE_A_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}")
ONE_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{3})?Z")


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from _strings(item, f"{where}.{number}")


def _lists(schema: dict) -> list[str]:
    """The list operations: every GET without a path parameter but the document itself."""
    return [
        path
        for path, operations in schema["paths"].items()
        if "get" in operations and "{" not in path and not path.endswith("openapi.json")
    ]


def test_every_list_answers_moments_in_utc_with_z():
    call_command("seed_passport", stdout=None)
    schema = Client().get("/api/v1/openapi.json").json()
    callers = [
        Client(),
        bearer(UserFactory(is_coordinator=True)),
        bearer(UserFactory(is_official=True)),
        bearer(User.objects.filter(memberships__isnull=False).first()),
    ]
    moments, wrong = 0, []
    for path in _lists(schema):
        for client in callers:
            response = client.get(path)
            if response.status_code != 200 or "json" not in response["Content-Type"]:
                continue
            for where, text in _strings(response.json(), path):
                if LOOKS_LIKE_A_MOMENT.match(text):
                    moments += 1
                    if not ONE_FORM.fullmatch(text):
                        wrong.append(f"{where}: {text}")
    assert wrong == []
    assert moments > 20


def test_a_room_booking_answers_in_utc(resident, settings):
    settings.DOBRY_ROOM_BOOKING_DAYS_AHEAD = 3650  # the fixed day below is years ahead
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident)
    room = RoomFactory()
    response = bearer(resident).post(
        f"/api/v1/rooms/{room.pk}/bookings",
        json.dumps(
            {
                "organization": organization.pk,
                "starts_at": "2031-03-12T08:00:00+07:00",
                "ends_at": "2031-03-12T09:30:00+07:00",
                "purpose": "Совет",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["starts_at"], response.json()["ends_at"]) == (
        "2031-03-12T01:00:00Z",
        "2031-03-12T02:30:00Z",
    )
    week = bearer(resident).get(
        f"/api/v1/rooms/{room.pk}/availability", {"from": "2031-03-12", "to": "2031-03-13"}
    )
    assert [busy["starts_at"] for busy in week.json()["busy"]] == ["2031-03-12T01:00:00Z"]
