"""Dates by kind in the resource centre (issue 11): support given is a fact — a record dated
2100 was accepted, now refused by the API (422 at `date`) and the page (at `day`); a task's
due day is a plan — not in the past; the room calendar's week links stop at the supported
range (they led to 1989-12-25 and 2100-12-27, both 400 pages)."""

from datetime import date, datetime, timedelta

import pytest

from dobry.accounts.tests.factories import bearer
from dobry.core.clock import city_zone
from dobry.core.errors import DomainError
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.resources import groups
from dobry.resources.models import GroupTask, SupportRecord
from dobry.resources.tests.factories import RoomFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=city_zone())


@pytest.fixture(autouse=True)
def _now(freeze_now):
    freeze_now(NOW)


@pytest.mark.parametrize(
    ("day", "status"), [("2100-06-01", 422), ("2026-12-01", 422), ("2026-11-30", 201)]
)
def test_support_is_a_fact_the_api_refuses_a_day_to_come(coordinator, day, status):
    payload = {
        "organization": OrganizationFactory().pk,
        "kind": "property",
        "date": day,
        "description": "Зал",
    }
    response = bearer(coordinator).post(
        "/api/v1/support-records", payload, content_type="application/json"
    )
    assert response.status_code == status, response.content
    if status == 422:
        assert response.json()["errors"] == {"date": ["Дата не может быть в будущем."]}
    assert SupportRecord.objects.count() == (status == 201)


def test_support_is_a_fact_the_page_refuses_a_day_to_come_at_the_field(coordinator, login_as):
    response = login_as(coordinator).post(
        "/desk/support/",
        {
            "organization": OrganizationFactory().pk,
            "kind": "property",
            "day": "2100-06-01",
            "description": "Зал",
            "giver": "resource_centre",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["day"] == ["Дата не может быть в будущем."]
    assert not SupportRecord.objects.exists()


def test_a_tasks_due_day_is_a_plan_not_in_the_past(coordinator, resident):
    group = groups.group_create(actor=coordinator, title="Доступная среда")
    groups.group_member_add(actor=coordinator, group=group, user=resident)
    meeting = groups.meeting_create(
        actor=coordinator, group=group, starts_at=NOW - timedelta(days=6), agenda="Итоги"
    )
    with pytest.raises(DomainError) as refused:
        groups.decision_add(
            actor=coordinator,
            meeting=meeting,
            text="Решили",
            task="Письмо",
            owner=resident,
            due_on=date(2026, 11, 29),
        )
    assert refused.value.field_errors == {"due_on": ["Дата не может быть в прошлом."]}
    groups.decision_add(
        actor=coordinator,
        meeting=meeting,
        text="Решили",
        task="Письмо",
        owner=resident,
        due_on=date(2026, 11, 30),
    )
    assert GroupTask.objects.get().due_on == date(2026, 11, 30)


@pytest.mark.parametrize(
    ("week", "previous", "following"),
    [
        ("1990-01-01", None, "1990-01-08"),  # the first week of the range: no way back
        ("2100-12-24", "2100-12-13", None),  # the last week it shows: no way on
        ("2026-11-30", "2026-11-23", "2026-12-07"),
    ],
)
def test_the_room_calendar_links_only_weeks_it_shows(client, week, previous, following):
    room = RoomFactory()
    page = client.get(f"/desk/rooms/{room.pk}/", {"week": week})
    assert page.status_code == 200
    html = page.content.decode()
    for link in (previous, following):
        if link:
            assert f'href="?week={link}"' in html
            assert client.get(f"/desk/rooms/{room.pk}/", {"week": link}).status_code == 200
    assert html.count('href="?week=') == len([x for x in (previous, following) if x])
