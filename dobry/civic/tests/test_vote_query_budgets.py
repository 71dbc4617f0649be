"""Each voting list costs the same number of queries for one row and for many: the votes
list, a vote's page (ballot and tally), who voted, and the API's lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import login
from dobry.accounts.tests.factories import bearer
from dobry.civic.models import VoteOption
from dobry.civic.services import votes
from dobry.civic.tests.factories import close_now, coordinator, running_vote, verified_resident

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(vote, n: int) -> None:
    for index in range(n):
        VoteOption.objects.create(vote=vote, position=10 + index, title=f"Ещё {index}")
        votes.ballot_cast(
            actor=verified_resident(), vote=vote, option_ids=[vote.options.first().pk]
        )


def test_the_votes_list():
    client = login(coordinator())
    running_vote()
    few = queries(client, "/votes/")
    for _n in range(5):
        running_vote()
    assert queries(client, "/votes/") == few


def test_a_vote_page_with_its_ballot_and_after_closing_with_its_tally():
    vote = running_vote()
    client = login(verified_resident())
    few = queries(client, f"/votes/{vote.pk}/")
    _grow(vote, 5)
    assert queries(client, f"/votes/{vote.pk}/") == few
    close_now(vote)
    votes.vote_move(actor=coordinator(), vote=vote, name="close")
    closed = queries(client, f"/votes/{vote.pk}/")
    VoteOption.objects.create(vote=vote, position=99, title="Поздний")
    assert queries(client, f"/votes/{vote.pk}/") == closed


def test_who_voted_and_the_api_lists():
    vote = running_vote()
    staff = coordinator()
    page, api = login(staff), bearer(staff)
    api.get("/api/v1/votes")  # the token's first use is written once
    votes.ballot_cast(actor=verified_resident(), vote=vote, option_ids=[vote.options.first().pk])
    few = [
        queries(page, f"/votes/{vote.pk}/voters/"),
        queries(api, f"/api/v1/votes/{vote.pk}/voters"),
        queries(api, f"/api/v1/votes/{vote.pk}"),
        queries(api, "/api/v1/votes"),
    ]
    _grow(vote, 5)
    running_vote()
    assert [
        queries(page, f"/votes/{vote.pk}/voters/"),
        queries(api, f"/api/v1/votes/{vote.pk}/voters"),
        queries(api, f"/api/v1/votes/{vote.pk}"),
        queries(api, "/api/v1/votes"),
    ] == few
