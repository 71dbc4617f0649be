"""Screening and the experts on an application: which status moves are allowed, what each
decision keeps, the staff's override of the assignment, and the pages that do it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.core.models import AuditEntry
from dobry.grants.models import Application, Review
from dobry.grants.services import applications, assignments, reviews
from dobry.grants.tests.factories import (
    admitted_application,
    applicant_organization,
    expert_pool,
    open_competition,
    score_all,
    submitted_application,
)
from dobry.grants.tests.pages import local_input, said

pytestmark = pytest.mark.django_db
A = Application.Status


def _in_status(competition, official, status):
    """An application brought to `status` through the services."""
    if status == A.DRAFT:
        organization, leader = applicant_organization()
        return applications.application_create(
            user=leader, competition=competition, organization=organization
        )
    application, leader = submitted_application(competition)
    if status == A.WITHDRAWN:
        return applications.application_withdraw(user=leader, application=application)
    if status == A.SUBMITTED:
        return application
    return applications.application_screen(
        actor=official,
        application=application,
        decision=status,
        reason="" if status == A.ADMITTED else "documents",
        returned_until=timezone.now() + timedelta(days=2),
    )


@pytest.mark.parametrize(
    ("start", "decision", "allowed"),
    [
        (A.DRAFT, A.ADMITTED, False),
        (A.WITHDRAWN, A.ADMITTED, False),
        (A.SUBMITTED, A.ADMITTED, True),
        (A.SUBMITTED, A.NOT_ADMITTED, True),
        (A.RETURNED, A.ADMITTED, False),  # the applicant resubmits first
        (A.RETURNED, A.NOT_ADMITTED, True),
        (A.ADMITTED, A.ADMITTED, False),
        (A.ADMITTED, A.NOT_ADMITTED, True),
        (A.NOT_ADMITTED, A.ADMITTED, False),
    ],
)
def test_screening_moves_only_along_the_table(official, start, decision, allowed):
    competition = open_competition(official)
    application = _in_status(competition, official, start)
    screen = {
        "actor": official,
        "application": application,
        "decision": decision,
        "reason": "" if decision == A.ADMITTED else "scope",
    }
    if allowed:
        assert applications.application_screen(**screen).status == decision
    else:
        with pytest.raises(InvalidTransition):
            applications.application_screen(**screen)
        application.refresh_from_db()
        assert application.status == start


def test_an_unknown_decision_is_refused_at_its_field(official):
    competition = open_competition(official)
    application, _leader = submitted_application(competition)
    with pytest.raises(DomainError) as error:
        applications.application_screen(
            actor=official, application=application, decision=A.WITHDRAWN
        )
    assert list(error.value.field_errors) == ["decision"]


def test_admitting_clears_an_earlier_reason_and_keeps_the_comment(official):
    competition = open_competition(official)
    application, leader = submitted_application(competition)
    applications.application_screen(
        actor=official,
        application=application,
        decision=A.RETURNED,
        reason="documents",
        returned_until=timezone.now() + timedelta(days=2),
    )
    applications.application_submit(user=leader, application=application)
    admitted = applications.application_screen(
        actor=official,
        application=application,
        decision=A.ADMITTED,
        reason="documents",
        comment="  Устав приложен.  ",
    )
    assert (admitted.screening_reason, admitted.screening_comment) == ("", "Устав приложен.")
    assert admitted.was_returned
    entry = AuditEntry.objects.filter(action="application.screen").latest("pk")
    assert entry.data == {"decision": "admitted", "reason": "documents"}


def test_not_admitting_after_assignment_frees_the_experts(official):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    expert_pool(competition, official, 2)
    assignments.assign_experts(actor=official, competition=competition)
    refused = applications.application_screen(
        actor=official, application=application, decision=A.NOT_ADMITTED, reason="duplicate"
    )
    assert refused.status == A.NOT_ADMITTED
    assert not application.reviews.exists()


def test_admission_stays_once_an_expert_has_scored(official):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    expert_pool(competition, official, 2)
    assignments.assign_experts(actor=official, competition=competition)
    score_all(application.reviews.first(), 8)
    with pytest.raises(InvalidTransition, match="Экспертиза заявки уже идёт"):
        applications.application_screen(
            actor=official, application=application, decision=A.NOT_ADMITTED, reason="scope"
        )
    assert application.reviews.count() == 2


def test_only_admitted_applications_get_experts(official):
    competition = open_competition(official)
    admitted = admitted_application(competition, official)
    waiting, _leader = submitted_application(competition)
    expert_pool(competition, official, 2)
    created = assignments.assign_experts(actor=official, competition=competition)
    assert {r.application_id for r in created} == {admitted.pk}
    assert not waiting.reviews.exists()
    assert AuditEntry.objects.get(action="competition.assign").data == {
        "assigned": 2,
        "short": [],
    }


def test_the_staff_override_is_refused_where_the_rules_forbid(official):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    waiting, _leader = submitted_application(competition)
    first, second = expert_pool(competition, official, 2)
    other = open_competition(official, title="Другой")
    (foreign,) = expert_pool(other, official, 1)
    with pytest.raises(InvalidTransition, match="допущенную заявку"):
        assignments.review_assign(actor=official, application=waiting, expert=first)
    with pytest.raises(DomainError, match="не из пула"):
        assignments.review_assign(actor=official, application=application, expert=foreign)
    assignments.expert_remove(actor=official, expert=second)
    second.refresh_from_db()
    with pytest.raises(DomainError, match="не из пула"):
        assignments.review_assign(actor=official, application=application, expert=second)
    assignments.review_assign(actor=official, application=application, expert=first)
    with pytest.raises(DomainError, match="уже назначен"):
        assignments.review_assign(actor=official, application=application, expert=first)
    assert [r.expert for r in application.reviews.all()] == [first]


def test_a_submitted_review_cannot_be_unassigned(official):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    expert_pool(competition, official, 2)
    assignments.assign_experts(actor=official, competition=competition)
    done, pending = application.reviews.all()
    score_all(done, 6)
    with pytest.raises(InvalidTransition, match="снять эксперта нельзя"):
        assignments.review_unassign(actor=official, review=done)
    assignments.review_unassign(actor=official, review=pending)
    assert list(application.reviews.all()) == [done]
    entry = AuditEntry.objects.get(action="application.review_unassign")
    assert entry.data == {"expert": pending.expert.user_id}


def test_an_unknown_sector_is_refused(official, outsider):
    competition = open_competition(official)
    with pytest.raises(DomainError) as error:
        assignments.expert_add(
            actor=official, competition=competition, user=outsider, sector="mafia"
        )
    assert list(error.value.field_errors) == ["sector"]
    assert not competition.experts.exists()
    outsider.refresh_from_db()
    assert not outsider.is_expert


def test_declarations_are_made_once_and_only_by_the_assigned_expert(official, outsider):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    expert_pool(competition, official, 2)
    assignments.assign_experts(actor=official, competition=competition)
    review = application.reviews.first()
    with pytest.raises(PermissionDenied, match="не назначена"):
        reviews.conflict_declare(user=outsider, application=application, conflict=False)
    reviews.conflict_declare(user=review.expert.user, application=application, conflict=False)
    with pytest.raises(InvalidTransition, match="уже подтвердили"):
        reviews.conflict_declare(
            user=review.expert.user, application=application, conflict=True, reason="Родство"
        )
    review.refresh_from_db()
    assert review.status == Review.Status.ASSIGNED
    assert review.declared_at is not None


def test_a_declared_conflict_with_no_free_expert_leaves_the_application_short(official):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    expert_pool(competition, official, 2)
    assignments.assign_experts(actor=official, competition=competition)
    review = application.reviews.first()
    reviews.conflict_declare(
        user=review.expert.user, application=application, conflict=True, reason="  Мой брат  "
    )
    review.refresh_from_db()
    assert (review.status, review.conflict_reason) == (Review.Status.CONFLICT, "Мой брат")
    assert application.reviews.active().count() == 1
    with pytest.raises(DomainError, match=application.number):
        assignments.assign_experts(actor=official, competition=competition)


# --- the screening page --------------------------------------------------------------------


def test_the_screening_page_is_for_the_organisers(client, official, outsider, login_as):
    competition = open_competition(official)
    application, leader = submitted_application(competition)
    url = f"/grants/applications/{application.pk}/screening/"
    assert client.get(url).status_code == 302
    assert login_as(outsider).post(url, {"decision": "admitted"}).status_code == 403
    assert login_as(leader).post(url, {"decision": "admitted"}).status_code == 403
    assert login_as(official).get("/grants/applications/999999/screening/").status_code == 404
    application.refresh_from_db()
    assert application.status == A.SUBMITTED


def test_the_organiser_admits_on_the_screening_page(official, login_as):
    competition = open_competition(official)
    application, _leader = submitted_application(competition)
    response = login_as(official).post(
        f"/grants/applications/{application.pk}/screening/",
        {"decision": "admitted", "reason": "", "comment": "", "returned_until": ""},
    )
    assert response.url == f"/grants/{competition.pk}/manage/"
    assert said(response) == ["Решение о допуске записано, заявитель уведомлён."]
    application.refresh_from_db()
    assert application.status == A.ADMITTED


def test_returning_on_the_page_with_a_local_deadline(official, login_as):
    competition = open_competition(official)
    application, _leader = submitted_application(competition)
    until = (timezone.now() + timedelta(days=4)).replace(second=0, microsecond=0)
    login_as(official).post(
        f"/grants/applications/{application.pk}/screening/",
        {"decision": "returned", "reason": "documents", "returned_until": local_input(until)},
    )
    application.refresh_from_db()
    assert (application.status, application.returned_until) == (A.RETURNED, until)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"decision": "maybe"}, "decision"),
        ({"decision": "returned", "reason": "documents"}, "returned_until"),
        (
            {"decision": "returned", "reason": "documents", "returned_until": "завтра"},
            "returned_until",
        ),
        ({"decision": "not_admitted", "reason": ""}, "reason"),
        ({"decision": "not_admitted", "reason": "whim"}, "reason"),
    ],
)
def test_a_bad_screening_is_shown_on_the_page_and_changes_nothing(official, login_as, data, field):
    competition = open_competition(official)
    application, _leader = submitted_application(competition)
    response = login_as(official).post(f"/grants/applications/{application.pk}/screening/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    application.refresh_from_db()
    assert application.status == A.SUBMITTED


def test_the_page_offers_only_free_experts_without_conflicts(official, login_as):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    insider, assigned, free = expert_pool(competition, official, 3)
    from dobry.organizations.tests.factories import MembershipFactory

    MembershipFactory(organization=application.organization, user=insider.user)
    assignments.review_assign(actor=official, application=application, expert=assigned)
    page = login_as(official).get(f"/grants/applications/{application.pk}/screening/")
    assert page.context["free_experts"] == [free]
    assert [r.expert for r in page.context["assigned"]] == [assigned]


def test_the_assign_button_reports_how_many_and_who_is_short(official, login_as, outsider):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    url = f"/grants/{competition.pk}/assign/"
    assert login_as(outsider).post(url).status_code == 403
    short = login_as(official).post(url)
    assert said(short) == [
        f"Не хватает экспертов без конфликта интересов для заявок: {application.number}."
    ]
    expert_pool(competition, official, 2)
    done = login_as(official).post(url)
    assert said(done) == ["Назначено экспертиз: 2."]
    assert application.reviews.count() == 2


def test_the_override_pages_refuse_outsiders_and_foreign_objects(official, login_as, outsider):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    (expert,) = expert_pool(competition, official, 1)
    other = open_competition(official, title="Другой")
    (foreign,) = expert_pool(other, official, 1)
    url = f"/grants/applications/{application.pk}/experts/"
    assert login_as(outsider).post(url, {"expert": expert.pk}).status_code == 403
    assert login_as(official).post(url, {"expert": foreign.pk}).status_code == 404
    assert login_as(official).post(url, {"expert": ""}).status_code == 404
    assert not application.reviews.exists()
    login_as(official).post(url, {"expert": expert.pk})
    review = application.reviews.get()
    refused = login_as(official).post(url, {"expert": expert.pk})
    assert said(refused) == ["Этот эксперт уже назначен на заявку или заявил о конфликте."]
    assert login_as(outsider).post(f"/grants/assignments/{review.pk}/remove/").status_code == 403
    assert login_as(official).get(f"/grants/assignments/{review.pk}/remove/").status_code == 405
    assert Review.objects.filter(pk=review.pk).exists()
