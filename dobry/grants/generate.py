"""Generated municipal grant competitions, one round a year of each kind
(`manage.py generate_data`, `dobry.core.generating`).

Each past round has its call, applications (most admitted), two experts' submitted reviews
per admitted application and the commission's decision, made by the grants services — the
final allocation under the competition's rule, the meeting with a quorum and its awards —
so the scores, the ranking and the grants are the platform's own. The current year's round
whose results are not yet due is open, with applications submitted and reviews awaited.
Applications and reviews are bulk inserts (the services would take an hour for a region).
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction

from dobry.accounts.models import User
from dobry.core import references
from dobry.core.clock import local_moment
from dobry.core.generating import World
from dobry.grants import rules
from dobry.grants.models import Application, Competition, Criterion, Expert, Review
from dobry.grants.selectors import rule_criteria
from dobry.grants.services import decisions
from dobry.resources.models import SupportRecord

KINDS = [
    (Competition.Kind.SONKO, "Конкурс социально значимых проектов СО НКО"),
    (Competition.Kind.INDIVIDUALS, "Конкурс проектов жителей"),
    (Competition.Kind.INITIATIVE_GROUPS, "Конкурс проектов инициативных групп"),
]
CRITERIA = [
    "Актуальность и социальная значимость",
    "Реалистичность и обоснованность бюджета",
    "Измеримость результатов",
    "Опыт команды и партнёры",
]
SECTORS = [Expert.Sector.INDEPENDENT, Expert.Sector.NKO, Expert.Sector.ADMINISTRATION]
MEMBERS = [
    {"name": "Чиновников С. А.", "sector": "administration", "role": "chair"},
    {"name": "Координаторова О. В.", "sector": "nko", "role": "secretary"},
    {"name": "Экспертов П. И.", "sector": "independent"},
]


def generate(world: World) -> None:
    """`scale.competitions` rounds a year over the scale's years with
    `scale.applications` applications in all: the past years' decided, this year's open.
    `ids["competitions"]`: their ids."""
    official = User.objects.get(pk=world.ids["residents"][0])  # the city's official
    official.is_official = True
    official.save(update_fields=["is_official"])
    rounds = [
        (year, n)
        for year in range(world.first_day.year, world.today.year + 1)
        for n in range(world.scale.competitions)
    ]
    per_round = max(1, world.scale.applications // len(rounds))
    world.ids["competitions"] = []
    for done, (year, n) in enumerate(rounds, start=1):
        with transaction.atomic():
            competition = _round(world, official, year, n, per_round)
        world.ids["competitions"].append(competition.pk)
        world.progress("competitions", done, len(rounds))


def _round(world: World, official: User, year: int, n: int, count: int) -> Competition:
    """A past year's round, decided; this year's, open for a month more."""
    kind, title = KINDS[n % len(KINDS)]
    decided = year < world.today.year
    if decided:
        opened = local_moment(date(year, 3, 1), time(9))
        closes, reviewed, results_on = date(year, 4, 1), date(year, 4, 30), date(year, 5, 15)
    else:
        opened = local_moment(world.today - timedelta(days=30), time(9))
        closes = world.today + timedelta(days=30)
        reviewed, results_on = closes + timedelta(days=30), closes + timedelta(days=45)
    competition = Competition.objects.create(
        kind=kind,
        title=f"{title} — {year}" + (f" ({n // len(KINDS) + 1})" if n >= len(KINDS) else ""),
        rules="Положение о конкурсе утверждено постановлением Администрации.",
        status=Competition.Status.PUBLISHED,
        budget=Decimal(1_000_000),
        min_grant=Decimal(50_000),
        max_grant=Decimal(300_000),
        passing_score=Decimal(20),
        applications_open=opened,
        applications_close=local_moment(closes, time(18)),
        review_deadline=local_moment(reviewed, time(18)),
        results_on=results_on,
        created_by=official,
    )
    criteria = Criterion.objects.bulk_create(
        Criterion(competition=competition, position=p, title=t) for p, t in enumerate(CRITERIA)
    )
    experts = Expert.objects.bulk_create(
        Expert(competition=competition, user_id=user, sector=sector)
        for user, sector in zip(world.rng.sample(world.ids["residents"], 3), SECTORS, strict=True)
    )
    applications = Application.objects.bulk_create(
        _application(world, competition, opened, number, decided) for number in range(1, count + 1)
    )
    if decided:
        _review(world, competition, criteria, experts, applications)
        _decide(official, competition, year)
    return competition


def _application(
    world: World, competition: Competition, opened: datetime, number: int, decided: bool
) -> Application:
    """Submitted between the call's opening and its close (this year's open round: and
    today); a decided round's admitted, not admitted or withdrawn, the open round's all
    awaiting screening."""
    roll = world.rng.random()
    status = (
        Application.Status.ADMITTED
        if roll < 0.85
        else Application.Status.NOT_ADMITTED
        if roll < 0.95
        else Application.Status.WITHDRAWN
    )
    received_until = competition.applications_close
    if not decided:
        status = Application.Status.SUBMITTED
        received_until = local_moment(world.today, time(0))
    submitted_at = opened + (received_until - opened) * world.rng.random()
    amount = Decimal(world.rng.randrange(50_000, 300_001, 5_000))
    of_organization = competition.kind == Competition.Kind.SONKO
    title = world.names.title(3)
    return Application(
        competition=competition,
        applicant_id=world.pick("residents"),
        organization_id=world.pick("organizations") if of_organization else None,
        status=status,
        number=f"{opened.year}-{competition.pk}-{number:03d}",
        title=title,
        content={
            "summary": world.names.text(2),
            "problem": world.names.text(2),
            "goals": world.names.sentence(),
            "budget": [{"item": "Оборудование и материалы", "requested": str(amount)}],
        },
        requested_amount=amount,
        submitted_at=submitted_at,
        screening_reason=Application.Reason.DOCUMENTS
        if status == Application.Status.NOT_ADMITTED
        else "",
    )


def _review(
    world: World,
    competition: Competition,
    criteria: list[Criterion],
    experts: list[Expert],
    applications: list[Application],
) -> None:
    """Two experts' submitted reviews per admitted application, close enough that the
    divergence rule calls for no third; the application's score is the mean of their
    totals (`rules.application_score`), as the services would fix it."""
    counted = rule_criteria(competition)
    reviews = []
    for application in applications:
        if application.status != Application.Status.ADMITTED:
            continue
        totals = []
        quality = world.rng.randint(4, 9)  # the experts agree within a point per criterion
        for expert in world.rng.sample(experts, 2):
            scores = {c.pk: min(10, quality + world.rng.randint(-1, 1)) for c in criteria}
            total = rules.expert_total(counted, scores)
            totals.append(total)
            reviews.append(
                Review(
                    application=application,
                    expert=expert,
                    status=Review.Status.SUBMITTED,
                    declared_at=competition.review_deadline,
                    scores={str(k): v for k, v in scores.items()},
                    comments={str(c.pk): "Обоснование оценки: см. заявку." for c in criteria},
                    comment=world.names.sentence(),
                    total=total,
                    submitted_at=competition.review_deadline,
                    due_at=competition.review_deadline,
                )
            )
        application.score = rules.application_score(totals)
    Review.objects.bulk_create(reviews)
    Application.objects.bulk_update(
        [a for a in applications if a.score is not None], ["score"], batch_size=500
    )


def _decide(official: User, competition: Competition, year: int) -> None:
    """The final allocation, the meeting and its decision through the services; the results
    are dated as published on the round's results day."""
    decisions.allocation_run(actor=official, competition=competition, final=True)
    meeting = decisions.meeting_create(
        actor=official,
        competition=competition,
        held_at=local_moment(date(year, 5, 12), time(15)),
        quorum=3,
        place="Администрация ЗАТО г. Железногорск, зал заседаний",
        agenda="1. Рассмотрение рейтинга заявок.\n2. Утверждение распределения грантов.",
        members=MEMBERS,
    )
    decisions.meeting_decide(actor=official, meeting=meeting)
    Competition.objects.filter(pk=competition.pk).update(
        status=Competition.Status.RESULTS,
        results_published_at=local_moment(competition.results_on, time(12)),
    )
    SupportRecord.objects.filter(
        source_kind=references.kind_of(Application),
        source_pk__in=competition.applications.values("pk"),
    ).update(date=competition.results_on)
