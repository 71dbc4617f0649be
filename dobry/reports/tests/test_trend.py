"""The month-by-month trend is counted for all the months at once (`reports.counting`): the
same figures as month by month, in a fixed number of queries however many months — the
public report without stored months made ~346 queries for a year."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dobry.accounts.models import User
from dobry.accounts.tests.factories import UserFactory
from dobry.core.clock import city_zone
from dobry.events.models import Registration
from dobry.events.tests.factories import EventFactory, RegistrationFactory, ShiftFactory
from dobry.grants.models import Application
from dobry.grants.tests.factories import open_competition
from dobry.helprequests.models import HelpRequest, ProgrammeRecord
from dobry.helprequests.tests.factories import HelpRequestFactory, ProgrammeFactory
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.reports import counting, indicators
from dobry.reports.models import ReachFigure, Snapshot
from dobry.reports.periods import Period, from_query, month, quarter, year
from dobry.reports.services import snapshots_store
from dobry.reports.tests.test_indicators import _hours, _joined
from dobry.resources.models import Meeting, ProjectGroup, SupportRecord

pytestmark = pytest.mark.django_db
Q1 = quarter(2025, 1).months()


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=city_zone())


@pytest.fixture(autouse=True)
def _small_city(settings):
    settings.DOBRY_POPULATION = 1000


@pytest.fixture
def first_quarter(official):
    """Records of every source in January–March 2025, several on a month's boundary."""
    # infrastructure: the last half hour of January, the first moment of February
    for when in (local(2025, 1, 31, 23, 30), local(2025, 2, 1, 0, 0), local(2025, 3, 15, 12)):
        EventFactory(infrastructure=True, starts_at=when)
    group = ProjectGroup.objects.create(title="Двор")
    Meeting.objects.create(group=group, starts_at=local(2025, 2, 10, 18), agenda="план")
    Meeting.objects.create(group=group, starts_at=local(2025, 3, 31, 23, 59), agenda="итоги")
    member = UserFactory()
    group.memberships.create(user=member)

    # informed: an account from 2024; one opened in March who signed up in February; an
    # erased account that signed up in February; the old account signing up in March
    early = _joined(local(2024, 6, 1, 10))
    march = _joined(local(2025, 3, 10, 10))
    erased = _joined(local(2024, 1, 1, 10))
    erased.erased_at = timezone.now()
    erased.save(update_fields=["erased_at"])
    for user, when in ((erased, (2025, 2, 5)), (march, (2025, 2, 20)), (early, (2025, 3, 3))):
        RegistrationFactory(shift=ShiftFactory(starts_at=local(*when, 10)), user=user)
    for day, people in ((date(2025, 1, 15), 100), (date(2025, 3, 1), 50)):
        ReachFigure.objects.create(
            date=day, channel="media", title="Газета", source="тираж", people=people
        )

    # involved: hours and a check-in of one volunteer in January; an application on the
    # first moment of February; a family of three who came in March
    volunteer = UserFactory()
    _hours(volunteer, date(2025, 1, 10), 3)
    RegistrationFactory(
        shift=ShiftFactory(starts_at=local(2025, 1, 20, 10)),
        user=volunteer,
        checked_in_at=local(2025, 1, 20, 10, 5),
    )
    Application.objects.create(
        competition=open_competition(official),
        applicant=UserFactory(),
        submitted_at=local(2025, 2, 1, 0, 0),
    )
    RegistrationFactory(
        shift=ShiftFactory(starts_at=local(2025, 3, 5, 10)),
        seats=3,
        group=Registration.Group.FAMILY,
        checked_in_at=local(2025, 3, 5, 10, 5),
    )

    # supported: one organisation twice in January, a resident in February
    first, second = OrganizationFactory(), OrganizationFactory()
    for organization, person, kind, day in (
        (first, None, "consulting", date(2025, 1, 5)),
        (first, None, "financial", date(2025, 1, 20)),
        (None, UserFactory(), "consulting", date(2025, 2, 1)),
        (second, None, "property", date(2025, 3, 31)),
    ):
        SupportRecord.objects.create(
            organization=organization,
            person=person,
            kind=kind,
            date=day,
            description="поддержка",
            giver="resource_centre",
        )

    # programmes: one all along, one from mid-February, one that ended with January
    running = ProgrammeFactory(starts_on=date(2024, 1, 1))
    ProgrammeFactory(starts_on=date(2025, 2, 15))
    ProgrammeFactory(starts_on=date(2024, 1, 1), ends_on=date(2025, 1, 31))
    for day, people, first_time in ((1, 10, 10), (2, 12, 3), (3, 11, 1)):
        ProgrammeRecord.objects.create(
            confirmed_at=timezone.now(),
            programme=running,
            month=date(2025, day, 1),
            people=people,
            first_time=first_time,
        )

    # helped: one phone in January and March; a chain of two requests in February
    done = HelpRequest.Status.DONE
    HelpRequestFactory(status=done, recipient_phone="+79130000001", closed_at=local(2025, 1, 10))
    HelpRequestFactory(status=done, recipient_phone="+79130000001", closed_at=local(2025, 3, 10))
    root = HelpRequestFactory(status=done, recipient_phone="", closed_at=local(2025, 2, 2))
    HelpRequestFactory(status=done, recipient_phone="", parent=root, closed_at=local(2025, 2, 20))


def _values(figures: list[indicators.Figure]) -> list[tuple]:
    return [(figure.key, figure.value, figure.parts) for figure in figures]


@pytest.mark.parametrize(
    "periods",
    [
        Q1,
        [quarter(2024, 4), quarter(2025, 1)],
        [Period(date(2025, 1, 1), date(2025, 1, 31)), Period(date(2025, 3, 1), date(2025, 3, 31))],
        from_query({"from": "2025-01-15", "to": "2025-03-10"}).months(),
    ],
    ids=["months", "quarters", "months-apart", "clipped-months"],
)
def test_figures_of_several_periods_are_those_of_each_alone(first_quarter, periods):
    together = indicators.passport_per_period(periods)
    for number, period in enumerate(periods):
        alone = indicators.passport(period)
        assert _values([figures[number] for figures in together]) == _values(alone), period


def test_each_month_counts_what_happened_in_it(first_quarter):
    by_key = {figures[0].key: figures for figures in indicators.passport_per_period(Q1)}

    def parts(key: str, part: str) -> list:
        return [figure.parts[part] for figure in by_key[key]]

    assert parts("infrastructure_events", "events") == [1, 1, 1]
    assert parts("infrastructure_events", "group_meetings") == [0, 1, 1]
    # the account of 2024 all along, and each month's registrants whose accounts do not
    # count there: the January volunteer and the March family (accounts opened today); in
    # February the erased one and the one whose account opened in March, which in March
    # counts by itself
    assert parts("informed_share", "platform_people") == [2, 3, 3]
    assert parts("informed_share", "reach") == [100, 0, 50]
    # January: the volunteer once (hours and check-in); February: the applicant and the
    # group's member; March: the member, and the family's one who signed up + two more
    assert parts("involved_share", "people") == [1, 2, 2]
    assert parts("involved_share", "group_extra") == [0, 0, 2]
    assert [f.value for f in by_key["supported_organisations"]] == [1, 1, 1]
    assert parts("supported_organisations", "consulting") == [1, 1, 0]
    assert [f.value for f in by_key["programmes"]] == [2, 2, 2]
    assert parts("helped_residents", "request_recipients") == [1, 1, 1]
    assert parts("helped_residents", "requests_done") == [1, 2, 1]
    assert parts("helped_residents", "programme_recipients") == [10, 12, 11]


def test_a_record_of_a_month_two_periods_share_counts_in_both():
    programme = ProgrammeFactory(starts_on=date(2024, 1, 1))
    ProgrammeRecord.objects.create(
        confirmed_at=timezone.now(),
        programme=programme,
        month=date(2025, 1, 1),
        people=7,
        first_time=2,
    )
    halves = [
        Period(date(2025, 1, 1), date(2025, 1, 15)),
        Period(date(2025, 1, 16), date(2025, 1, 31)),
    ]
    assert indicators.programme_recipients_per_period(halves) == [
        {programme.pk: 7},
        {programme.pk: 7},
    ]


@pytest.mark.parametrize(
    "periods",
    [
        [year(2025), year(2024)],
        [year(2025), year(2025)],
        [year(2024), Period(date(2024, 12, 31), date(2025, 1, 31))],
    ],
    ids=["out-of-order", "the-same", "overlapping"],
)
def test_periods_out_of_order_or_overlapping_are_refused(periods):
    with pytest.raises(ValueError, match="overlap"):
        indicators.passport_per_period(periods)


def test_no_periods_cost_no_queries(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert indicators.passport_per_period([]) == [[] for _compute in indicators.PASSPORT]
        assert counting.cumulative(Snapshot.objects.all(), "computed_at", []) == []
        assert counting.distinct_people([], []) == []
        assert counting.per_period(Snapshot.objects.all(), "month", [], dates=True) == []
        assert indicators.programme_recipients_per_period([]) == []


def test_a_cumulative_count_starts_from_the_period_each_row_joined_in():
    for when in (local(2024, 12, 31, 23, 59), local(2025, 2, 1, 0, 0), local(2025, 2, 28, 12)):
        _joined(when)
    _joined(local(2025, 4, 1, 0, 0))  # after the last period
    assert counting.cumulative(User.objects.all(), "date_joined", Q1) == [1, 3, 3]


@pytest.mark.parametrize(
    "url",
    [
        "/reports/public/?kind=quarter&year=2025&quarter=1",
        "/reports/public/?kind=year&year=2025",
        "/reports/public/?from=2024-01-01&to=2025-12-31",
    ],
    ids=["3-months", "12-months", "24-months"],
)
def test_the_public_report_without_stored_months_keeps_a_fixed_query_count(
    client, first_quarter, django_assert_max_num_queries, url
):
    """Every month of the trend computed live: the same queries for 3, 12 or 24 months
    (was ~346 for a year, ~26 more for each month): 12 for the period and its comparison,
    12 for the months, targets, stored months, 7 for the economics."""
    assert not Snapshot.objects.exists()
    with django_assert_max_num_queries(37):  # + the mailings' reach, two periods; grant reports (2)
        page = client.get(url)
    assert page.status_code == 200
    assert len(page.context["rows"][0].trend) == len(page.context["period"].months())


def test_the_live_trend_shows_the_months_figures(client, first_quarter):
    page = client.get("/reports/public/?kind=quarter&year=2025&quarter=1")
    trends = {row.figure.key: dict(row.trend) for row in page.context["rows"]}
    assert trends["infrastructure_events"] == {"01.25": 1, "02.25": 2, "03.25": 2}
    assert trends["helped_residents"] == {"01.25": 11, "02.25": 13, "03.25": 12}
    assert trends["informed_share"]["02.25"] == Decimal("0.3")  # 3 of 1 000 people
    body = page.content.decode()
    assert body.count("<svg") == 6


def test_stored_months_are_read_and_only_the_others_computed(
    client, first_quarter, django_assert_max_num_queries
):
    snapshots_store(months=[month(2025, 1), month(2025, 3)])
    Snapshot.objects.filter(indicator="programmes", month=date(2025, 1, 1)).update(value=99)
    with django_assert_max_num_queries(37):  # + the mailings' reach, two periods; grant reports (2)
        page = client.get("/reports/public/?kind=quarter&year=2025&quarter=1")
    programmes = dict(page.context["rows"][4].trend)
    assert programmes == {"01.25": 99, "02.25": 2, "03.25": 2}  # January as stored


def test_a_fully_stored_trend_computes_no_month(
    client, first_quarter, django_assert_max_num_queries
):
    snapshots_store(months=Q1)
    with django_assert_max_num_queries(22):  # no month computed: 13 fewer
        page = client.get("/reports/public/?kind=quarter&year=2025&quarter=1")
    assert dict(page.context["rows"][5].trend) == {"01.25": 11, "02.25": 13, "03.25": 12}


def test_storing_a_year_of_months_takes_a_fixed_number_of_queries(
    first_quarter, django_assert_max_num_queries
):
    # what is stored, 15 for the figures (grant reports: 2), one insert
    with django_assert_max_num_queries(17):
        assert snapshots_store(months=year(2025).months()) == 12 * 6
    stored = Snapshot.objects.get(indicator="helped_residents", month=date(2025, 2, 1))
    assert stored.value == 13
    assert stored.parts == {
        "requests_done": 2,
        "request_recipients": 1,
        "programme_recipients": 12,
        "grant_recipients": 0,
    }
    assert stored.computed_at is not None
    with django_assert_max_num_queries(1):  # nothing missing: nothing computed
        assert snapshots_store(months=year(2025).months()) == 0


def test_recomputing_rewrites_the_stored_months(first_quarter):
    snapshots_store(months=Q1)
    Snapshot.objects.update(value=0, computed_at=timezone.now() - timedelta(days=30))
    assert snapshots_store(months=Q1, recompute=True) == 3 * 6
    january = Snapshot.objects.get(indicator="infrastructure_events", month=date(2025, 1, 1))
    assert january.value == 1
    assert january.computed_at > timezone.now() - timedelta(minutes=1)
    assert Snapshot.objects.count() == 3 * 6


def test_an_open_month_is_never_stored(freeze_now, first_quarter):
    freeze_now(local(2025, 3, 20, 12))
    assert snapshots_store(months=Q1) == 2 * 6
    assert not Snapshot.objects.filter(month=date(2025, 3, 1)).exists()
