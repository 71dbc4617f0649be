"""civic's part of `generate_data` (issue 17): initiatives at every stage of the timeline,
with supports that keep the one-support-per-account rule and figures the list can read."""

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count

from dobry.accounts.tests.factories import UserFactory
from dobry.civic.generate import generate
from dobry.civic.models import Ballot, BallotChoice, Initiative, Support, Vote, VoterMark
from dobry.civic.selectors import initiative_list
from dobry.core.generating import SCALES, World
from dobry.core.models import District

pytestmark = pytest.mark.django_db
SAMPLE = SCALES["sample"]


def _world(seed: int = 1) -> World:
    world = World(scale=SAMPLE, seed=seed, out=io.StringIO())
    world.ids["residents"] = [UserFactory().pk for _ in range(8)]
    world.ids["districts"] = [
        District.objects.get_or_create(slug=f"d{n}", defaults={"name": f"Район {n}"})[0].pk
        for n in range(3)
    ]
    return world


def test_initiatives_of_every_stage_with_their_supports():
    world = _world()
    generate(world)
    assert Initiative.objects.count() == SAMPLE.initiatives
    assert sorted(world.ids["initiatives"]) == sorted(
        Initiative.objects.values_list("pk", flat=True)
    )
    stages = set(Initiative.objects.values_list("status", flat=True))
    assert stages == set(Initiative.Status.values)
    assert not Initiative.objects.filter(search_text="").exists()
    assert not Initiative.objects.filter(needed_money__lte=0).exists()
    # 8 residents, 40 initiatives: far fewer distinct pairs than asked — never a repeat
    supports = list(Support.objects.values_list("initiative", "user"))
    assert 0 < len(supports) <= SAMPLE.supports
    assert len(set(supports)) == len(supports)
    assert "initiatives" in world.out.getvalue()  # type: ignore[attr-defined]


def test_the_list_counts_the_generated_supports():
    generate(_world())
    listed = {i.pk: i.support_count for i in initiative_list(AnonymousUser(), {})}
    assert len(listed) == SAMPLE.initiatives
    counted = {pk: Support.objects.filter(initiative=pk).count() for pk in listed}
    assert listed == counted


def test_the_same_seed_gives_the_same_initiatives():
    generate(_world(4))
    first = sorted(Initiative.objects.values_list("title", "status", "area", "needed_money"))
    tallies = _tallies()
    for model in (BallotChoice, Ballot, VoterMark, Vote, Initiative):
        model.objects.all().delete()
    generate(_world(4))
    assert _tallies() == tallies
    assert (
        sorted(Initiative.objects.values_list("title", "status", "area", "needed_money")) == first
    )


def _tallies() -> list[tuple[str, int]]:
    return sorted(Vote.objects.annotate(n=Count("ballots")).values_list("title", "n")) + sorted(
        BallotChoice.objects.values_list("option__position").annotate(n=Count("pk"))
    )


def test_a_vote_a_year_the_past_closed_with_one_ballot_per_voter():
    world = _world()
    generate(world)
    assert Vote.objects.filter(status=Vote.Status.CLOSED).count() == SAMPLE.years - 1
    assert Vote.objects.filter(status=Vote.Status.OPEN).count() == 1
    # 8 residents: a vote has at most 8 ballots, each voter once
    for vote in Vote.objects.all():
        voters = list(VoterMark.objects.filter(vote=vote).values_list("user", flat=True))
        assert len(voters) == len(set(voters)) == vote.ballots.count() <= 8
        assert vote.options.count() == 8
        assert not vote.options.filter(initiative__isnull=True).exists()
