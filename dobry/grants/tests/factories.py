"""Competitions that are open now, applicants and their complete applications."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.core.models import District
from dobry.grants.models import Application, Competition, Expert, Review
from dobry.grants.services import applications, assignments, competitions, reviews
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory


def open_competition(official, **terms) -> Competition:
    """A published competition accepting applications for another day."""
    now = timezone.now()
    values = {
        "kind": Competition.Kind.SONKO,
        "title": "Конкурс «Добрые дела»",
        "budget": Decimal(1_000_000),
        "max_grant": Decimal(300_000),
        "applications_open": now - timedelta(days=1),
        "applications_close": now + timedelta(days=1),
        "review_deadline": now + timedelta(days=10),
        "results_on": (now + timedelta(days=15)).date(),
        **terms,
    }
    competition = competitions.competition_create(actor=official, **values)
    return competitions.competition_publish(actor=official, competition=competition)


def applicant_organization(**kwargs):
    """A verified local НКО and its leader (an owner)."""
    district, _created = District.objects.get_or_create(slug="center", defaults={"name": "Центр"})
    organization = OrganizationFactory(district=district, **kwargs)
    leader = UserFactory()
    MembershipFactory(organization=organization, user=leader, role=Membership.Role.OWNER)
    return organization, leader


def complete_content(amount: int = 100_000) -> dict:
    return {
        "summary": "Прогулки и общение для одиноких пожилых людей.",
        "problem": "Одиночество пожилых людей в городе.",
        "target_group": "Пожилые жители, живущие одни.",
        "goals": "Снизить одиночество.",
        "tasks": "Набрать волонтёров; провести встречи.",
        "team": "Руководитель — 10 лет в НКО.",
        "partners": "Библиотека.",
        "calendar": [{"title": "Встречи", "starts_on": "2027-02-01", "ends_on": "2027-06-30"}],
        "indicators": [{"name": "Участники", "unit": "чел.", "target": "40"}],
        "budget": [
            {
                "item": "Чай и канцелярия",
                "quantity": "1",
                "unit_cost": str(amount + 10_000),
                "requested": str(amount),
                "cofinancing": "10000",
                "cofinancing_source": "собственные средства",
            }
        ],
    }


def submitted_application(competition, amount: int = 100_000, title: str = "Проект"):
    organization, leader = applicant_organization()
    application = applications.application_create(
        user=leader, competition=competition, organization=organization
    )
    applications.application_save(
        user=leader, application=application, title=title, content=complete_content(amount)
    )
    return applications.application_submit(user=leader, application=application), leader


def admitted_application(competition, official, **kwargs) -> Application:
    application, _leader = submitted_application(competition, **kwargs)
    return applications.application_screen(
        actor=official, application=application, decision=Application.Status.ADMITTED
    )


def expert_pool(competition, official, count: int, sector=Expert.Sector.NKO) -> list[Expert]:
    return [
        assignments.expert_add(
            actor=official, competition=competition, user=UserFactory(), sector=sector
        )
        for _ in range(count)
    ]


def score_all(review, value: int, comment: str = "Обосновано.") -> None:
    """The expert declares no conflict and submits `value` for every criterion."""
    review.refresh_from_db()
    expert_user = review.expert.user
    if review.declared_at is None:
        review = reviews.conflict_declare(
            user=expert_user, application=review.application, conflict=False
        )
    criteria = review.application.competition.criteria.all()
    reviews.review_save(
        user=expert_user,
        review=review,
        scores={c.pk: value for c in criteria},
        comments={c.pk: comment for c in criteria},
        submit=True,
    )


def close_applications(competition) -> Competition:
    """Move the deadline into the past (the review deadline stays ahead)."""
    Competition.objects.filter(pk=competition.pk).update(
        applications_close=timezone.now() - timedelta(minutes=1)
    )
    competition.refresh_from_db()
    return competition


def end_review(competition, ago: timedelta = timedelta(minutes=1)) -> Competition:
    """The review deadline passed `ago`: the competition's, and the due time of the reviews
    due at it (as `competition_update` moves them; a replacement's own stays)."""
    deadline = timezone.now() - ago
    Review.objects.filter(
        application__competition=competition, due_at=competition.review_deadline
    ).update(due_at=deadline)
    Competition.objects.filter(pk=competition.pk).update(review_deadline=deadline)
    competition.refresh_from_db()
    return competition


def scored_applications(competition, official, scores_and_amounts) -> list[Application]:
    """Admitted applications scored by two experts each with the given per-criterion score."""
    made = [
        admitted_application(competition, official, amount=amount, title=f"Проект {score}")
        for score, amount in scores_and_amounts
    ]
    expert_pool(competition, official, 2)
    assignments.assign_experts(actor=official, competition=competition)
    for application, (score, _amount) in zip(made, scores_and_amounts, strict=True):
        for review in application.reviews.all():
            score_all(review, score)
    return made


def decide(competition, official, *, publish: bool = True) -> Competition:
    """Close the call, run the final allocation, hold a one-member meeting that adopts it
    and (with `publish`) publish the results."""
    from dobry.grants.services import decisions

    close_applications(competition)
    decisions.allocation_run(actor=official, competition=competition, final=True)
    meeting = decisions.meeting_create(
        actor=official,
        competition=competition,
        held_at=timezone.now(),
        quorum=1,
        members=[{"name": "Иванова Анна", "sector": "administration"}],
    )
    decisions.meeting_decide(actor=official, meeting=meeting)
    competition.refresh_from_db()
    if publish:
        decisions.results_publish(actor=official, competition=competition)
        competition.refresh_from_db()
    return competition
