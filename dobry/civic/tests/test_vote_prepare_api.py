"""Preparing a vote through the API, for every role: create, change the rules, add and
remove options, name officers, announce and close — the services and permission functions
of the pages; structured refusals (403/404/409/422), never a 500."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.civic.models import Vote
from dobry.civic.tests.factories import (
    InitiativeFactory,
    close_now,
    coordinator,
    running_vote,
    verified_resident,
)
from dobry.grants.tests.factories import admitted_application, open_competition

pytestmark = pytest.mark.django_db
API = "/api/v1"


def send(client, method, path, body=None):
    call = getattr(client, method)
    return call(f"{API}{path}", body or {}, content_type="application/json")


def _vote_body(**changes):
    return {
        "title": "Народный бюджет",
        "kind": "budget",
        "budget": "500000",
        "opens_at": "2027-03-01T09:00",
        "closes_at": "2027-03-15T21:00",
        **changes,
    }


def _rules(**changes):
    return {
        "title": "Дворы",
        "max_choices": 1,
        "opens_at": "2027-04-01T10:00:00+07:00",
        "closes_at": "2027-04-10T20:00:00+07:00",
        **changes,
    }


def _officer(vote):
    officer = UserFactory()
    vote.officers.add(officer)
    return officer


@pytest.mark.parametrize("who", ["resident", "verified", "officer", "expert"])
def test_only_coordinators_prepare_votes(who):
    vote = running_vote(status=Vote.Status.DRAFT)
    announced = running_vote(opens_at=timezone.now() + timedelta(days=1))
    user = {
        "resident": UserFactory,
        "verified": verified_resident,
        "officer": lambda: _officer(announced),
        "expert": lambda: UserFactory(is_expert=True),
    }[who]()
    client = bearer(user)
    assert send(client, "post", "/votes", _vote_body()).status_code == 403
    assert send(client, "put", f"/votes/{vote.pk}", _rules()).status_code == 404  # a draft
    assert send(client, "put", f"/votes/{announced.pk}", _rules()).status_code == 403
    assert send(client, "post", f"/votes/{announced.pk}/options", {"title": "x"}).status_code == 403
    option = announced.options.first()
    path = f"/votes/{announced.pk}/options/{option.pk}"
    assert send(client, "delete", path).status_code == 403
    assert send(client, "get", f"/votes/{announced.pk}/officers").status_code == 403
    body = {"email": "a@example.com"}
    assert send(client, "post", f"/votes/{announced.pk}/officers", body).status_code == 403
    assert send(client, "post", f"/votes/{vote.pk}/moves", {"move": "announce"}).status_code == 404
    assert Vote.objects.count() == 2
    assert announced.options.count() == 3


def test_anonymous_callers_are_401():
    vote = running_vote()
    assert send(Client(), "post", "/votes", _vote_body()).status_code == 401
    assert send(Client(), "put", f"/votes/{vote.pk}", _rules()).status_code == 401
    assert send(Client(), "post", f"/votes/{vote.pk}/moves", {"move": "close"}).status_code == 401


def test_a_coordinator_prepares_announces_a_vote_in_the_citys_time():
    client = bearer(coordinator())
    created = send(client, "post", "/votes", _vote_body())
    assert created.status_code == 201, created.json()
    vote = created.json()
    assert (vote["status"], vote["budget"], vote["options"]) == ("draft", "500000.00", [])
    assert vote["opens_at"] == "2027-03-01T02:00:00Z"  # 09:00 in the city
    pk = vote["id"]
    initiative = InitiativeFactory(title="Сквер")
    first = send(
        client, "post", f"/votes/{pk}/options", {"initiative_id": initiative.pk, "cost": "100000"}
    )
    assert first.status_code == 201, first.json()
    assert (first.json()["title"], first.json()["cost"]) == ("Сквер", "100000.00")
    second = send(client, "post", f"/votes/{pk}/options", {"title": "Горка", "cost": "1 500,50"})
    assert second.json()["cost"] == "1500.50"
    changed = send(client, "put", f"/votes/{pk}", _rules(budget="300000"))
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["title"], changed.json()["budget"]) == ("Дворы", "300000.00")
    officer = UserFactory(email="counter@example.com")
    added = send(client, "post", f"/votes/{pk}/officers", {"email": "Counter@example.com"})
    assert added.status_code == 201
    assert [o["id"] for o in added.json()] == [officer.pk]
    removed = send(client, "delete", f"/votes/{pk}/options/{second.json()['id']}")
    assert [o["title"] for o in removed.json()["options"]] == ["Сквер"]
    refused = send(client, "post", f"/votes/{pk}/moves", {"move": "announce"})
    assert refused.status_code == 409
    assert "два варианта" in refused.json()["message"]
    send(client, "post", f"/votes/{pk}/options", {"title": "Лавочки", "cost": "5000"})
    announced = send(client, "post", f"/votes/{pk}/moves", {"move": "announce"})
    assert announced.json()["status"] == "open"
    assert send(client, "delete", f"/votes/{pk}/officers/{officer.pk}").json() == []


def test_a_vote_about_a_competition_takes_its_applications():
    official = UserFactory(is_official=True, is_coordinator=True)
    competition = open_competition(official)
    application = admitted_application(competition, official)
    client = bearer(official)
    body = _vote_body(
        kind="approval",
        max_choices=2,
        competition_id=competition.pk,
        use="criterion",
        criterion_points="10",  # the criterion's greatest points, from the rules
    )
    body.pop("budget")
    created = send(client, "post", "/votes", body)
    assert created.status_code == 201, created.json()
    assert [o["application_id"] for o in created.json()["options"]] == [application.pk]
    pk = created.json()["id"]
    again = send(client, "post", f"/votes/{pk}/options", {"application_id": application.pk})
    assert again.status_code == 409
    unknown = send(client, "post", f"/votes/{pk}/options", {"application_id": 999999})
    assert unknown.status_code == 422
    assert "application_id" in str(unknown.json())


def test_once_voting_has_opened_nothing_changes_409_with_the_reason():
    vote = running_vote()
    client = bearer(coordinator())
    option = vote.options.first()
    for method, path, body in [
        ("put", f"/votes/{vote.pk}", _rules()),
        ("post", f"/votes/{vote.pk}/options", {"title": "Поздний"}),
        ("delete", f"/votes/{vote.pk}/options/{option.pk}", None),
    ]:
        response = send(client, method, path, body)
        assert response.status_code == 409
        assert "уже началось" in response.json()["message"]
    assert send(client, "post", f"/votes/{vote.pk}/moves", {"move": "close"}).status_code == 409
    close_now(vote)
    closed = send(client, "post", f"/votes/{vote.pk}/moves", {"move": "close"})
    assert closed.json()["status"] == "closed"
    late = send(client, "post", f"/votes/{vote.pk}/officers", {"email": UserFactory().email})
    assert late.status_code == 409


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "lottery"},
        {"budget": "1e400"},
        {"budget": "-1"},
        {"budget": None},
        {"title": ""},
        {"title": "x" * 301},
        {"opens_at": "0001-01-01T00:00"},
        {"opens_at": "9999-12-31T23:59"},
        {"closes_at": "2027-02-01T00:00"},
        {"competition_id": 0},
        {"competition_id": 99999999},
        {"use": "criterion"},
        {"max_choices": 10**30},
        {"is_staff": True},
        {"title": "a\u0000b"},
        {"budget": "0.001"},
    ],
)
def test_hostile_bodies_are_422_never_500(changes):
    response = send(bearer(coordinator()), "post", "/votes", _vote_body(**changes))
    assert response.status_code in (400, 422), response.content
    assert not Vote.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"title": "a"},
        {"title": "a", "cost": "²"},
        {"title": "a", "cost": 0},
        {"title": "a", "cost": "0.001"},
        {"title": "a", "cost": 0.004},
        {"title": "a", "cost": "1", "initiative_id": 0},
        {"title": "a", "cost": "1", "initiative_id": 99999999},
        {"title": "a", "cost": "1", "application_id": 1},
        {"title": "a", "cost": "1", "vote_id": 1},
    ],
)
def test_hostile_options_are_refused(body):
    vote = running_vote(status=Vote.Status.DRAFT, kind="budget", options=0)
    response = send(bearer(coordinator()), "post", f"/votes/{vote.pk}/options", body)
    assert response.status_code in (400, 409, 422), response.content
    assert not vote.options.exists()


def test_unknown_officers_and_options_are_named():
    vote = running_vote()
    client = bearer(coordinator())
    response = send(client, "post", f"/votes/{vote.pk}/officers", {"email": "no@example.com"})
    assert response.status_code == 422
    assert "email" in str(response.json())
    assert (
        send(client, "delete", f"/votes/{vote.pk}/officers/{UserFactory().pk}").status_code == 404
    )
    other = running_vote(status=Vote.Status.DRAFT)
    foreign = other.options.first()
    assert send(client, "delete", f"/votes/{vote.pk}/options/{foreign.pk}").status_code == 404
    assert send(client, "post", f"/votes/{vote.pk}/moves", {"move": "reopen"}).status_code == 422


def test_the_preparation_endpoints_are_in_the_schema():
    paths = Client().get(f"{API}/openapi.json").json()["paths"]
    assert {"post", "get"} <= set(paths[f"{API}/votes"])
    assert "put" in paths[f"{API}/votes/{{pk}}"]
    assert "post" in paths[f"{API}/votes/{{pk}}/options"]
    assert "delete" in paths[f"{API}/votes/{{pk}}/options/{{option_pk}}"]
    assert {"get", "post"} <= set(paths[f"{API}/votes/{{pk}}/officers"])
    assert "post" in paths[f"{API}/votes/{{pk}}/moves"]
