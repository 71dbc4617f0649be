"""Deadlines to the second and dates on the city's clock (Krasnoyarsk, UTC+7): when the call
accepts, when a draft or a returned application can still change, when experts may score,
when they are reminded, the year in an application's number and an organisation's age."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from dobry.accounts.tests.factories import UserFactory
from dobry.communications.models import Notification
from dobry.core.errors import DomainError, InvalidTransition
from dobry.grants.models import Application, Competition
from dobry.grants.services import applications, assignments, competitions, reviews
from dobry.grants.tests.factories import (
    admitted_application,
    applicant_organization,
    complete_content,
    expert_pool,
    open_competition,
    score_all,
    submitted_application,
)

pytestmark = pytest.mark.django_db
A = Application.Status

OPEN = datetime(2027, 2, 1, 3, 0, tzinfo=UTC)  # 10:00 in Krasnoyarsk
CLOSE = datetime(2027, 3, 1, 3, 0, tzinfo=UTC)
REVIEW = datetime(2027, 3, 20, 3, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


@pytest.fixture(autouse=True)
def _krasnoyarsk(settings):
    settings.TIME_ZONE = "Asia/Krasnoyarsk"


@pytest.fixture
def call(official, freeze_now) -> Competition:
    """A published call open 1 February – 1 March 2027, reviewed until 20 March."""
    freeze_now(OPEN - timedelta(days=1))
    competition = competitions.competition_create(
        actor=official,
        kind="sonko",
        title="Весенний конкурс",
        budget=Decimal(1_000_000),
        max_grant=Decimal(300_000),
        applications_open=OPEN,
        applications_close=CLOSE,
        review_deadline=REVIEW,
        results_on=date(2027, 3, 25),
    )
    return competitions.competition_publish(actor=official, competition=competition)


@pytest.mark.parametrize(
    ("moment", "accepting"),
    [(OPEN - SECOND, False), (OPEN, True), (CLOSE - SECOND, True), (CLOSE, False)],
)
def test_the_call_accepts_from_its_opening_to_the_second_before_it_closes(
    call, freeze_now, moment, accepting
):
    freeze_now(moment)
    assert call.accepting() is accepting
    organization, leader = applicant_organization()
    if accepting:
        made = applications.application_create(
            user=leader, competition=call, organization=organization
        )
        assert made.status == A.DRAFT
    else:
        with pytest.raises(InvalidTransition, match="Приём заявок на этот конкурс закрыт"):
            applications.application_create(
                user=leader, competition=call, organization=organization
            )


def test_a_draft_call_accepts_nothing_even_within_its_dates(official):
    competition = open_competition(official)
    Competition.objects.filter(pk=competition.pk).update(status=Competition.Status.DRAFT)
    competition.refresh_from_db()
    organization, leader = applicant_organization()
    assert not competition.accepting()
    with pytest.raises(InvalidTransition):
        applications.application_create(
            user=leader, competition=competition, organization=organization
        )


def _draft(call):
    organization, leader = applicant_organization()
    application = applications.application_create(
        user=leader, competition=call, organization=organization
    )
    applications.application_save(
        user=leader, application=application, title="Проект", content=complete_content()
    )
    return application, leader


def test_a_draft_changes_and_is_submitted_until_the_second_the_call_closes(call, freeze_now):
    freeze_now(OPEN)
    application, leader = _draft(call)
    late, other = _draft(call)
    freeze_now(CLOSE - SECOND)
    application = applications.application_submit(user=leader, application=application)
    assert application.submitted_at == CLOSE - SECOND
    freeze_now(CLOSE)
    with pytest.raises(InvalidTransition, match="Приём заявок закончился"):
        applications.application_save(user=other, application=late, content={"goals": "Ещё"})
    with pytest.raises(InvalidTransition, match="Приём заявок закончился"):
        applications.application_submit(user=other, application=late)
    with pytest.raises(InvalidTransition, match="отозвать заявку нельзя"):
        applications.application_withdraw(user=leader, application=application)
    late.refresh_from_db()
    assert (late.status, late.content["goals"]) == (A.DRAFT, "Снизить одиночество.")


def test_a_returned_application_changes_until_its_own_deadline(call, official, freeze_now):
    freeze_now(OPEN)
    application, leader = _draft(call)
    application = applications.application_submit(user=leader, application=application)
    until = CLOSE + timedelta(days=5)
    with pytest.raises(DomainError) as error:
        applications.application_screen(
            actor=official,
            application=application,
            decision=A.RETURNED,
            reason="documents",
            returned_until=OPEN - SECOND,
        )
    assert list(error.value.field_errors) == ["returned_until"]
    applications.application_screen(
        actor=official,
        application=application,
        decision=A.RETURNED,
        reason="documents",
        returned_until=until,
    )
    freeze_now(until - SECOND)  # the call is closed, the correction period is not
    applications.application_save(user=leader, application=application, content={"team": "Трое"})
    freeze_now(until)
    with pytest.raises(InvalidTransition, match="Срок доработки заявки истёк"):
        applications.application_submit(user=leader, application=application)
    application.refresh_from_db()
    assert (application.status, application.content["team"]) == (A.RETURNED, "Трое")
    late = applications.application_screen(
        actor=official, application=application, decision=A.NOT_ADMITTED, reason="late"
    )
    assert late.screening_reason == "late"


def test_the_number_carries_the_year_of_the_calls_opening_on_the_city_clock(official, freeze_now):
    # Opening at 18:00 UTC on 31 December 2026 is 01:00 on 1 January 2027 in Krasnoyarsk.
    opening = datetime(2026, 12, 31, 18, 0, tzinfo=UTC)
    freeze_now(opening)
    competition = competitions.competition_publish(
        actor=official,
        competition=competitions.competition_create(
            actor=official,
            kind="sonko",
            title="Новогодний",
            budget=Decimal(1_000_000),
            max_grant=Decimal(300_000),
            applications_open=opening,
            applications_close=opening + timedelta(days=30),
            review_deadline=opening + timedelta(days=40),
            results_on=date(2027, 2, 20),
        ),
    )
    first, _leader = submitted_application(competition)
    second, _leader = submitted_application(competition)
    assert [first.number, second.number] == [
        f"2027-{competition.pk}-001",
        f"2027-{competition.pk}-002",
    ]


def test_numbers_count_only_submitted_applications_and_a_resubmission_keeps_its_number(
    official,
):
    competition = open_competition(official)
    first, leader = submitted_application(competition)
    organization, other = applicant_organization()
    applications.application_create(user=other, competition=competition, organization=organization)
    applications.application_withdraw(user=leader, application=first)
    again = applications.application_submit(user=leader, application=first)
    third, _leader = submitted_application(competition)
    year = competition.applications_open.year
    assert again.number == f"{year}-{competition.pk}-001"
    assert third.number == f"{year}-{competition.pk}-002"
    assert [v.version for v in again.versions.all()] == [2, 1]


@pytest.mark.parametrize(
    ("founded", "eligible"), [(date(2026, 3, 1), True), (date(2026, 3, 2), False)]
)
def test_an_organisations_age_is_counted_from_the_citys_today(
    official, freeze_now, founded, eligible
):
    # 19:00 UTC on 28 February 2027 is 02:00 on 1 March in Krasnoyarsk: twelve months back
    # is 1 March 2026 (by the UTC date it would be 28 February).
    freeze_now(datetime(2027, 2, 28, 19, 0, tzinfo=UTC))
    competition = open_competition(official, min_registered_months=12)
    organization, leader = applicant_organization(founded_on=founded)
    if eligible:
        assert (
            applications.application_create(
                user=leader, competition=competition, organization=organization
            ).organization
            == organization
        )
    else:
        with pytest.raises(DomainError, match="не менее 12 мес"):
            applications.application_create(
                user=leader, competition=competition, organization=organization
            )


def test_an_organisation_without_a_founding_date_is_not_old_enough(official):
    competition = open_competition(official, min_registered_months=6)
    organization, leader = applicant_organization(founded_on=None)
    with pytest.raises(DomainError) as error:
        applications.application_create(
            user=leader, competition=competition, organization=organization
        )
    assert error.value.field_errors["organization"] == [
        "Организация должна быть зарегистрирована не менее 6 мес."
    ]


@pytest.fixture
def assigned(call, official, freeze_now):
    """An admitted application with two experts who declared no conflict; the call closed."""
    freeze_now(OPEN)
    application = admitted_application(call, official)
    expert_pool(call, official, 3)
    assignments.assign_experts(actor=official, competition=call)
    for review in application.reviews.all():
        reviews.conflict_declare(user=review.expert.user, application=application, conflict=False)
    return application


def test_experts_score_until_the_second_the_review_ends(assigned, freeze_now):
    first, second = assigned.reviews.all()
    freeze_now(REVIEW - SECOND)
    score_all(first, 7)
    freeze_now(REVIEW)
    with pytest.raises(InvalidTransition, match="Срок экспертизы истёк"):
        score_all(second, 7)
    second.refresh_from_db()
    assert second.status == "assigned"


def test_no_assignment_once_the_review_has_ended(assigned, call, official, freeze_now):
    freeze_now(REVIEW)
    with pytest.raises(InvalidTransition, match="Срок экспертизы истёк"):
        assignments.assign_experts(actor=official, competition=call)


@pytest.mark.parametrize(
    ("moment", "reminded"),
    [
        (REVIEW - timedelta(days=3) - SECOND, 0),
        (REVIEW - timedelta(days=3), 1),
        (REVIEW - SECOND, 1),
        (REVIEW, 0),
    ],
)
def test_reminders_go_in_the_last_three_days_of_the_review(assigned, moment, reminded):
    assert reviews.remind_reviewers(now=moment) == 2 * reminded


def test_one_reminder_per_expert_and_competition_however_many_reviews(official, freeze_now):
    freeze_now(OPEN - timedelta(days=2))
    terms = {"review_deadline": REVIEW, "results_on": date(2027, 3, 25)}
    first = open_competition(official, title="Первый", **terms)
    second = open_competition(official, title="Второй", **terms)
    person = UserFactory()
    for competition in (first, second):
        for _ in range(2):
            admitted_application(competition, official)
        assignments.expert_add(actor=official, competition=competition, user=person, sector="nko")
        assignments.expert_add(
            actor=official, competition=competition, user=UserFactory(), sector="nko"
        )
        assignments.assign_experts(actor=official, competition=competition)
    assert reviews.remind_reviewers(now=REVIEW - timedelta(days=1)) == 4
    notices = Notification.objects.filter(user=person, kind="grant_review_reminder")
    assert notices.count() == 2  # one for each competition, not one per application
    assert reviews.remind_reviewers(now=REVIEW - timedelta(hours=1)) == 0


def test_the_task_reminds_with_the_real_clock(assigned, freeze_now):
    from dobry.grants.tasks import remind_grant_reviewers

    freeze_now(REVIEW - timedelta(days=1))
    assert remind_grant_reviewers.call() == 2
    assert remind_grant_reviewers.call() == 0
