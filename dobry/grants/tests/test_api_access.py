"""Every grant API operation as anonymous, as an outsider, and as the right role; bad input
gets a 4xx with the field named and changes nothing; drafts are not revealed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.core.models import AuditEntry
from dobry.grants.models import Application, Competition, Expert, Review
from dobry.grants.services import applications, assignments, competitions, decisions
from dobry.grants.tests.factories import (
    admitted_application,
    applicant_organization,
    close_applications,
    expert_pool,
    open_competition,
    score_all,
    submitted_application,
)
from dobry.grants.tests.test_api import bearer

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def world(official):
    """A competition with an admitted application, its two experts (one has scored), a
    meeting; and the ids every operation needs."""
    competition = open_competition(official)
    application = admitted_application(competition, official)
    expert_pool(competition, official, 2)
    assignments.assign_experts(actor=official, competition=competition)
    review = application.reviews.first()
    score_all(review, 7)
    meeting = decisions.meeting_create(
        actor=official,
        competition=competition,
        held_at=timezone.now(),
        quorum=1,
        members=[{"name": "Председатель", "sector": "administration"}],
    )
    return {
        "competition": competition.pk,
        "criterion": competition.criteria.first().pk,
        "application": application.pk,
        "review": review.pk,
        "meeting": meeting.pk,
    }


# (method, path, body, what an outsider gets)
NEW_COMPETITION = {
    "kind": "sonko",
    "title": "Чужой конкурс",
    "budget": "100000",
    "max_grant": "50000",
    "applications_open": "2027-01-10T10:00:00+07:00",
    "applications_close": "2027-02-10T10:00:00+07:00",
    "review_deadline": "2027-03-10T10:00:00+07:00",
    "results_on": "2027-03-20",
}
OPERATIONS = [
    ("post", "/competitions", NEW_COMPETITION, 403),
    ("patch", "/competitions/{competition}", {"title": "Чужое"}, 403),
    ("post", "/competitions/{competition}/publish", None, 403),
    ("post", "/competitions/{competition}/criteria", {"title": "X", "weight": "1"}, 403),
    ("put", "/criteria/{criterion}", {"title": "X", "weight": "1"}, 403),
    ("post", "/competitions/{competition}/applications", {}, 422),
    ("get", "/applications/{application}", None, 404),
    ("patch", "/applications/{application}", {"title": "Чужое"}, 404),
    ("post", "/applications/{application}/submit", None, 404),
    ("post", "/applications/{application}/withdraw", None, 404),
    ("post", "/applications/{application}/screening", {"decision": "not_admitted"}, 404),
    ("get", "/competitions/{competition}/experts", None, 403),
    ("post", "/competitions/{competition}/experts", {"user": 1, "sector": "nko"}, 403),
    ("post", "/competitions/{competition}/assign", None, 403),
    ("post", "/applications/{application}/conflicts", {"conflict": False}, 404),
    ("post", "/reviews/{review}/recusal", {"reason": "Чужой отвод"}, 403),
    ("get", "/reviews/{review}", None, 404),
    ("put", "/reviews/{review}", {"scores": {}}, 404),
    ("get", "/applications/{application}/reviews", None, 404),
    ("get", "/competitions/{competition}/ranking", None, 403),
    ("post", "/competitions/{competition}/allocation", {"final": False}, 403),
    ("post", "/competitions/{competition}/meetings", {}, 422),
    ("post", "/meetings/{meeting}/decision", {}, 403),
    ("post", "/competitions/{competition}/results/publish", None, 403),
]


def _call(client, method, path, body, ids):
    url = "/api/v1" + path.format(**ids)
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, body, content_type=JSON)


@pytest.mark.parametrize(("method", "path", "body", "refused"), OPERATIONS)
def test_anonymous_and_outsiders_change_nothing(world, outsider, method, path, body, refused):
    stranger = bearer(outsider)
    before = AuditEntry.objects.count()
    assert _call(Client(), method, path, body, world).status_code == 401
    assert _call(stranger, method, path, body, world).status_code == refused
    assert AuditEntry.objects.count() == before
    review = Review.objects.get(pk=world["review"])
    assert (review.status, review.total) == (Review.Status.SUBMITTED, Decimal(70))
    assert Application.objects.get(pk=world["application"]).status == "admitted"


def test_my_reviews_are_empty_for_an_outsider(world, outsider):
    assert Client().get("/api/v1/me/reviews").status_code == 401
    assert bearer(outsider).get("/api/v1/me/reviews").json() == {"items": [], "count": 0}


DRAFT_PATHS = [
    ("get", "/competitions/{competition}", None),
    ("get", "/competitions/{competition}/results", None),
    ("patch", "/competitions/{competition}", {"title": "Чужое"}),
    ("post", "/competitions/{competition}/publish", None),
    ("post", "/competitions/{competition}/criteria", {"title": "X", "weight": "1"}),
    ("put", "/criteria/{criterion}", {"title": "X", "weight": "1"}),
    ("post", "/competitions/{competition}/applications", {}),
    ("get", "/competitions/{competition}/experts", None),
]


@pytest.mark.parametrize(("method", "path", "body"), DRAFT_PATHS)
def test_a_draft_is_not_revealed_to_outsiders(official, outsider, method, path, body):
    now = timezone.now()
    draft = competitions.competition_create(
        actor=official,
        kind="sonko",
        title="Секретный черновик",
        budget=Decimal(100_000),
        max_grant=Decimal(50_000),
        applications_open=now,
        applications_close=now + timedelta(days=3),
        review_deadline=now + timedelta(days=6),
        results_on=(now + timedelta(days=9)).date(),
    )
    ids = {"competition": draft.pk, "criterion": draft.criteria.first().pk}
    response = _call(bearer(outsider), method, path, body, ids)
    assert response.status_code == 404
    assert "Секретный черновик" not in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.title) == (Competition.Status.DRAFT, "Секретный черновик")


def test_the_public_list_and_detail_need_no_account(official):
    competition = open_competition(official, title="Открытый")
    listed = Client().get("/api/v1/competitions").json()
    assert [c["title"] for c in listed["items"]] == ["Открытый"]
    detail = Client().get(f"/api/v1/competitions/{competition.pk}").json()
    assert [c["position"] for c in detail["criteria"]] == list(range(1, 11))
    assert detail["lottery_seed"] == competition.lottery_seed


def test_organisers_change_the_terms_through_the_api(official):
    competition = open_competition(official)
    staff = bearer(official)
    url = f"/api/v1/competitions/{competition.pk}"
    changed = staff.patch(url, {"passing_score": "45", "blind_review": True}, content_type=JSON)
    assert changed.status_code == 200
    body = changed.json()
    assert (Decimal(body["passing_score"]), body["blind_review"]) == (Decimal(45), True)
    bad_rule = staff.patch(url, {"allocation_rule": "coin"}, content_type=JSON)
    assert bad_rule.status_code == 422
    bad_sections = staff.patch(url, {"sections": ["horoscope"]}, content_type=JSON)
    assert bad_sections.status_code == 422
    assert "sections" in bad_sections.json()["errors"]
    seed = staff.patch(url, {"lottery_seed": "новое"}, content_type=JSON)
    assert seed.status_code == 422
    competition.refresh_from_db()
    assert (competition.passing_score, competition.sections[0]) == (Decimal(45), "calendar")


def test_a_co_organiser_runs_the_competition_through_the_api(official, outsider):
    competition = open_competition(official)
    competitions.competition_manager_add(actor=official, competition=competition, user=outsider)
    staff = bearer(outsider)
    assert staff.get(f"/api/v1/competitions/{competition.pk}/experts").status_code == 200
    created = staff.post("/api/v1/competitions", NEW_COMPETITION, content_type=JSON)
    assert created.status_code == 403  # but does not set up new competitions
    assert Competition.objects.count() == 1


def test_criteria_through_the_api_until_the_first_score(official):
    competition = open_competition(official)
    staff = bearer(official)
    added = staff.post(
        f"/api/v1/competitions/{competition.pk}/criteria",
        {"title": "Вовлечение", "weight": "2", "max_score": 5},
        content_type=JSON,
    )
    assert added.status_code == 201
    assert (added.json()["position"], Decimal(added.json()["weight"])) == (11, Decimal(2))
    pk = added.json()["id"]
    too_heavy = staff.put(
        f"/api/v1/criteria/{pk}", {"title": "В", "weight": "101"}, content_type=JSON
    )
    assert too_heavy.status_code == 422
    application = admitted_application(competition, official)
    expert_pool(competition, official, 2)
    assignments.assign_experts(actor=official, competition=competition)
    for criterion in competition.criteria.filter(max_score=5):
        criterion.max_score = 10
        criterion.save()
    score_all(application.reviews.first(), 6)
    locked = staff.put(
        f"/api/v1/criteria/{pk}", {"title": "Вовлечение", "weight": "3"}, content_type=JSON
    )
    assert locked.status_code == 409
    assert competition.criteria.get(pk=pk).weight == Decimal(2)
    assert (
        staff.put(
            "/api/v1/criteria/999999", {"title": "X", "weight": "1"}, content_type=JSON
        ).status_code
        == 404
    )


def test_experts_are_added_through_the_api_by_id_or_email(official):
    competition = open_competition(official)
    staff = bearer(official)
    url = f"/api/v1/competitions/{competition.pk}/experts"
    person, other = UserFactory(), UserFactory()
    by_id = staff.post(url, {"user": person.pk, "sector": "business"}, content_type=JSON)
    assert by_id.status_code == 201
    assert (by_id.json()["user_id"], by_id.json()["sector"]) == (person.pk, "business")
    by_email = staff.post(
        url, {"email": f"  {other.email.upper()} ", "sector": "nko"}, content_type=JSON
    )
    assert by_email.status_code == 201
    twice = staff.post(url, {"user": person.pk, "sector": "nko"}, content_type=JSON)
    assert twice.status_code == 422
    assert (
        staff.post(
            url, {"email": "nobody@example.org", "sector": "nko"}, content_type=JSON
        ).status_code
        == 404
    )
    assert staff.post(url, {"sector": "nko"}, content_type=JSON).status_code == 404
    assert (
        staff.post(url, {"user": person.pk, "sector": "mafia"}, content_type=JSON).status_code
        == 422
    )
    blocked = UserFactory(is_active=False)
    assert (
        staff.post(url, {"user": blocked.pk, "sector": "nko"}, content_type=JSON).status_code == 404
    )
    assert sorted(e.user_id for e in Expert.objects.all()) == sorted([person.pk, other.pk])


def test_an_application_for_an_unknown_organisation_is_not_found(official):
    competition = open_competition(official)
    _organization, leader = applicant_organization()
    response = bearer(leader).post(
        f"/api/v1/competitions/{competition.pk}/applications",
        {"organization": 999999},
        content_type=JSON,
    )
    assert response.status_code == 404
    assert not Application.objects.exists()


def test_the_applicant_withdraws_through_the_api_and_no_one_else(official, outsider):
    competition = open_competition(official)
    application, leader = submitted_application(competition)
    url = f"/api/v1/applications/{application.pk}/withdraw"
    assert bearer(official).post(url).status_code == 403
    done = bearer(leader).post(url)
    assert (done.status_code, done.json()["status"]) == (200, "withdrawn")
    assert bearer(leader).post(url).status_code == 409


def test_a_draft_body_of_the_wrong_shape_is_a_422(official):
    competition = open_competition(official)
    organization, leader = applicant_organization()
    client = bearer(leader)
    pk = client.post(
        f"/api/v1/competitions/{competition.pk}/applications",
        {"organization": organization.pk},
        content_type=JSON,
    ).json()["id"]
    url = f"/api/v1/applications/{pk}"
    assert client.patch(url, {"content": ["a", "b"]}, content_type=JSON).status_code == 422
    assert client.patch(url, {"title": "x" * 301}, content_type=JSON).status_code == 422
    odd = client.patch(
        url,
        {"content": {"budget": "not a table", "calendar": [1, "x", {"title": "Ок"}], "x": 1}},
        content_type=JSON,
    )
    # refused naming each part, never quietly dropped (issue 11 hardening §2)
    assert odd.status_code == 422
    assert odd.json()["errors"] == {
        "content.budget": ["Нужен список строк таблицы."],
        "content.calendar.0": ["Строка таблицы — объект с полями."],
        "content.calendar.1": ["Строка таблицы — объект с полями."],
        "content.x": ["Такого поля нет."],  # an unknown part is not the application's
    }
    kept = client.patch(url, {"content": {"calendar": [{"title": "Ок"}]}}, content_type=JSON)
    assert kept.status_code == 200
    assert kept.json()["content"]["calendar"] == [{"title": "Ок", "starts_on": "", "ends_on": ""}]


def test_a_screening_decision_is_checked_through_the_api(official):
    competition = open_competition(official)
    application, _leader = submitted_application(competition)
    staff = bearer(official)
    url = f"/api/v1/applications/{application.pk}/screening"
    returned = staff.post(url, {"decision": "returned", "reason": "documents"}, content_type=JSON)
    assert returned.status_code == 422
    assert "returned_until" in returned.json()["errors"]
    draft_move = staff.post(url, {"decision": "draft"}, content_type=JSON)
    assert draft_move.status_code == 422
    admitted = staff.post(url, {"decision": "admitted"}, content_type=JSON)
    assert admitted.json()["status"] == "admitted"
    again = staff.post(url, {"decision": "admitted"}, content_type=JSON)
    assert again.status_code == 409


def _meeting_refuses_a_missing_quorum_then_holds(staff, competition) -> dict:
    meeting_url = f"/api/v1/competitions/{competition.pk}/meetings"
    members = [{"name": "Иванова", "sector": "administration"}]
    no_quorum = staff.post(
        meeting_url,
        {"held_at": timezone.now().isoformat(), "quorum": 2, "members": members},
        content_type=JSON,
    )
    assert no_quorum.status_code == 422
    assert "quorum" in no_quorum.json()["errors"]
    meeting = staff.post(
        meeting_url,
        {"held_at": timezone.now().isoformat(), "quorum": 1, "members": members},
        content_type=JSON,
    ).json()
    assert (meeting["present"], meeting["decision"]) == (1, "")
    return meeting


def _decision_refuses_amendments_without_reason_or_application(staff, decide, application):
    no_reason = staff.post(
        decide,
        {"amendments": [{"application": application.pk, "amount": "1", "reason": ""}]},
        content_type=JSON,
    )
    assert no_reason.status_code == 422
    stranger = staff.post(
        decide,
        {"amendments": [{"application": 999999, "amount": "1", "reason": "Да"}]},
        content_type=JSON,
    )
    assert stranger.status_code == 422
    assert "amendments.0.application" in stranger.json()["errors"]


def test_the_meeting_and_decision_through_the_api_refuse_bad_input(official):
    competition = open_competition(official, budget=300_000)
    application = admitted_application(competition, official, amount=100_000)
    expert_pool(competition, official, 2)
    assignments.assign_experts(actor=official, competition=competition)
    for review in application.reviews.all():
        score_all(review, 8)
    close_applications(competition)
    staff = bearer(official)
    meeting = _meeting_refuses_a_missing_quorum_then_holds(staff, competition)
    decide = f"/api/v1/meetings/{meeting['id']}/decision"
    before_final = staff.post(decide, {}, content_type=JSON)
    assert before_final.status_code == 409
    staff.post(
        f"/api/v1/competitions/{competition.pk}/allocation", {"final": True}, content_type=JSON
    )
    _decision_refuses_amendments_without_reason_or_application(staff, decide, application)
    amended = staff.post(
        decide,
        {"amendments": [{"application": application.pk, "amount": "80000", "reason": "Смета"}]},
        content_type=JSON,
    )
    assert amended.json()["decision"] == "amended"
    application.refresh_from_db()
    assert application.awarded_amount == Decimal(80_000)
    assert staff.post("/api/v1/meetings/999999/decision", {}, content_type=JSON).status_code == 404


def test_a_drafts_reviews_are_as_hidden_as_the_draft(official):
    """The organisers do not see a draft; its reviews' address answers as the draft's does
    (404), not an empty list that tells the draft exists."""
    competition = open_competition(official)
    organization, leader = applicant_organization()
    draft = applications.application_create(
        user=leader, competition=competition, organization=organization
    )
    assert bearer(official).get(f"/api/v1/applications/{draft.pk}").status_code == 404
    assert bearer(official).get(f"/api/v1/applications/{draft.pk}/reviews").status_code == 404
    assert bearer(official).get("/api/v1/applications/999999/reviews").status_code == 404
