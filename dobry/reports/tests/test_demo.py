"""The demo year (`reports.demo.seed`): last year's records made so that the public report
shows the passport's results table (14 / 40 % / 10 % / 40 / 23 / 5000) with its targets
and a stored trend; the same records every time, and nothing added on a second run or
beyond what other demo data already gives."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import transaction

from dobry.accounts.models import User
from dobry.core.clock import city_zone
from dobry.events.models import Event
from dobry.events.tests.factories import EventFactory
from dobry.helprequests.models import HelpRequest, Programme, ProgrammeRecord
from dobry.helprequests.tests.factories import ProgrammeFactory
from dobry.organizations.models import Organization
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.reports import demo, indicators
from dobry.reports.models import ReachFigure, Snapshot, Target
from dobry.reports.periods import year
from dobry.resources.models import SupportRecord
from dobry.volunteering.models import HoursEntry

pytestmark = pytest.mark.django_db
Y2025 = year(2025)
TABLE = [Decimal(14), Decimal(40), Decimal(10), Decimal(40), Decimal(23), Decimal(5000)]
MODELS = (
    User,
    Organization,
    Event,
    Programme,
    ProgrammeRecord,
    SupportRecord,
    HoursEntry,
    ReachFigure,
    HelpRequest,
    Target,
    Snapshot,
)


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=city_zone())


@pytest.fixture
def city(settings, freeze_now):
    """What the other demo modules give before this one, at its smallest: the resource
    centre and a few verified НКО; a town of 2 000 residents; mid-2026, so the demo year
    is 2025."""
    settings.DOBRY_POPULATION = 2000
    freeze_now(local(2026, 6, 15, 12))
    OrganizationFactory(short_name="КРОО «АРГО»", name="КРОО «АРГО»")
    OrganizationFactory.create_batch(3)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def fingerprint() -> dict[str, list]:
    """What the demo made, without database ids (they differ between runs)."""
    return {
        "residents": sorted(
            User.objects.filter(email__startswith="zhitel-").values_list("email", "date_joined")
        ),
        "hours": sorted(HoursEntry.objects.values_list("user__email", "date", "hours")),
        "requests": sorted(
            HelpRequest.objects.values_list("recipient_phone", "closed_at", "category")
        ),
        "support": sorted(SupportRecord.objects.values_list("organization__name", "kind", "date")),
        "reach": sorted(ReachFigure.objects.values_list("date", "title", "people")),
        "programmes": sorted(
            Programme.objects.values_list("name", "organization__name", "starts_on", "funding")
        ),
        "records": sorted(
            ProgrammeRecord.objects.values_list("programme__name", "month", "people", "first_time")
        ),
        "events": sorted(Event.objects.values_list("title", "kind", "starts_at")),
        "snapshots": sorted(Snapshot.objects.values_list("indicator", "month", "value")),
    }


class _Undo(Exception):
    pass


def seeded_and_undone() -> dict[str, list]:
    """One seeding's fingerprint; the seeding is rolled back after it."""
    try:
        with transaction.atomic():
            demo.seed()
            seen = fingerprint()
            raise _Undo
    except _Undo:
        return seen


def test_the_demo_year_reproduces_the_passport_table(city):
    demo.seed()
    figures = indicators.passport(Y2025)
    assert [figure.value for figure in figures] == TABLE
    helped = figures[-1].parts
    assert helped["programme_recipients"] == 1000  # a fifth from the programmes' records
    assert helped["request_recipients"] == 4000
    assert figures[1].parts["reach"] + figures[1].parts["platform_people"] == 800  # 40 %
    assert figures[2].parts["people"] == 200  # 10 % of 2 000
    targets = dict(Target.objects.filter(year=2025).values_list("indicator", "value"))
    assert [targets[figure.key] for figure in figures] == TABLE


def test_the_demo_stores_every_month_of_its_year(city):
    demo.seed()
    stored = Snapshot.objects.filter(month__year=2025)
    assert stored.count() == 12 * 6
    assert {month.start for month in Y2025.months()} == set(stored.values_list("month", flat=True))
    events = stored.filter(indicator="infrastructure_events").values_list("value", flat=True)
    assert sum(events) == 14  # the months add up to the year for events


def test_the_public_report_shows_the_demo_year_reached_from_stored_months(
    client, city, django_assert_max_num_queries
):
    demo.seed()
    with django_assert_max_num_queries(22):  # no month computed: all twelve are stored
        page = client.get("/reports/public/?kind=year&year=2025")
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [row.figure.value for row in rows] == TABLE
    assert all(row.reached for row in rows)
    assert all(len(row.trend) == 12 for row in rows)
    body = page.content.decode()
    assert "5000" in body.replace("\u00a0", "").replace(" ", "")


def test_seeding_again_adds_nothing(city):
    demo.seed()
    first = counts()
    demo.seed()
    assert counts() == first
    assert [figure.value for figure in indicators.passport(Y2025)] == TABLE


def test_the_demo_is_the_same_every_time(city):
    first = seeded_and_undone()
    assert not HelpRequest.objects.exists()  # undone
    second = seeded_and_undone()
    assert first == second
    assert len(first["residents"]) == 200
    assert len(first["requests"]) == 4000
    assert all(day.year == 2025 for _email, day in first["residents"])


def test_the_demo_adds_only_what_the_other_demo_data_lacks(city):
    for number in range(10):
        EventFactory(infrastructure=True, starts_at=local(2025, 2, 1 + number, 15))
    for _number in range(30):
        ProgrammeFactory(starts_on=date(2024, 1, 1))
    demo.seed()
    assert Event.objects.filter(infrastructure=True).count() == 14  # four added
    assert Programme.objects.count() == 30  # none added: already more than 23
    figures = {figure.key: figure.value for figure in indicators.passport(Y2025)}
    assert figures["infrastructure_events"] == 14
    assert figures["programmes"] == 30


def test_events_of_the_demo_are_held_in_the_year_before_now(city):
    demo.seed()
    added = Event.objects.filter(
        infrastructure=True, title__in=[t for _k, t in demo.INFRASTRUCTURE]
    )
    assert added.count() == 14
    for event in added:
        assert Y2025.starts_at <= event.starts_at < Y2025.ends_before
        assert event.ends_at - event.starts_at == timedelta(hours=2)
        assert event.status == Event.Status.PUBLISHED
