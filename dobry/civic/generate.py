"""Generated city initiatives and their supports, and the residents' yearly vote «народный
выбор» among initiatives with its ballots (`manage.py generate_data`)."""

import uuid
from datetime import date, time, timedelta
from decimal import Decimal

from django.db import transaction

from dobry.civic.models import (
    Ballot,
    BallotChoice,
    Initiative,
    Support,
    Vote,
    VoteOption,
    VoterMark,
)
from dobry.civic.services.votes import receipt_hash
from dobry.core.clock import local_moment
from dobry.core.generating import World, chunks
from dobry.organizations.areas import Area

# Most initiatives stay ideas or gather support; fewer reach the centre and are done.
STAGES = (
    [Initiative.Status.IDEA] * 4
    + [Initiative.Status.GATHERING] * 3
    + [Initiative.Status.RESOURCE_CENTRE, Initiative.Status.IN_PROGRESS, Initiative.Status.DONE]
)
SKILLS = ["столярное дело", "дизайн", "работа с детьми", "юрист", "водитель", ""]


def generate(world: World) -> None:
    """`scale.initiatives` initiatives of residents at every stage, and up to
    `scale.supports` supports (one per account and initiative)."""
    areas = [area.value for area in Area]
    with transaction.atomic():
        initiatives = Initiative.objects.bulk_create(
            _initiative(world, areas) for _n in range(world.scale.initiatives)
        )
    world.ids["initiatives"] = [initiative.pk for initiative in initiatives]
    world.progress("initiatives", len(initiatives), len(initiatives))
    pairs = sorted(
        {(world.pick("initiatives"), world.pick("residents")) for _n in range(world.scale.supports)}
    )
    for chunk in chunks(len(pairs)):
        with transaction.atomic():
            Support.objects.bulk_create(
                Support(initiative_id=pairs[n][0], user_id=pairs[n][1]) for n in chunk
            )
        world.progress("supports", chunk.stop, len(pairs))
    _votes(world)


def _votes(world: World) -> None:
    """`scale.votes` votes, one a year or more (past years' closed, this year's open), each
    choosing up to three of eight initiatives, with `scale.ballots` ballots in all: a
    ballot, its marks and the voter's mark, which never name each other (random keys)."""
    years = range(world.first_day.year, world.today.year + 1)
    per_year = max(1, world.scale.votes // len(years))
    each = max(1, world.scale.ballots // (per_year * len(years)))
    for done, (year, n) in enumerate(((y, n) for y in years for n in range(per_year)), start=1):
        with transaction.atomic():
            _vote(world, year, n, each)
        world.progress("votes", done, per_year * len(years))


def _vote(world: World, year: int, n: int, ballots: int) -> None:
    closed = year < world.today.year
    opens = date(year, 9, 1) if closed else world.today - timedelta(days=10)
    vote = Vote.objects.create(
        title=f"Народный выбор — {year}" + (f" ({n + 1})" if n else ""),
        description="Какие инициативы жителей город поддержит в первую очередь.",
        kind=Vote.Kind.APPROVAL,
        max_choices=3,
        status=Vote.Status.CLOSED if closed else Vote.Status.OPEN,
        opens_at=local_moment(opens, time(9)),
        closes_at=local_moment(opens + timedelta(days=30), time(20)),
        closed_at=local_moment(opens + timedelta(days=30), time(20)) if closed else None,
    )
    options = VoteOption.objects.bulk_create(
        VoteOption(vote=vote, position=p, title=world.names.title(3), initiative_id=initiative)
        for p, initiative in enumerate(world.rng.sample(world.ids["initiatives"], 8))
    )
    last = min(opens + timedelta(days=30), world.today - timedelta(days=1))
    voters = world.rng.sample(world.ids["residents"], min(ballots, len(world.ids["residents"])))
    cast = [
        Ballot(
            id=uuid.UUID(int=world.rng.getrandbits(128)),
            vote=vote,
            receipt_hash=receipt_hash(f"{world.tag}-{vote.pk}-{number}"),
        )
        for number in range(len(voters))
    ]
    Ballot.objects.bulk_create(cast, batch_size=2_000)
    BallotChoice.objects.bulk_create(
        (
            BallotChoice(id=uuid.UUID(int=world.rng.getrandbits(128)), ballot=ballot, option=option)
            for ballot in cast
            for option in world.rng.sample(options, world.rng.randint(1, 3))
        ),
        batch_size=2_000,
    )
    span = max((last - opens).days, 0)
    VoterMark.objects.bulk_create(
        (
            VoterMark(
                vote=vote,
                user_id=voter,
                voted_on=opens + timedelta(days=world.rng.randint(0, span)),
                channel=Ballot.Channel.ONLINE,
            )
            for voter in voters
        ),
        batch_size=2_000,
    )


def _initiative(world: World, areas: list[str]) -> Initiative:
    money = world.rng.random() < 0.3
    initiative = Initiative(
        title=world.names.title(3),
        problem=world.names.text(2),
        idea=world.names.text(3),
        district_id=world.pick("districts"),
        address=world.names.address(),
        area=world.rng.choice(areas),
        needed_skills=world.rng.choice(SKILLS),
        needed_money=Decimal(world.rng.randrange(5_000, 300_000, 1_000)) if money else None,
        author_id=world.pick("residents"),
        status=world.rng.choice(STAGES),
    )
    initiative.search_text = initiative.folded_search_text()
    return initiative
