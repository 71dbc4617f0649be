"""Initiatives through the API: the same rules, filters and services as the pages, for
every role; refusals are structured, never a 500."""

import pytest
from django.test import Client

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.civic.models import Comment, Initiative, Support
from dobry.civic.tests.factories import (
    CommentFactory,
    InitiativeFactory,
    TeamMemberFactory,
    coordinator,
    district,
)
from dobry.communications.tests.factories import NewsItemFactory
from dobry.volunteering.models import VolunteerProfile

pytestmark = pytest.mark.django_db
API = "/api/v1"
BODY = {"title": "Каток", "problem": "Негде кататься", "idea": "Залить каток"}


def post(client, path, body=None):
    return client.post(f"{API}{path}", body or {}, content_type="application/json")


def test_the_list_filters_as_the_page_does():
    north = district("Северный")
    InitiativeFactory(title="Каток", district=north, area="sport")
    InitiativeFactory(title="Сквер", status=Initiative.Status.GATHERING, needed_skills="садовник")
    titles = lambda **q: [i["title"] for i in Client().get(f"{API}/initiatives", q).json()["items"]]  # noqa: E731
    assert titles(district=north.pk) == ["Каток"]
    assert titles(stage="gathering") == ["Сквер"]
    assert titles(area="sport") == ["Каток"]
    resident = UserFactory()
    VolunteerProfile.objects.create(user=resident, skills="Садовник")
    mine = bearer(resident).get(f"{API}/initiatives", {"my_skills": "true"}).json()["items"]
    assert [i["title"] for i in mine] == ["Сквер"]


@pytest.mark.parametrize(
    "params", [{"district": "999999"}, {"stage": "nope"}, {"district": "²"}, {"area": "x"}]
)
def test_hostile_filters_are_a_422_not_a_500(params):
    assert Client().get(f"{API}/initiatives", params).status_code == 422


def test_a_resident_posts_and_edits_an_outsider_may_not():
    author = bearer(UserFactory())
    created = post(author, "/initiatives", {**BODY, "district": district().pk, "area": "sport"})
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["moves"] == ["gather", "start"] or created.json()["moves"] == ["gather"]
    edited = author.put(
        f"{API}/initiatives/{pk}", {**BODY, "title": "Новый"}, content_type="application/json"
    )
    assert edited.json()["title"] == "Новый"
    outsider = bearer(UserFactory())
    refused = outsider.put(f"{API}/initiatives/{pk}", BODY, content_type="application/json")
    assert refused.status_code == 403
    assert post(Client(), "/initiatives", BODY).status_code == 401


def test_bad_bodies_are_refused_at_their_fields():
    author = bearer(UserFactory())
    for body in ({**BODY, "title": ""}, {**BODY, "needed_money": "-1"}, {**BODY, "group": 99},
                 {**BODY, "district": 999999}, {**BODY, "idea": "я" * 20_000}):  # fmt: skip
        assert post(author, "/initiatives", body).status_code == 422, body
    assert not Initiative.objects.exists()


def test_support_once_follow_join_and_comment():
    initiative = InitiativeFactory()
    resident = bearer(UserFactory())
    supported = post(resident, f"/initiatives/{initiative.pk}/support")
    assert supported.status_code == 201
    assert supported.json()["support_count"] == 1
    assert supported.json()["supported"] is True
    assert post(resident, f"/initiatives/{initiative.pk}/support").status_code == 409
    taken_back = resident.delete(f"{API}/initiatives/{initiative.pk}/support")
    assert taken_back.status_code == 200
    assert taken_back.json()["support_count"] == 0
    assert taken_back.json()["supported"] is False
    assert not Support.objects.current().exists()
    assert Support.objects.get().withdrawn_at is not None
    assert post(resident, f"/initiatives/{initiative.pk}/follow").json()["following"] is True
    team = post(resident, f"/initiatives/{initiative.pk}/team", {"role": "фотограф"})
    assert team.json()["team"][0]["role"] == "фотограф"
    comment = post(resident, f"/initiatives/{initiative.pk}/comments", {"text": "Я за"})
    assert comment.status_code == 201
    assert Client().get(f"{API}/initiatives/{initiative.pk}/comments").json()["count"] == 1
    assert post(Client(), f"/initiatives/{initiative.pk}/support").status_code == 401


def test_stage_moves_by_role():
    initiative = InitiativeFactory()
    author = bearer(initiative.author)
    assert post(author, f"/initiatives/{initiative.pk}/gather").json()["status"] == "gathering"
    assert post(author, f"/initiatives/{initiative.pk}/to_centre").status_code == 403
    assert post(bearer(UserFactory()), f"/initiatives/{initiative.pk}/start").status_code == 403
    staff = bearer(coordinator())
    taken = post(staff, f"/initiatives/{initiative.pk}/to_centre")
    assert taken.json()["status"] == "resource_centre"
    assert post(staff, f"/initiatives/{initiative.pk}/finish").status_code == 409
    member = bearer(TeamMemberFactory(initiative=initiative).user)
    assert post(member, f"/initiatives/{initiative.pk}/start").status_code == 403


def test_the_centre_answers_after_the_threshold(settings):
    settings.DOBRY_INITIATIVE_SUPPORT_THRESHOLD = 1
    initiative = InitiativeFactory()
    staff = bearer(coordinator())
    early = post(staff, f"/initiatives/{initiative.pk}/response", {"response": "Рано"})
    assert early.status_code == 409
    post(bearer(UserFactory()), f"/initiatives/{initiative.pk}/support")
    outsider = bearer(UserFactory())
    refused = post(outsider, f"/initiatives/{initiative.pk}/response", {"response": "Я"})
    assert refused.status_code == 403
    answered = post(staff, f"/initiatives/{initiative.pk}/response", {"response": "Ждём"})
    assert answered.json()["response"] == "Ждём"
    assert Client().get(f"{API}/initiatives/{initiative.pk}").json()["response"] == "Ждём"


def test_links_by_api():
    initiative = InitiativeFactory()
    news = NewsItemFactory(title="О катке")
    author = bearer(initiative.author)
    linked = post(author, f"/initiatives/{initiative.pk}/links", {"kind": "news", "pk": news.pk})
    assert linked.status_code == 201
    assert linked.json()["links"][0]["title"] == "О катке"
    assert (
        post(author, f"/initiatives/{initiative.pk}/links", {"kind": "user", "pk": 1}).status_code
        == 422
    )
    outsider = bearer(UserFactory())
    body = {"kind": "news", "pk": news.pk}
    assert post(outsider, f"/initiatives/{initiative.pk}/links", body).status_code == 403


def test_report_and_moderation_by_api():
    comment = CommentFactory()
    reporter = bearer(UserFactory())
    reported = post(reporter, f"/initiative-comments/{comment.pk}/report", {"reason": "спам"})
    assert reported.json()["status"] == "reported"
    assert post(reporter, f"/initiative-comments/{comment.pk}/report").status_code == 409
    assert post(reporter, f"/initiative-comments/{comment.pk}/hide").status_code == 403
    hidden = post(bearer(coordinator()), f"/initiative-comments/{comment.pk}/hide")
    assert hidden.json()["status"] == "hidden"
    assert Client().get(f"{API}/initiatives/{comment.initiative_id}/comments").json()["count"] == 0
    assert post(reporter, f"/initiative-comments/{comment.pk}/report").status_code == 404
    assert Comment.objects.get().status == Comment.Status.HIDDEN


def test_unknown_ids_are_404():
    assert Client().get(f"{API}/initiatives/999999").status_code == 404
    assert post(bearer(UserFactory()), "/initiatives/999999/support").status_code == 404
