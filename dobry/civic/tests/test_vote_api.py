"""Votes through the API for every role: options, casting (once, within the limit), the
receipt check, the tally after closing, who voted; structured refusals, never a 500."""

from decimal import Decimal

import pytest
from django.test import Client

from conftest import login
from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.civic.models import Ballot, Vote
from dobry.civic.services import votes
from dobry.civic.tests.factories import close_now, coordinator, running_vote, verified_resident

pytestmark = pytest.mark.django_db
API = "/api/v1"


def post(client, path, body):
    return client.post(f"{API}{path}", body, content_type="application/json")


def _ids(vote, *numbers):
    options = list(vote.options.order_by("position"))
    return [options[n - 1].pk for n in numbers]


def test_the_list_and_a_vote_show_options_without_counts():
    vote = running_vote(title="Скверы")
    running_vote(title="Черновик", status=Vote.Status.DRAFT)
    listed = Client().get(f"{API}/votes").json()
    assert [v["title"] for v in listed["items"]] == ["Скверы"]
    detail = Client().get(f"{API}/votes/{vote.pk}").json()
    assert [o["title"] for o in detail["options"]] == ["Проект 1", "Проект 2", "Проект 3"]
    assert detail["can_vote"] is False
    assert detail["voted"] is False
    assert "votes" not in detail["options"][0]


def test_a_draft_is_404_but_for_coordinators():
    vote = running_vote(status=Vote.Status.DRAFT)
    assert Client().get(f"{API}/votes/{vote.pk}").status_code == 404
    assert bearer(UserFactory()).get(f"{API}/votes/{vote.pk}").status_code == 404
    assert bearer(coordinator()).get(f"{API}/votes/{vote.pk}").status_code == 200


def test_a_verified_resident_casts_once_and_checks_the_receipt():
    vote = running_vote()
    client = bearer(verified_resident())
    assert client.get(f"{API}/votes/{vote.pk}").json()["can_vote"] is True
    response = post(client, f"/votes/{vote.pk}/ballot", {"options": _ids(vote, 1, 2)})
    assert response.status_code == 201, response.content
    receipt = response.json()["receipt"]
    again = post(client, f"/votes/{vote.pk}/ballot", {"options": _ids(vote, 3)})
    assert again.status_code == 409
    assert client.get(f"{API}/votes/{vote.pk}").json()["voted"] is True
    checked = post(Client(), "/votes/receipts/check", {"code": receipt}).json()
    assert checked == {"counted": True, "vote_id": vote.pk, "vote_title": vote.title}
    missing = post(Client(), "/votes/receipts/check", {"code": "AAAA-AAAA-AAAA"}).json()
    assert missing["counted"] is False
    assert Ballot.objects.count() == 1


@pytest.mark.parametrize(
    ("make", "status"),
    [
        (lambda: None, 401),
        (lambda: UserFactory(), 403),
        (lambda: UserFactory(is_coordinator=True), 403),
    ],
)
def test_others_may_not_cast(make, status):
    vote = running_vote()
    user = make()
    client = Client() if user is None else bearer(user)
    assert (
        post(client, f"/votes/{vote.pk}/ballot", {"options": _ids(vote, 1)}).status_code == status
    )
    assert not Ballot.objects.exists()


def test_over_k_over_budget_and_closed_votes_are_refused():
    approval = running_vote(options=3, max_choices=1)
    budget = running_vote(
        kind="budget", budget=Decimal(150_000), costs=[Decimal(100_000), Decimal(100_000)],
        options=2,
    )  # fmt: skip
    late = close_now(running_vote())
    client = bearer(verified_resident())
    over_k = post(client, f"/votes/{approval.pk}/ballot", {"options": _ids(approval, 1, 2)})
    assert over_k.status_code == 422
    assert "не больше 1 варианта" in over_k.json()["message"]
    over_budget = post(client, f"/votes/{budget.pk}/ballot", {"options": _ids(budget, 1, 2)})
    assert over_budget.status_code == 422
    closed = post(client, f"/votes/{late.pk}/ballot", {"options": _ids(late, 1)})
    assert closed.status_code == 409
    assert not Ballot.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"options": []},
        {"options": ["²"]},
        {"options": [2**70]},
        {"options": "1"},
        {"options": [1] * 501},
        {"options": [1], "extra": True},
    ],
)
def test_hostile_ballots_are_422(body):
    vote = running_vote()
    response = post(bearer(verified_resident()), f"/votes/{vote.pk}/ballot", body)
    assert response.status_code == 422, response.content
    assert not Ballot.objects.exists()


@pytest.mark.parametrize("code", ["", "x" * 41, 12, None])
def test_a_hostile_receipt_check_is_422(code):
    assert post(Client(), "/votes/receipts/check", {"code": code}).status_code == 422


def test_the_tally_is_409_until_closed_then_public():
    vote = running_vote()
    votes.ballot_cast(actor=verified_resident(), vote=vote, option_ids=_ids(vote, 2))
    assert Client().get(f"{API}/votes/{vote.pk}/tally").status_code == 409
    assert bearer(coordinator()).get(f"{API}/votes/{vote.pk}/tally").status_code == 409
    close_now(vote)
    votes.vote_move(actor=coordinator(), vote=vote, name="close")
    tally = Client().get(f"{API}/votes/{vote.pk}/tally").json()
    assert (tally["ballots"], tally["voters"]) == (1, 1)
    assert tally["rows"][0]["title"] == "Проект 2"
    assert tally["rows"][0]["votes"] == 1


def test_who_voted_is_staff_only_and_carries_no_choice():
    vote = running_vote()
    votes.ballot_cast(
        actor=verified_resident(last_name="Петрова"), vote=vote, option_ids=_ids(vote, 1)
    )
    url = f"{API}/votes/{vote.pk}/voters"
    assert Client().get(url).status_code == 401
    assert bearer(verified_resident()).get(url).status_code == 403
    rows = bearer(coordinator()).get(url).json()["items"]
    assert len(rows) == 1
    assert "Петрова" in rows[0]["name"]
    assert set(rows[0]) == {"name", "voted_on", "channel", "polling_point"}


def test_the_session_client_casts_too_with_csrf_checked():
    vote = running_vote()
    client = login(verified_resident())
    assert post(client, f"/votes/{vote.pk}/ballot", {"options": _ids(vote, 1)}).status_code in {
        201,
        403,
    }


def test_the_schema_lists_the_vote_endpoints():
    paths = Client().get(f"{API}/openapi.json").json()["paths"]
    for path in (
        "/api/v1/votes",
        "/api/v1/votes/{pk}",
        "/api/v1/votes/{pk}/ballot",
        "/api/v1/votes/receipts/check",
        "/api/v1/votes/{pk}/tally",
        "/api/v1/votes/{pk}/voters",
    ):
        assert path in paths, path
