"""`manage.py generate_data` (issue 17): every app's records at a scale, through the models,
the same for the same seed, within the platform's rules (no shift beyond its places, one
support per account), and counted by the practice's indicators like real activity."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F
from django.utils import timezone

from dobry.accounts.models import User
from dobry.charity.models import Campaign, Donation
from dobry.civic.models import Ballot, BallotChoice, Initiative, Support, Vote, VoterMark
from dobry.communications.models import Delivery, Mailing, NewsItem
from dobry.core.clock import local_date, local_today
from dobry.core.generating import CITY, SCALES, Names, World
from dobry.events.models import Event, Registration, Shift
from dobry.festivals.models import Programme, Session, SessionRegistration, StandApplication
from dobry.grants.models import Application, Competition, Review
from dobry.helprequests.models import HelpRequest, ProgrammeRecord
from dobry.helprequests.permissions import PUBLIC_STATUSES
from dobry.organizations.models import Membership, Organization
from dobry.reports import indicators
from dobry.reports.periods import year
from dobry.resources.models import SupportRecord
from dobry.volunteering.models import HoursEntry, VolunteerProfile

pytestmark = pytest.mark.django_db
SAMPLE = SCALES["sample"]


def _generate(seed: int = 1, *more: str) -> str:
    out = io.StringIO()
    call_command("generate_data", "--scale", "sample", "--seed", str(seed), *more, stdout=out)
    return out.getvalue()


def _flush() -> None:
    """Empty every table inside the test's transaction. PostgreSQL refuses to TRUNCATE a
    table with deferred foreign-key checks still pending (the generators' inserts): they
    are checked now, first."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False)


def _fingerprint() -> list[object]:
    """What a run made, without primary keys (they differ between runs)."""
    return [
        list(User.objects.order_by("email").values_list("email", "first_name", "last_name")),
        list(Organization.objects.order_by("name", "email").values_list("name", "kind", "email")),
        sorted(Event.objects.values_list("title", "starts_at", "organization__email")),
        sorted(HoursEntry.objects.values_list("user__email", "date", "hours", "status")),
        sorted(Registration.objects.values_list("code", "user__email", "checked_in_at")),
        sorted(Donation.objects.values_list("amount", "received_on", "donor__email")),
        sorted(Initiative.objects.values_list("title", "status", "author__email")),
    ]


def test_a_sample_makes_every_kind_in_its_numbers():
    output = _generate()
    assert User.objects.count() == SAMPLE.residents
    assert VolunteerProfile.objects.count() == SAMPLE.volunteers
    assert Organization.objects.count() == SAMPLE.organizations
    assert Membership.objects.filter(role=Membership.Role.OWNER).count() == SAMPLE.organizations
    assert HoursEntry.objects.count() == SAMPLE.hours
    festivals = SAMPLE.festivals * SAMPLE.years
    assert Event.objects.exclude(kind=Event.Kind.FESTIVAL).count() == SAMPLE.events
    assert Event.objects.filter(kind=Event.Kind.FESTIVAL).count() == festivals
    assert (
        Event.objects.exclude(kind=Event.Kind.FESTIVAL)
        .filter(starts_at__gt=F("created_at"))
        .count()
        == SAMPLE.upcoming
    )
    assert 0 < Registration.objects.count() <= SAMPLE.registrations
    assert HelpRequest.objects.count() == SAMPLE.help_requests
    assert HelpRequest.objects.filter(closed_at__isnull=True).count() == SAMPLE.open_requests
    assert HelpRequest.objects.filter(status__in=PUBLIC_STATUSES).exists()
    assert ProgrammeRecord.objects.exists()
    consultations = SupportRecord.objects.exclude(made_from=SupportRecord.MadeFrom.GRANT)
    assert consultations.count() == SAMPLE.organizations * SAMPLE.years
    assert Competition.objects.count() == SAMPLE.competitions * SAMPLE.years
    assert Application.objects.count() == SAMPLE.applications
    assert Mailing.objects.filter(status=Mailing.Status.SENT).count() == SAMPLE.mailings
    assert Delivery.objects.count() == SAMPLE.deliveries
    assert Vote.objects.count() == SAMPLE.votes
    assert Ballot.objects.count() == VoterMark.objects.count() == SAMPLE.ballots
    assert Programme.objects.count() == SAMPLE.festivals * SAMPLE.years
    assert NewsItem.objects.count() == SAMPLE.news
    assert Campaign.objects.count() == SAMPLE.campaigns
    assert Campaign.objects.collecting().count() == SAMPLE.collecting
    assert Donation.objects.count() == SAMPLE.donations
    assert Initiative.objects.count() == SAMPLE.initiatives
    assert 0 < Support.objects.count() <= SAMPLE.supports
    assert f"Generated {SAMPLE.residents} residents' records" in output
    assert f"events                   [{'#' * 30}] {SAMPLE.events}/{SAMPLE.events}" in output


def _analysed(table: str) -> bool:
    """Whether the planner has statistics for `table` (ANALYZE ran on it)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            return cursor.fetchone()[0] > 0  # -1 until analysed
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return False
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        return cursor.fetchone()[0] > 0


def test_the_generated_rows_have_the_planners_statistics():
    """Ten years of a region's events planned from an empty table's statistics made the
    event list walk every past event: minutes a page."""
    if connection.vendor != "postgresql":
        # PostgreSQL writes the statistics in place: another test's run, rolled back,
        # leaves them behind in this worker's database
        assert not _analysed("events_event")
    _generate()
    assert _analysed("events_event")
    assert _analysed("volunteering_hoursentry")


def test_the_same_seed_makes_the_same_records_and_another_seed_others():
    _generate(5)
    first = _fingerprint()
    _flush()
    _generate(5)
    assert _fingerprint() == first
    _flush()
    _generate(6)
    assert _fingerprint() != first


def test_generated_records_keep_the_platforms_rules():
    _generate(2)
    overbooked = Shift.objects.annotate(taken=Count("registrations")).filter(
        taken__gt=F("capacity")
    )
    assert not overbooked.exists()
    assert all(event.search_text for event in Event.objects.all())
    assert all(organization.search_text for organization in Organization.objects.all())
    today = local_today()
    for event in Event.objects.all():
        assert event.starts_at < event.ends_at
        assert 8 <= timezone.localtime(event.starts_at).hour <= 20  # the city's daytime
    first = SAMPLE.years - 1
    assert all(
        today.year - first <= entry.date.year and entry.date < today
        for entry in HoursEntry.objects.all()
    )
    checked_in = Registration.objects.filter(checked_in_at__isnull=False)
    assert checked_in.exists()
    assert not checked_in.exclude(checked_in_at=F("shift__starts_at")).exists()
    assert not checked_in.filter(shift__starts_at__gt=F("created_at")).exists()  # none ahead


def test_past_rounds_are_decided_by_the_competitions_rule_and_this_years_is_open():
    _generate(2)
    decided = Competition.objects.filter(status=Competition.Status.RESULTS)
    assert decided.count() == SAMPLE.competitions * (SAMPLE.years - 1)
    for competition in decided:
        assert local_date(competition.results_published_at) == competition.results_on
        admitted = competition.applications.admitted()
        assert all(a.reviews.filter(status=Review.Status.SUBMITTED).count() == 2 for a in admitted)
        winners = admitted.filter(result=Application.Result.WINNER)
        assert winners.exists()
        granted = sum(a.awarded_amount for a in winners)
        assert granted <= competition.budget
        assert not winners.filter(score__lt=competition.passing_score).exists()
        grants = SupportRecord.objects.filter(made_from=SupportRecord.MadeFrom.GRANT)
        assert grants.filter(date=competition.results_on).count() >= winners.count()
    current = Competition.objects.get(status=Competition.Status.PUBLISHED)
    assert (
        local_date(current.applications_open)
        < local_today()
        < local_date(current.applications_close)
    )
    assert current.applications.filter(submitted_at__gte=timezone.now()).count() == 0
    assert not Review.objects.filter(application__competition=current).exists()
    assert set(current.applications.values_list("status", flat=True)) == {"submitted"}


def test_mailings_reach_volunteers_once_each_with_a_few_bounces():
    _generate(2)
    volunteers = set(VolunteerProfile.objects.values_list("user_id", flat=True))
    for mailing in Mailing.objects.all():
        recipients = list(mailing.deliveries.values_list("user_id", "email"))
        assert {user for user, _email in recipients} <= volunteers
        assert len({email for _user, email in recipients}) == len(recipients)
        assert mailing.started_at < mailing.finished_at
    emails = dict(User.objects.values_list("pk", "email"))
    assert all(emails[d.user_id] == d.email for d in Delivery.objects.all())
    assert not Delivery.objects.exclude(state=Delivery.State.SENT).exists()


def test_votes_past_closed_this_years_open_with_secret_ballots_within_the_limit():
    _generate(2)
    closed = Vote.objects.get(status=Vote.Status.CLOSED)
    current = Vote.objects.get(status=Vote.Status.OPEN)
    assert closed.closed_at == closed.closes_at < timezone.now()
    assert current.opens_at < timezone.now() < current.closes_at
    for vote in (closed, current):
        marks = VoterMark.objects.filter(vote=vote)
        assert marks.count() == Ballot.objects.filter(vote=vote).count()
        assert marks.values("user").distinct().count() == marks.count()  # one ballot each
        assert all(vote.opens_at.date() <= m.voted_on < local_today() for m in marks)
        per_ballot = (
            BallotChoice.objects.filter(ballot__vote=vote)
            .values("ballot")
            .annotate(n=Count("pk"))
            .values_list("n", flat=True)
        )
        assert set(per_ballot) <= set(range(1, vote.max_choices + 1))
    assert not BallotChoice.objects.exclude(option__vote=F("ballot__vote")).exists()


def test_festivals_have_published_programmes_stands_on_their_own_places_and_attendance():
    _generate(2)
    for programme in Programme.objects.select_related("event"):
        assert programme.event.kind == Event.Kind.FESTIVAL
        assert programme.version == 1
        assert programme.is_published
        places = StandApplication.objects.filter(programme=programme).values_list(
            "place", flat=True
        )
        assert len(set(places)) == len(places) > 0
        for session in Session.objects.filter(programme=programme):
            registered = SessionRegistration.objects.filter(session=session)
            assert registered.count() <= (session.capacity or 0)
            if session.starts_at > timezone.now():
                assert not registered.filter(attended_at__isnull=False).exists()
    assert SessionRegistration.objects.filter(attended_at__isnull=False).exists()


def test_a_second_seed_adds_beside_the_first():
    _generate(3)
    _generate(4)
    assert User.objects.count() == 2 * SAMPLE.residents
    assert Registration.objects.values("code").distinct().count() == Registration.objects.count()


def test_the_generated_activity_is_counted_by_the_practices_indicators():
    _generate(1)
    this_year = year(local_today().year)
    last_year = year(local_today().year - 1)
    figures = {f.key: f.value for f in indicators.passport(last_year)}
    assert figures["involved_share"] > 0
    assert figures["helped_residents"] > 0
    assert indicators.helped_residents(last_year).parts["programme_recipients"] > 0
    assert {f.key: f.value for f in indicators.passport(this_year)}["involved_share"] > 0


def test_residents_scale_the_citys_counts_and_keep_its_years():
    half = CITY.times(0.5)
    assert half.residents == CITY.residents // 2
    assert half.events == CITY.events // 2
    assert half.years == CITY.years
    assert CITY.times(0.000001).upcoming == 1  # never none of a kind
    assert SCALES["region"].residents == 10 * CITY.residents
    out = io.StringIO()
    call_command("generate_data", "--residents", "850", "--seed", "9", stdout=out)
    assert User.objects.count() == 850
    assert Organization.objects.count() == 3
    assert "Generated 850 residents' records" in out.getvalue()


def test_names_are_russian_and_the_same_for_a_seed():
    import random

    first, second = Names(random.Random(1)), Names(random.Random(1))
    assert [first.person() for _ in range(5)] == [second.person() for _ in range(5)]
    given, patronymic, family = first.person()
    assert all("А" <= letter <= "я" or letter in "Ёё-" for letter in given + patronymic + family)
    assert first.address().startswith("ул. ")
    assert first.text(2).endswith(".")


def test_the_world_dates_are_the_citys_local_days_of_its_years():
    world = World(scale=SAMPLE, seed=1, out=io.StringIO())
    days = [world.day() for _ in range(500)]
    assert min(days).year == local_today().year - SAMPLE.years + 1
    assert max(days) < local_today()
    moment = world.moment(days[0])
    assert local_date(moment) == days[0]
    assert 8 <= timezone.localtime(moment).hour <= 20
    assert local_date(world.future_moment()) > local_today()
