"""Reports count only what has happened, and open on the last full year (issue 11 §6).

On 15 December 2026 the year 2026 is not over: a meeting on 20 December, a room booked
for 28 December, hours or reach dated ahead, a programme that starts next week are not
counted; the reports open on 2025, and 2026 is shown as «с 1 января по 15 декабря»."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from dobry.core.clock import city_zone
from dobry.events.tests.factories import EventFactory
from dobry.helprequests.models import ProgrammeRecord
from dobry.helprequests.tests.factories import ProgrammeFactory
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.reports import beyond, dashboard, hours, indicators
from dobry.reports.models import ReachFigure
from dobry.reports.periods import Period, from_query, year
from dobry.reports.tests.test_indicators import _hours
from dobry.resources.models import Meeting, ProjectGroup, SupportRecord

pytestmark = pytest.mark.django_db
Y2026 = year(2026)


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=city_zone())


@pytest.fixture
def december_15(freeze_now):
    freeze_now(local(2026, 12, 15, 12, 0))


def meeting(when: datetime) -> Meeting:
    group, _created = ProjectGroup.objects.get_or_create(title="Городские праздники")
    return Meeting.objects.create(group=group, starts_at=when, agenda="План")


def support(day: date, **kwargs) -> SupportRecord:
    return SupportRecord.objects.create(
        organization=kwargs.pop("organization", None) or OrganizationFactory(),
        kind="property",
        date=day,
        description="Зал",
        **kwargs,
    )


def test_a_meeting_on_20_december_is_not_counted_on_15_december(december_15):
    meeting(local(2026, 12, 10, 18))
    meeting(local(2026, 12, 20, 18))
    figure = indicators.infrastructure_events(Y2026)
    assert figure.parts["group_meetings"] == 1
    assert figure.value == 1


def test_a_meeting_later_today_is_not_counted_until_it_begins(december_15, freeze_now):
    meeting(local(2026, 12, 15, 9))
    meeting(local(2026, 12, 15, 18))
    assert indicators.infrastructure_events(Y2026).value == 1
    freeze_now(local(2026, 12, 15, 18, 0))
    assert indicators.infrastructure_events(Y2026).value == 2


def test_future_infrastructure_events_are_not_held_yet(december_15):
    EventFactory(infrastructure=True, starts_at=local(2026, 12, 1, 18))
    EventFactory(infrastructure=True, starts_at=local(2026, 12, 22, 18))
    assert indicators.infrastructure_events(Y2026).parts["events"] == 1


def test_support_booked_for_later_in_december_is_not_support_yet(december_15):
    given = support(date(2026, 12, 15), value_rub=Decimal(1000))
    support(date(2026, 12, 28), value_rub=Decimal(5000))
    figure = indicators.supported_organisations(Y2026)
    assert figure.value == 1
    assert figure.parts["property"] == 1
    assert given.pk


@pytest.mark.parametrize(
    ("now", "counted"),
    [
        # 00:30 local on 16 December is still 15 December in UTC: the 16th has begun here
        (local(2026, 12, 16, 0, 30), 2),
        (local(2026, 12, 16, 6, 0), 2),
        (local(2026, 12, 15, 23, 59), 1),
    ],
)
def test_a_day_counts_once_it_has_begun_on_the_citys_clock(freeze_now, now, counted):
    freeze_now(now)
    support(date(2026, 12, 15))
    support(date(2026, 12, 16))
    assert indicators.supported_organisations(Y2026).value == counted


def test_hours_and_reach_dated_ahead_are_not_counted(december_15, resident):
    _hours(resident, date(2026, 12, 14), 4)
    _hours(resident, date(2026, 12, 20), 8)  # imported with a wrong date
    ReachFigure.objects.create(
        date=date(2026, 12, 1), channel="media", title="Газета", source="тираж", people=100
    )
    ReachFigure.objects.create(
        date=date(2026, 12, 25), channel="media", title="Анонс", source="план", people=900
    )
    assert hours.count(Y2026).hours == 4
    assert beyond.volunteering(Y2026).parts["value_rub"] == Decimal(1400)
    assert indicators.informed_share(Y2026).parts["reach"] == 100
    assert indicators.involved_share(Y2026).parts["people"] == 1


def test_a_programme_that_starts_next_week_is_not_running_yet(december_15):
    ProgrammeFactory(starts_on=date(2026, 3, 1))
    ProgrammeFactory(starts_on=date(2026, 12, 22))
    assert indicators.programmes(Y2026).value == 1


def test_programme_records_of_a_month_not_begun_are_not_counted(december_15):
    programme = ProgrammeFactory(starts_on=date(2026, 1, 1))
    ProgrammeRecord.objects.create(
        confirmed_at=timezone.now(),
        programme=programme,
        month=date(2026, 12, 1),
        people=5,
        first_time=5,
    )
    ProgrammeRecord.objects.create(
        confirmed_at=timezone.now(),
        programme=programme,
        month=date(2027, 1, 1),
        people=7,
        first_time=7,
    )
    period = Period(date(2026, 12, 1), date(2027, 1, 31))
    assert indicators.programme_recipients(period) == {programme.pk: 5}


def test_reports_open_on_the_last_full_year(december_15):
    assert from_query({}) == year(2025)
    assert from_query({"kind": "year"}) == year(2025)
    assert from_query({"year": "2026"}) == year(2026)


def test_the_current_year_is_a_partial_period_compared_with_the_same_days(december_15):
    assert Y2026.partial
    assert not year(2025).partial
    assert Y2026.counted_until == date(2026, 12, 15)
    assert Y2026.partial_note == (
        "Неполный период: учтено только то, что уже произошло, — с 1 января по 15 декабря 2026."
    )
    assert Y2026.comparison() == Period(date(2025, 1, 1), date(2025, 12, 15))
    assert year(2025).comparison() == year(2024)
    assert year(2027).partial_note == "Период ещё не начался: за него пока нечего считать."


def test_the_trend_leaves_out_months_that_have_not_begun(freeze_now):
    freeze_now(local(2026, 6, 15, 12))
    ProgrammeFactory(starts_on=date(2026, 1, 1))
    rows = dashboard.build(Y2026, fresh=True)
    assert [label for label, _value in rows[4].trend] == [f"{m:02d}.26" for m in range(1, 7)]


def test_the_public_report_opens_on_last_year_and_marks_this_year_partial(client, december_15):
    page = client.get("/reports/public/")
    assert page.context["period"] == year(2025)
    assert "Неполный период" not in page.content.decode()
    current = client.get("/reports/public/?year=2026").content.decode()
    assert "с 1 января по 15 декабря 2026" in current
    assert "Сравнение — с теми же днями предыдущего периода." in current


def test_the_staff_report_and_its_form_default_to_last_year(login_as, official, december_15):
    page = login_as(official).get("/reports/")
    assert page.context["period"] == year(2025)
    assert page.context["form"]["year"].value() == 2025


def test_kpi_api_defaults_to_the_last_full_year(client, december_15):
    meeting(local(2025, 5, 1, 18))
    data = client.get("/api/v1/kpi").json()
    assert (data["from"], data["to"]) == ("2025-01-01", "2025-12-31")
    assert data["partial"] is False
    assert data["counted_to"] == "2025-12-31"
    assert data["note"] == ""
    infrastructure = next(
        i for i in data["indicators"] if i["indicator"] == "infrastructure_events"
    )
    assert Decimal(infrastructure["value"]) == 1


def test_kpi_api_marks_the_current_year_partial_and_counts_no_future_meeting(client, december_15):
    meeting(local(2026, 12, 10, 18))
    meeting(local(2026, 12, 20, 18))
    data = client.get("/api/v1/kpi", {"from": "2026-01-01"}).json()
    assert (data["from"], data["to"], data["counted_to"]) == (
        "2026-01-01",
        "2026-12-15",
        "2026-12-15",
    )
    whole = client.get("/api/v1/kpi", {"from": "2026-01-01", "to": "2026-12-31"}).json()
    assert whole["partial"] is True
    assert whole["counted_to"] == "2026-12-15"
    assert (whole["previous_from"], whole["previous_to"]) == ("2025-01-01", "2025-12-15")
    assert "с 1 января по 15 декабря 2026" in whole["note"]
    infrastructure = next(
        i for i in whole["indicators"] if i["indicator"] == "infrastructure_events"
    )
    assert Decimal(infrastructure["value"]) == 1


def test_kpi_csv_says_which_days_were_counted(client, december_15):
    import csv
    import io

    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/reports/kpi.csv?year=2026").content.decode("utf-8-sig"))
        )
    )
    assert {row["counted_to"] for row in rows} == {"15.12.2026"}
    assert {row["previous_to"] for row in rows} == {"15.12.2025"}
