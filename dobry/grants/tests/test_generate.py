"""grants' part of `generate_data` (issue 17): a round of each kind a year, the past ones
decided by the services' own allocation and the commission's decision, this year's open —
records the ranking, the results page and the support records read like real ones."""

import io
from dataclasses import replace
from decimal import Decimal

import pytest
from django.test import Client

from dobry.accounts.tests.factories import UserFactory
from dobry.core.clock import local_date, local_today
from dobry.core.generating import SCALES, World
from dobry.grants import rules, selectors
from dobry.grants.generate import generate
from dobry.grants.models import AllocationRun, Application, Competition, Meeting, Review
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.resources.models import SupportRecord

pytestmark = pytest.mark.django_db
SAMPLE = SCALES["sample"]


def _world(seed: int = 1, **counts: int) -> World:
    scale = replace(SAMPLE, **counts)
    world = World(scale=scale, seed=seed, out=io.StringIO())
    world.ids["residents"] = [UserFactory().pk for _ in range(12)]
    world.ids["organizations"] = [OrganizationFactory().pk for _ in range(6)]
    return world


def _past() -> Competition:
    return Competition.objects.get(status=Competition.Status.RESULTS)


def test_a_round_a_year_the_past_decided_and_this_years_open():
    world = _world()
    generate(world)
    assert sorted(world.ids["competitions"]) == sorted(
        Competition.objects.values_list("pk", flat=True)
    )
    past, current = _past(), Competition.objects.get(status=Competition.Status.PUBLISHED)
    assert local_date(past.applications_open).year == local_today().year - 1
    assert str(local_today().year - 1) in past.title
    assert local_date(current.applications_open) < local_today()
    assert local_date(current.applications_close) > local_today()
    assert current.review_deadline > current.applications_close
    assert Application.objects.count() == SAMPLE.applications
    assert "competitions" in world.out.getvalue()  # type: ignore[attr-defined]


def test_the_open_rounds_applications_wait_for_their_experts():
    generate(_world())
    current = Competition.objects.get(status=Competition.Status.PUBLISHED)
    applications = list(current.applications.all())
    assert applications
    assert {a.status for a in applications} == {Application.Status.SUBMITTED}
    assert all(a.score is None and a.result == "" for a in applications)
    assert not Review.objects.filter(application__competition=current).exists()
    assert all(local_date(a.submitted_at) < local_today() for a in applications)


def test_each_admitted_application_has_two_agreeing_reviews_and_their_mean():
    generate(_world())
    past = _past()
    criteria = selectors.rule_criteria(past)
    assert selectors.final_allocation_wait(past).ready  # no third expert called for
    for application in past.applications.admitted():
        reviews = list(application.reviews.all())
        assert len(reviews) == 2
        assert len({r.expert_id for r in reviews}) == 2
        for review in reviews:
            assert review.status == Review.Status.SUBMITTED
            marks = {int(k): v for k, v in review.scores.items()}
            assert review.total == rules.expert_total(criteria, marks)
        assert application.score == rules.application_score([r.total for r in reviews])
    assert not Review.objects.exclude(application__status=Application.Status.ADMITTED).exists()


def test_the_commission_decided_by_the_rule_within_the_fund():
    generate(_world())
    past = _past()
    assert AllocationRun.objects.filter(competition=past, final=True).count() == 1
    meeting = Meeting.objects.get(competition=past)
    assert meeting.decision == Meeting.Decision.ADOPTED
    assert meeting.members.filter(present=True).count() >= meeting.quorum
    admitted = list(past.applications.admitted())
    assert all(a.result in Application.Result.values for a in admitted)
    winners = [a for a in admitted if a.result == Application.Result.WINNER]
    assert winners
    assert sum(a.awarded_amount for a in winners) <= past.budget
    assert all(past.min_grant <= a.awarded_amount <= a.requested_amount for a in winners)
    first = selectors.ranking(past)[0].application
    assert first.result == Application.Result.WINNER  # the best is funded
    others = past.applications.exclude(status=Application.Status.ADMITTED)
    assert not others.exclude(result="").exists()
    assert not others.filter(status=Application.Status.NOT_ADMITTED, screening_reason="").exists()


def test_grants_are_recorded_as_support_on_the_results_day():
    generate(_world())
    past = _past()
    grants = SupportRecord.objects.filter(made_from=SupportRecord.MadeFrom.GRANT)
    winners = past.applications.filter(result=Application.Result.WINNER)
    assert grants.count() == winners.count()
    assert set(grants.values_list("date", flat=True)) == {past.results_on}
    assert sum(grants.values_list("value_rub", flat=True), Decimal(0)) == sum(
        winners.values_list("awarded_amount", flat=True), Decimal(0)
    )
    assert local_date(past.results_published_at) == past.results_on


def test_numbers_carry_the_year_and_organisations_apply_to_the_nko_round_only():
    generate(_world(competitions=3, applications=60))
    for competition in Competition.objects.all():
        numbers = list(competition.applications.values_list("number", flat=True))
        assert len(set(numbers)) == len(numbers)
        year = str(local_date(competition.applications_open).year)
        assert all(n.startswith(f"{year}-{competition.pk}-") for n in numbers)
        with_organization = competition.applications.filter(organization__isnull=False)
        if competition.kind == Competition.Kind.SONKO:
            assert with_organization.count() == competition.applications.count()
        else:
            assert not with_organization.exists()
    assert Competition.objects.count() == 3 * SAMPLE.years


def test_the_public_results_page_of_a_generated_round():
    generate(_world())
    past = _past()
    winner = past.applications.filter(result=Application.Result.WINNER).first()
    page = Client().get(f"/grants/{past.pk}/results/")
    assert page.status_code == 200
    assert winner.title in page.content.decode()


def test_the_same_seed_gives_the_same_rounds():
    generate(_world(7))
    first = sorted(Application.objects.values_list("title", "score", "result", "awarded_amount"))
    SupportRecord.objects.all().delete()
    for model in (Meeting, AllocationRun, Review, Application, Competition):
        model.objects.all().delete()
    generate(_world(7))
    again = sorted(Application.objects.values_list("title", "score", "result", "awarded_amount"))
    assert again == first
