"""Edges of preparing and closing a vote: the automatic closing moment a coordinator is
shown, the preparation page of a closed vote, officers by page for every refusal, and the
API's move body."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from conftest import login
from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.civic.models import Vote
from dobry.civic.services import votes
from dobry.civic.tests.factories import close_now, coordinator, running_vote

pytestmark = pytest.mark.django_db


def test_a_vote_without_officers_closes_automatically_at_its_closing_moment():
    vote = running_vote()
    assert votes.closes_automatically_at(vote) == vote.closes_at


def test_the_paper_hours_follow_the_setting(settings):
    settings.DOBRY_VOTE_PAPER_HOURS = 0
    vote = running_vote()
    vote.officers.add(UserFactory())
    assert votes.closes_automatically_at(vote) == vote.closes_at
    assert votes.votes_close_due(now=vote.closes_at) == 1


def test_the_preparation_page_of_a_closed_vote_shows_no_forms():
    vote = running_vote()
    votes.vote_move(actor=coordinator(), vote=close_now(vote), name="close")
    page = login(coordinator()).get(f"/votes/{vote.pk}/prepare/").content.decode()
    assert "Итоги опубликованы." in page
    assert "Добавить вариант" not in page
    assert "Добавить в комиссию" not in page


def test_an_officer_named_twice_or_taken_off_when_absent_gets_the_reason_on_the_page():
    vote = running_vote()
    officer = UserFactory(email="twice@example.com")
    client = login(coordinator())
    client.post(f"/votes/{vote.pk}/officers/", {"email": officer.email, "action": "add"})
    again = client.post(f"/votes/{vote.pk}/officers/", {"email": officer.email, "action": "add"})
    assert "уже в счётной комиссии" in again.content.decode()
    client.post(f"/votes/{vote.pk}/officers/", {"email": officer.email, "action": "remove"})
    absent = client.post(
        f"/votes/{vote.pk}/officers/", {"email": officer.email, "action": "remove"}
    )
    assert "нет в счётной комиссии" in absent.content.decode()
    wrong = client.post(f"/votes/{vote.pk}/officers/", {"email": "not an email"})
    assert wrong.status_code == 200
    assert "error-summary" in wrong.content.decode()


@pytest.mark.parametrize("action", [None, "", "purge"])
def test_an_officer_form_without_its_button_or_with_a_forged_one_changes_nothing(action):
    """The button's value is read by the form: missing or forged, nothing is added (it
    was read as «add» when missing)."""
    vote = running_vote()
    officer = UserFactory(email="button@example.com")
    body = {"email": officer.email} | ({} if action is None else {"action": action})
    answer = login(coordinator()).post(f"/votes/{vote.pk}/officers/", body)
    assert answer.status_code == 200
    assert "error-summary" in answer.content.decode()
    assert not vote.officers.filter(pk=officer.pk).exists()


@pytest.mark.parametrize("body", [{}, {"move": ""}, {"move": 1}, {"move": "announce", "x": 1}])
def test_a_wrong_move_body_is_422(body):
    vote = running_vote(status=Vote.Status.DRAFT)
    response = bearer(coordinator()).post(
        f"/api/v1/votes/{vote.pk}/moves", body, content_type="application/json"
    )
    assert response.status_code == 422
    vote.refresh_from_db()
    assert vote.status == Vote.Status.DRAFT


def test_anonymous_callers_cannot_read_the_officers():
    vote = running_vote()
    assert Client().get(f"/api/v1/votes/{vote.pk}/officers").status_code == 401


def test_a_budget_vote_created_by_api_keeps_no_k():
    now = timezone.now()
    vote = votes.vote_create(
        actor=coordinator(), title="Бюджет", kind="budget", budget=Decimal(1000),
        max_choices=5, opens_at=now, closes_at=now + timedelta(days=1),
    )  # fmt: skip
    assert (vote.max_choices, vote.budget) == (1, Decimal(1000))
