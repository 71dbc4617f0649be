from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dobry.accounts.services import api_token_create
from dobry.accounts.tests.factories import UserFactory
from dobry.grants.models import Competition
from dobry.grants.tests.factories import (
    applicant_organization,
    close_applications,
    complete_content,
    open_competition,
    submitted_application,
)
from dobry.resources.models import SupportRecord

pytestmark = pytest.mark.django_db
JSON = "application/json"


def bearer(user) -> Client:
    _token, raw = api_token_create(user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _announce(staff, now) -> int:
    created = staff.post(
        "/api/v1/competitions",
        {
            "kind": "sonko",
            "title": "Город добрых дел",
            "budget": "250000",
            "max_grant": "150000",
            "applications_open": (now - timedelta(days=1)).isoformat(),
            "applications_close": (now + timedelta(days=1)).isoformat(),
            "review_deadline": (now + timedelta(days=10)).isoformat(),
            "results_on": (now + timedelta(days=12)).date().isoformat(),
            "blind_review": True,
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    competition_id = created.json()["id"]
    assert len(created.json()["criteria"]) == 10
    assert Client().get(f"/api/v1/competitions/{competition_id}").status_code == 404  # draft
    assert staff.post(f"/api/v1/competitions/{competition_id}/publish").status_code == 200
    return competition_id


def _apply_and_admit(staff, competition_id: int, amount: int) -> int:
    organization, leader = applicant_organization()
    applicant = bearer(leader)
    draft = applicant.post(
        f"/api/v1/competitions/{competition_id}/applications",
        {"organization": organization.pk},
        content_type=JSON,
    )
    assert draft.status_code == 201, draft.content
    pk = draft.json()["id"]
    saved = applicant.patch(
        f"/api/v1/applications/{pk}",
        {"title": f"Проект на {amount}", "content": complete_content(amount)},
        content_type=JSON,
    )
    assert saved.json()["requested_amount"] == f"{amount}.00"
    submitted = applicant.post(f"/api/v1/applications/{pk}/submit")
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["number"]
    screened = staff.post(
        f"/api/v1/applications/{pk}/screening", {"decision": "admitted"}, content_type=JSON
    )
    assert screened.json()["status"] == "admitted"
    return pk


def _two_experts_assigned(staff, competition_id: int) -> list:
    experts = [UserFactory(), UserFactory()]
    for person in experts:
        added = staff.post(
            f"/api/v1/competitions/{competition_id}/experts",
            {"email": person.email, "sector": "nko"},
            content_type=JSON,
        )
        assert added.status_code == 201, added.content
    assigned = staff.post(f"/api/v1/competitions/{competition_id}/assign")
    assert len(assigned.json()) == 4
    return experts


def _review_blind(expert, review: dict, value: int, competition_id: int) -> None:
    """Declared, seen without the applicant's name, scored and submitted."""
    application = review["application_id"]
    assert expert.get(f"/api/v1/applications/{application}").status_code == 403
    expert.post(
        f"/api/v1/applications/{application}/conflicts", {"conflict": False}, content_type=JSON
    )
    seen = expert.get(f"/api/v1/applications/{application}").json()
    assert seen["applicant"] is None  # blind review
    assert seen["organization"] is None
    assert seen["organization_id"] is None
    assert seen["score"] is None
    assert expert.get(f"/api/v1/applications/{application}/reviews").status_code == 403
    criteria = Competition.objects.get(pk=competition_id).criteria.all()
    put = expert.put(
        f"/api/v1/reviews/{review['id']}",
        {"scores": {str(c.pk): value for c in criteria}, "submit": True},
        content_type=JSON,
    )
    assert put.status_code == 200, put.content
    assert put.json()["total"] == f"{value * 10}.00"
    others = expert.get(f"/api/v1/applications/{application}/reviews").json()
    assert {o["expert"] for o in others} <= {"Эксперт 1", "Эксперт 2"}


def _rank_and_allocate(staff, competition_id: int, ids: list[int]) -> None:
    ranking = staff.get(f"/api/v1/competitions/{competition_id}/ranking").json()["items"]
    assert [r["score"] for r in ranking] == ["85.0000", "85.0000"]
    assert [r["application_id"] for r in ranking] == ids  # tie: earlier submission first
    assert all(r["complete"] for r in ranking)
    allocate = f"/api/v1/competitions/{competition_id}/allocation"
    early = staff.post(allocate, {"final": True}, content_type=JSON)
    assert early.status_code == 409  # applications still open
    close_applications(Competition.objects.get(pk=competition_id))
    final = staff.post(allocate, {"final": True}, content_type=JSON)
    assert final.status_code == 201, final.content
    awards = final.json()["result"]["awards"]
    assert [(a["application"], a["amount"], a["partial"]) for a in awards] == [
        (ids[0], "150000.00", False),
        (ids[1], "100000.00", True),
    ]


def _commission_adopts(staff, competition_id: int, now) -> None:
    meeting = staff.post(
        f"/api/v1/competitions/{competition_id}/meetings",
        {
            "held_at": now.isoformat(),
            "quorum": 2,
            "members": [
                {"name": "Иванова А. А.", "sector": "administration", "role": "chair"},
                {"name": "Петров Б. Б.", "sector": "nko"},
                {"name": "Сидоров В. В.", "sector": "business", "present": False},
            ],
        },
        content_type=JSON,
    )
    assert meeting.status_code == 201, meeting.content
    decided = staff.post(f"/api/v1/meetings/{meeting.json()['id']}/decision", {}, content_type=JSON)
    assert decided.json()["decision"] == "adopted"


def test_the_whole_competition_through_the_api(official):
    staff = bearer(official)
    now = timezone.now()
    competition_id = _announce(staff, now)
    ids = [_apply_and_admit(staff, competition_id, amount) for amount in (150_000, 120_000)]
    experts = _two_experts_assigned(staff, competition_id)
    for value, person in zip((9, 8), experts, strict=True):
        expert = bearer(person)
        mine = expert.get("/api/v1/me/reviews").json()["items"]
        assert len(mine) == 2
        for review in mine:
            _review_blind(expert, review, value, competition_id)
    _rank_and_allocate(staff, competition_id, ids)
    _commission_adopts(staff, competition_id, now)
    assert Client().get(f"/api/v1/competitions/{competition_id}/results").status_code == 404
    staff.post(f"/api/v1/competitions/{competition_id}/results/publish")
    public = Client().get(f"/api/v1/competitions/{competition_id}/results").json()
    assert [row["awarded"] for row in public["applications"]] == ["150000.00", "100000.00"]
    assert public["awarded_total"] == "250000.00"
    assert SupportRecord.objects.filter(kind="financial").count() == 2


def test_roles_are_checked_on_the_server(official, resident, outsider):
    competition = open_competition(official)
    application, leader = submitted_application(competition)
    assert Client().post("/api/v1/competitions", {}, content_type=JSON).status_code == 401
    denied = bearer(resident).post(
        "/api/v1/competitions",
        {
            "kind": "sonko",
            "title": "x",
            "budget": "1",
            "max_grant": "1",
            "applications_open": timezone.now().isoformat(),
            "applications_close": timezone.now().isoformat(),
            "review_deadline": timezone.now().isoformat(),
            "results_on": timezone.localdate().isoformat(),
        },
        content_type=JSON,
    )
    assert denied.status_code == 403
    assert bearer(outsider).get(f"/api/v1/applications/{application.pk}").status_code == 404
    assert bearer(leader).get(f"/api/v1/applications/{application.pk}").status_code == 200
    screening = bearer(leader).post(
        f"/api/v1/applications/{application.pk}/screening",
        {"decision": "admitted"},
        content_type=JSON,
    )
    assert screening.status_code == 403
    assert bearer(outsider).get(f"/api/v1/competitions/{competition.pk}/ranking").status_code == 403
    assert bearer(outsider).post(f"/api/v1/competitions/{competition.pk}/assign").status_code == 403


def test_bad_input_gets_field_errors_and_nothing_is_lost(official):
    competition = open_competition(official)
    organization, leader = applicant_organization()
    applicant = bearer(leader)
    pk = applicant.post(
        f"/api/v1/competitions/{competition.pk}/applications",
        {"organization": organization.pk},
        content_type=JSON,
    ).json()["id"]
    applicant.patch(
        f"/api/v1/applications/{pk}",
        {"title": "Черновик", "content": {"summary": "Коротко"}},
        content_type=JSON,
    )
    refused = applicant.post(f"/api/v1/applications/{pk}/submit")
    assert refused.status_code == 422
    assert "content.problem" in refused.json()["errors"]
    kept = applicant.get(f"/api/v1/applications/{pk}").json()
    assert kept["content"]["summary"] == "Коротко"
    assert kept["status"] == "draft"
    bad_screening = bearer(official).post(
        f"/api/v1/applications/{pk}/screening", {"decision": "maybe"}, content_type=JSON
    )
    assert bad_screening.status_code == 422


@pytest.mark.parametrize("count", [1, 6])
def test_lists_keep_a_fixed_query_count(official, django_assert_max_num_queries, count):
    for number in range(count):
        open_competition(official, title=f"Конкурс {number}")
    with django_assert_max_num_queries(4):
        response = Client().get("/api/v1/competitions")
    assert response.json()["count"] == count


@pytest.mark.parametrize("count", [1, 7])
def test_the_expert_pool_is_paged_with_a_fixed_query_count(
    official, django_assert_num_queries, count
):
    from dobry.grants.selectors import EXPERTS_PAGE
    from dobry.grants.tests.factories import admitted_application, expert_pool

    competition = open_competition(official)
    admitted_application(competition, official)
    expert_pool(competition, official, count)
    staff = bearer(official)
    url = f"/api/v1/competitions/{competition.pk}/experts"
    staff.get(url)  # the token's last use is written once
    with django_assert_num_queries(4):  # token, competition, count, the page
        body = staff.get(url).json()
    assert body["count"] == count
    assert len(body["items"]) == min(count, EXPERTS_PAGE)
    assert staff.get(url, {"page": 2}).json() == {"items": [], "count": count}


@pytest.mark.parametrize("count", [1, 6])
def test_review_lists_and_ranking_keep_a_fixed_query_count(
    official, django_assert_max_num_queries, count
):
    from dobry.grants.tests.factories import admitted_application, expert_pool, score_all

    competition = open_competition(official)
    for _ in range(count):
        admitted_application(competition, official)
    (expert, _other) = expert_pool(competition, official, 2)
    from dobry.grants.services import assignments

    assignments.assign_experts(actor=official, competition=competition)
    for review in expert.reviews.all():
        score_all(review, 7)
    client = bearer(expert.user)
    with django_assert_max_num_queries(6):  # the page and its count
        assert client.get("/api/v1/me/reviews").json()["count"] == count
    staff = bearer(official)
    with django_assert_max_num_queries(8):
        assert staff.get(f"/api/v1/competitions/{competition.pk}/ranking").json()["count"] == count


def test_absurd_sums_are_refused_not_stored(official):
    staff = bearer(official)
    refused = staff.post(
        "/api/v1/competitions",
        {
            "kind": "sonko",
            "title": "x",
            "budget": "1" + "0" * 20,
            "max_grant": "1",
            "applications_open": timezone.now().isoformat(),
            "applications_close": timezone.now().isoformat(),
            "review_deadline": timezone.now().isoformat(),
            "results_on": timezone.localdate().isoformat(),
        },
        content_type=JSON,
    )
    assert refused.status_code == 422
    assert "budget" in refused.json()["errors"]
    competition = open_competition(official)
    organization, leader = applicant_organization()
    applicant = bearer(leader)
    pk = applicant.post(
        f"/api/v1/competitions/{competition.pk}/applications",
        {"organization": organization.pk},
        content_type=JSON,
    ).json()["id"]
    content = complete_content()
    content["budget"][0]["requested"] = "9" * 25
    refused = applicant.patch(
        f"/api/v1/applications/{pk}", {"title": "x", "content": content}, content_type=JSON
    )
    assert refused.status_code == 422  # not a number we can hold: refused, never stored
    assert refused.json()["errors"] == {
        "content.budget.0.requested": [
            "Слишком большое число: не больше 999\u00a0999\u00a0999\u00a0999,99."
        ]
    }
