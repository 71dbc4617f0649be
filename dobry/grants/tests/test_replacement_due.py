"""Each review has its own due time (issue 11 hardening §1): a replacement expert assigned
after the competition's review deadline was refused «Срок экспертизы истёк» and could never
score. Now a review is due at the competition's deadline when assigned while the review
runs, and a replacement assigned after it at the end of a day the organisers choose
(default: five working days, on the city's clock); the final allocation waits for it."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.test import Client

from dobry.accounts.services import api_token_create
from dobry.communications.models import Notification
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.core.models import AuditEntry
from dobry.grants import deadlines, selectors
from dobry.grants.models import Competition, Review
from dobry.grants.services import assignments, competitions, decisions, reviews
from dobry.grants.tests.factories import admitted_application, expert_pool, score_all
from dobry.grants.tests.pages import said

pytestmark = pytest.mark.django_db
R = Review.Status
JSON = "application/json"

OPEN = datetime(2027, 2, 1, 3, 0, tzinfo=UTC)  # 10:00 in Krasnoyarsk
CLOSE = datetime(2027, 3, 1, 3, 0, tzinfo=UTC)
REVIEW = datetime(2027, 3, 19, 3, 0, tzinfo=UTC)  # Friday 19 March, 10:00 in Krasnoyarsk
MONDAY = datetime(2027, 3, 22, 2, 0, tzinfo=UTC)  # Monday 22 March, 09:00 in Krasnoyarsk
# Five working days after Monday 22 March is Monday 29 March; due at 23:59 Krasnoyarsk time.
DEFAULT_DUE = datetime(2027, 3, 29, 16, 59, tzinfo=UTC)
SECOND = timedelta(seconds=1)


@pytest.fixture(autouse=True)
def _krasnoyarsk(settings):
    settings.TIME_ZONE = "Asia/Krasnoyarsk"


@pytest.fixture
def late(official, freeze_now):
    """Two experts on an application, the first scored 8 in time, the second silent; a
    third expert free. The clock stands on the Monday after the review ended."""
    freeze_now(OPEN - timedelta(days=1))
    competition = competitions.competition_publish(
        actor=official,
        competition=competitions.competition_create(
            actor=official,
            kind="sonko",
            title="Весенний конкурс",
            budget=Decimal(1_000_000),
            max_grant=Decimal(300_000),
            applications_open=OPEN,
            applications_close=CLOSE,
            review_deadline=REVIEW,
            results_on=date(2027, 3, 31),
            divergence_percent=Decimal(100),
        ),
    )
    freeze_now(OPEN)
    application = admitted_application(competition, official)
    first_expert, second_expert, spare = expert_pool(competition, official, 3)
    first, second = (
        assignments.review_assign(actor=official, application=application, expert=expert)
        for expert in (first_expert, second_expert)
    )
    freeze_now(REVIEW - timedelta(days=1))
    score_all(first, 8)
    freeze_now(MONDAY)
    competition.refresh_from_db()
    return competition, application, first, second, spare


def _replace_the_silent_expert(official, late, **kwargs) -> Review:
    _competition, application, _first, second, spare = late
    assignments.review_unassign(actor=official, review=second)
    return assignments.review_assign(
        actor=official, application=application, expert=spare, **kwargs
    )


def test_working_days_are_those_of_the_production_calendar():
    assert deadlines.add_working_days(date(2027, 3, 22), 5) == date(2027, 3, 29)
    assert deadlines.add_working_days(date(2027, 3, 5), 1) == date(2027, 3, 9)  # 8 March
    # 31 December 2026 (a day off moved from 4 January), the New Year holidays (1–8
    # January) and a weekend
    assert deadlines.add_working_days(date(2026, 12, 30), 3) == date(2027, 1, 13)
    assert deadlines.default_replacement_day(date(2027, 3, 22)) == date(2027, 3, 29)


def test_experts_assigned_while_the_review_runs_are_due_at_the_competitions_deadline(late):
    _competition, _application, first, second, _spare = late
    assert first.due_at == second.due_at == REVIEW


def test_a_replacement_assigned_after_the_deadline_scores_until_its_own_day(
    official, late, freeze_now
):
    competition, application, _first, _second, _spare = late
    replacement = _replace_the_silent_expert(official, late)
    assert replacement.due_at == DEFAULT_DUE  # 29 March, 23:59 in Krasnoyarsk
    assert AuditEntry.objects.filter(action="application.review_assign").order_by("pk").last().data[
        "due"
    ] == ("2027-03-29T16:59:00+00:00")
    freeze_now(DEFAULT_DUE - SECOND)
    score_all(replacement, 6)
    replacement.refresh_from_db()
    application.refresh_from_db()
    assert replacement.status == R.SUBMITTED
    assert application.score == Decimal("70.00")  # (80 + 60) / 2
    assert competition.review_deadline == REVIEW  # the competition's own stays


def test_a_replacement_cannot_score_once_its_own_day_is_over(official, late, freeze_now):
    replacement = _replace_the_silent_expert(official, late)
    freeze_now(DEFAULT_DUE)
    with pytest.raises(InvalidTransition, match="Срок экспертизы истёк"):
        score_all(replacement, 6)
    replacement.refresh_from_db()
    assert replacement.status == R.ASSIGNED


def test_the_organisers_choose_the_replacements_day(official, late):
    replacement = _replace_the_silent_expert(official, late, due_on=date(2027, 3, 31))
    assert replacement.due_at == datetime(2027, 3, 31, 16, 59, tzinfo=UTC)


def test_a_replacements_day_is_not_after_the_results_day(official, late):
    # Attacker finding: a replacement could be given 2 April when the results were due on
    # 31 March — the results would have to be announced without that review.
    competition, application, _first, _second, spare = late
    with pytest.raises(DomainError, match="не позже дня итогов конкурса") as refused:
        assignments.review_assign(
            actor=official, application=application, expert=spare, due_on=date(2027, 4, 1)
        )
    assert list(refused.value.field_errors) == ["due_on"]
    # The default day (29 March) is before the results day; with the results on 25 March
    # it is cut to that day.
    assert deadlines.default_replacement_day(date(2027, 3, 22), competition) == date(2027, 3, 29)
    competition.results_on = date(2027, 3, 25)
    assert deadlines.default_replacement_day(date(2027, 3, 22), competition) == date(2027, 3, 25)
    # Once the results day has passed without results, no day is held back.
    assert deadlines.default_replacement_day(date(2027, 3, 26), competition) == date(2027, 4, 2)


@pytest.mark.parametrize(
    ("due_on", "message"),
    [
        (date(2027, 3, 21), "не раньше сегодняшнего дня"),
        (date(2027, 6, 21), "не дальше чем через 90 дней"),
    ],
)
def test_a_replacements_day_in_the_past_or_too_far_is_refused_at_the_field(
    official, late, due_on, message
):
    _competition, application, _first, _second, spare = late
    with pytest.raises(DomainError, match=message) as refused:
        assignments.review_assign(
            actor=official, application=application, expert=spare, due_on=due_on
        )
    assert list(refused.value.field_errors) == ["due_on"]
    assert not application.reviews.filter(expert=spare).exists()


def test_no_own_day_while_the_review_runs(official, late, freeze_now):
    _competition, application, _first, _second, spare = late
    freeze_now(REVIEW - SECOND)
    with pytest.raises(DomainError, match="общий срок конкурса") as refused:
        assignments.review_assign(
            actor=official, application=application, expert=spare, due_on=date(2027, 3, 30)
        )
    assert list(refused.value.field_errors) == ["due_on"]
    made = assignments.review_assign(actor=official, application=application, expert=spare)
    assert made.due_at == REVIEW


def test_a_recusal_after_the_deadline_gives_the_replacement_the_default_day(official, late):
    _competition, application, first, _second, spare = late
    reviews.review_recuse(actor=first.expert.user, review=first, reason="Учредитель заявителя")
    replacement = application.reviews.get(expert=spare)
    assert (replacement.status, replacement.due_at) == (R.ASSIGNED, DEFAULT_DUE)
    notice = Notification.objects.get(user=spare.user, kind="grant_review_assigned")
    assert "29.03.2027 23:59" in notice.body


def test_the_organisers_give_an_overdue_review_a_new_day(official, late, outsider):
    _competition, _application, first, second, _spare = late
    Review.objects.filter(pk=second.pk).update(reminded_at=REVIEW - timedelta(days=2))
    with pytest.raises(PermissionDenied):
        assignments.review_reschedule(actor=outsider, review=second, due_on=date(2027, 3, 26))
    with pytest.raises(InvalidTransition, match="неотправленной"):
        assignments.review_reschedule(actor=official, review=first, due_on=date(2027, 3, 26))
    with pytest.raises(DomainError) as refused:
        assignments.review_reschedule(actor=official, review=second, due_on=date(2027, 3, 1))
    assert list(refused.value.field_errors) == ["due_on"]
    moved = assignments.review_reschedule(actor=official, review=second, due_on=date(2027, 3, 26))
    assert moved.due_at == datetime(2027, 3, 26, 16, 59, tzinfo=UTC)
    assert moved.reminded_at is None  # reminded again before the new day
    entry = AuditEntry.objects.get(action="review.reschedule")
    assert (entry.data["from"], entry.data["to"]) == (
        "2027-03-19T03:00:00+00:00",
        "2027-03-26T16:59:00+00:00",
    )
    notice = Notification.objects.get(user=second.expert.user, kind="grant_review_rescheduled")
    assert "до 26.03.2027 23:59" in notice.body


def test_no_new_day_while_the_review_runs(official, late, freeze_now):
    _competition, _application, _first, second, _spare = late
    freeze_now(REVIEW - SECOND)
    with pytest.raises(InvalidTransition, match="общий срок конкурса"):
        assignments.review_reschedule(actor=official, review=second, due_on=date(2027, 3, 26))


def test_reviews_due_at_the_deadline_follow_it_and_a_replacement_keeps_its_day(official, late):
    competition, _application, first, _second, _spare = late
    replacement = _replace_the_silent_expert(official, late)
    later = REVIEW + timedelta(days=3)
    competitions.competition_update(actor=official, competition=competition, review_deadline=later)
    first.refresh_from_db()
    replacement.refresh_from_db()
    assert (first.due_at, replacement.due_at) == (later, DEFAULT_DUE)


def test_the_final_allocation_waits_for_the_replacement(official, late, freeze_now):
    competition, application, _first, _second, _spare = late
    replacement = _replace_the_silent_expert(official, late)
    wait = selectors.final_allocation_wait(competition)
    assert ([r.pk for r in wait.reviews], wait.needs_expert, wait.ready) == (
        [replacement.pk],
        [],
        False,
    )
    with pytest.raises(DomainError, match=application.number):
        decisions.allocation_run(actor=official, competition=competition, final=True)
    trial = decisions.allocation_run(actor=official, competition=competition, final=False)
    assert trial.final is False  # a trial for discussion can be made meanwhile
    score_all(replacement, 6)
    assert selectors.final_allocation_wait(competition).ready
    final = decisions.allocation_run(actor=official, competition=competition, final=True)
    assert Decimal(final.result["scores"][str(application.pk)]) == 70


def test_an_application_short_of_an_expert_holds_the_final_allocation(official, late):
    competition, application, _first, second, _spare = late
    assignments.review_unassign(actor=official, review=second)
    wait = selectors.final_allocation_wait(competition)
    assert (wait.reviews, wait.needs_expert) == ([], [application])
    with pytest.raises(DomainError, match=application.number):
        decisions.allocation_run(actor=official, competition=competition, final=True)


def test_the_ranking_page_says_why_the_final_allocation_waits_and_for_whom(
    official, late, login_as, freeze_now
):
    competition, application, _first, _second, spare = late
    replacement = _replace_the_silent_expert(official, late)
    page = login_as(official).get(f"/grants/{competition.pk}/ranking/").content.decode()
    assert "Итоговое распределение пока невозможно" in page
    assert f"№ {application.number}</a> — {spare.user.display_name}" in page
    assert "оценить до 29 марта, 23:59" in page
    assert 'name="final" value="1"' not in page  # the trial run has final=0
    freeze_now(DEFAULT_DUE)
    overdue = login_as(official).get(f"/grants/{competition.pk}/ranking/").content.decode()
    assert "срок истёк: продлите его или замените эксперта" in overdue
    freeze_now(MONDAY)
    score_all(replacement, 6)
    ready = login_as(official).get(f"/grants/{competition.pk}/ranking/").content.decode()
    assert "Итоговое распределение пока невозможно" not in ready
    assert 'name="final" value="1"' in ready


def test_the_experts_pages_show_their_own_due_time(official, late, login_as):
    replacement = _replace_the_silent_expert(official, late)
    client = login_as(replacement.expert.user)
    listed = client.get("/grants/reviews/").content.decode()
    assert "29.03.2027 23:59" in listed
    assert "19.03.2027" not in listed
    reviews.conflict_declare(
        user=replacement.expert.user, application=replacement.application, conflict=False
    )
    page = client.get(f"/grants/reviews/{replacement.pk}/").content.decode()
    assert "срок — 29.03.2027 23:59" in page


def test_the_screening_page_assigns_a_replacement_with_a_chosen_day(
    official, late, login_as, outsider
):
    _competition, application, _first, second, spare = late
    staff = login_as(official)
    url = f"/grants/applications/{application.pk}/screening/"
    page = staff.get(url).content.decode()
    assert "Назначить заменяющего эксперта" in page
    assert 'value="2027-03-29"' in page  # the default day, on the city's calendar
    staff.post(f"/grants/assignments/{second.pk}/remove/")
    assign = f"/grants/applications/{application.pk}/experts/"
    assert login_as(outsider).post(assign, {"expert": spare.pk}).status_code == 403
    bad = staff.post(assign, {"expert": spare.pk, "due_on": "0001-01-01"})
    assert bad.status_code == 400
    assert "«due_on»" in bad.content.decode()
    past = staff.post(assign, {"expert": spare.pk, "due_on": "2027-03-01"})
    assert said(past) == ["Срок — не раньше сегодняшнего дня."]
    done = staff.post(assign, {"expert": spare.pk, "due_on": "2027-03-31"})
    assert said(done) == ["Эксперт назначен, оценить до 31 марта, 23:59."]
    replacement = application.reviews.get(expert=spare)
    assert replacement.due_at == datetime(2027, 3, 31, 16, 59, tzinfo=UTC)
    assert "оценить до 31 марта, 23:59" in staff.get(url).content.decode()


def test_the_screening_page_gives_a_review_a_new_day(official, late, login_as, outsider):
    _competition, _application, _first, second, _spare = late
    url = f"/grants/assignments/{second.pk}/due/"
    assert Client().post(url, {"due_on": "2027-03-26"}).status_code == 302  # to log in
    assert login_as(outsider).post(url, {"due_on": "2027-03-26"}).status_code == 403
    assert login_as(official).get(url).status_code == 405
    assert login_as(official).post(url, {}).status_code == 400
    done = login_as(official).post(url, {"due_on": "2027-03-26"})
    assert said(done) == ["Новый срок оценки: 26 марта, 23:59."]
    second.refresh_from_db()
    assert second.due_at == datetime(2027, 3, 26, 16, 59, tzinfo=UTC)


def _bearer(user) -> Client:
    _token, raw = api_token_create(user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _assign_by_api(staff, application, first, spare, outsider) -> dict:
    """Only the organisers put a replacement on; a day before the default is refused."""
    assign = f"/api/v1/applications/{application.pk}/experts"
    assert Client().post(assign, {"expert": spare.pk}, content_type=JSON).status_code == 401
    assert (
        _bearer(outsider).post(assign, {"expert": spare.pk}, content_type=JSON).status_code == 404
    )
    assert (
        _bearer(first.expert.user).post(assign, {"expert": spare.pk}, content_type=JSON).status_code
        == 403
    )
    refused = staff.post(assign, {"expert": spare.pk, "due_on": "2027-03-01"}, content_type=JSON)
    assert refused.status_code == 422
    assert list(refused.json()["errors"]) == ["due_on"]
    made = staff.post(assign, {"expert": spare.pk}, content_type=JSON)
    assert made.status_code == 201, made.content
    assert made.json()["due_at"] == "2027-03-29T16:59:00Z"
    assert made.json()["overdue"] is False
    return made.json()


def _final_allocation_waits_for(staff, competition, application, first, spare) -> None:
    wait = staff.get(f"/api/v1/competitions/{competition.pk}/final-allocation/wait")
    assert wait.status_code == 200
    body = wait.json()
    assert body["ready"] is False
    assert [(r["number"], r["expert"], r["due_at"]) for r in body["reviews"]] == [
        (application.number, spare.user.display_name, "2027-03-29T16:59:00Z")
    ]
    assert (
        _bearer(first.expert.user)
        .get(f"/api/v1/competitions/{competition.pk}/final-allocation/wait")
        .status_code
        == 403
    )


def _reschedule_by_api(staff, review_id, spare) -> None:
    url = f"/api/v1/reviews/{review_id}/due"
    moved = staff.put(url, {"due_on": "2027-03-31"}, content_type=JSON)
    assert moved.status_code == 200, moved.content
    assert moved.json()["due_at"] == "2027-03-31T16:59:00Z"
    after_results = staff.put(url, {"due_on": "2027-04-01"}, content_type=JSON)
    assert after_results.status_code == 422
    assert list(after_results.json()["errors"]) == ["due_on"]
    assert (
        _bearer(spare.user).put(url, {"due_on": "2027-04-09"}, content_type=JSON).status_code == 403
    )
    assert staff.put(url, {"due_on": "2027-02-30"}, content_type=JSON).status_code == 422


def test_the_api_shows_the_due_time_to_the_expert_and_the_organisers(official, late, outsider):
    competition, application, first, second, spare = late
    staff = _bearer(official)
    assignments.review_unassign(actor=official, review=second)
    made = _assign_by_api(staff, application, first, spare, outsider)
    _final_allocation_waits_for(staff, competition, application, first, spare)
    review_id = made["id"]
    _reschedule_by_api(staff, review_id, spare)

    expert = _bearer(spare.user)
    mine = expert.get(f"/api/v1/reviews/{review_id}").json()
    assert mine["due_at"] == "2027-03-31T16:59:00Z"
    listed = expert.get("/api/v1/me/reviews").json()["items"]
    assert [r["due_at"] for r in listed] == ["2027-03-31T16:59:00Z"]
    assert _bearer(first.expert.user).get("/api/v1/me/reviews").json()["items"][0]["due_at"] == (
        "2027-03-19T03:00:00Z"
    )


def test_a_replacement_is_reminded_before_its_own_day(official, late):
    replacement = _replace_the_silent_expert(official, late)
    assert reviews.remind_reviewers(now=DEFAULT_DUE - timedelta(days=3, seconds=1)) == 0
    assert reviews.remind_reviewers(now=DEFAULT_DUE - timedelta(days=1)) == 1
    notice = Notification.objects.get(user=replacement.expert.user, kind="grant_review_reminder")
    assert "29.03.2027 23:59" in notice.body


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_reviews_their_competitions_deadline():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("grants", "0005_alter_application_screening_comment_and_more")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user = old.get_model("accounts", "User").objects.create(email="expert@example.org")
    competition = old.get_model("grants", "Competition").objects.create(
        kind="sonko",
        title="Старый",
        budget=1000,
        max_grant=100,
        applications_open=OPEN,
        applications_close=CLOSE,
        review_deadline=REVIEW,
        results_on=date(2027, 3, 31),
    )
    application = old.get_model("grants", "Application").objects.create(competition=competition)
    expert = old.get_model("grants", "Expert").objects.create(
        competition=competition, user=user, sector="nko"
    )
    review = old.get_model("grants", "Review").objects.create(
        application=application, expert=expert
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Review.objects.get(pk=review.pk).due_at == REVIEW
    assert Competition.objects.filter(pk=competition.pk).exists()
