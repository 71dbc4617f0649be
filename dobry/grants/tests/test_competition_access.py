"""Competition visibility is one function (`permissions.get_competition_for_user`) for the
pages and the API: for every role and every state of a competition, the page and the API
answer alike — the competition, its published results, the organisers' ranking.

Before, the page and the API each loaded the competition and checked it: the organisers'
pages answered 403 about a draft to one who may not even see it (the API, 404)."""

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client

from dobry.accounts.services import api_token_create
from dobry.accounts.tests.factories import UserFactory
from dobry.grants import permissions
from dobry.grants.models import Competition
from dobry.grants.services import competitions
from dobry.grants.tests.factories import decide, open_competition, scored_applications

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "applicant", "expert", "coordinator", "manager", "official")
ORGANISERS = {"manager", "official", "admin"}
STATES = ("draft", "published", "decided", "results")


def _draft(official) -> Competition:
    competition = open_competition(official)
    Competition.objects.filter(pk=competition.pk).update(status=Competition.Status.DRAFT)
    competition.refresh_from_db()
    return competition


def _scored(official) -> tuple[Competition, dict[str, object]]:
    competition = open_competition(official)
    [application] = scored_applications(competition, official, [(7, 100_000)])
    expert = application.reviews.select_related("expert__user").first().expert.user
    return competition, {"applicant": application.applicant, "expert": expert}


def _world(state: str, official) -> tuple[Competition, dict[str, object]]:
    if state == "draft":
        competition, people = _draft(official), {"applicant": UserFactory()}
        people["expert"] = UserFactory()
    else:
        competition, people = _scored(official)
        if state in ("decided", "results"):
            competition = decide(competition, official, publish=state == "results")
    manager = UserFactory()
    competition.managers.add(manager)
    people |= {
        "outsider": UserFactory(),
        "coordinator": UserFactory(is_coordinator=True),
        "manager": manager,
        "official": official,
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }
    return competition, people


def _clients(people: dict[str, object], role: str) -> tuple[Client, Client]:
    if role == "anonymous":
        return Client(), Client()
    page = Client()
    page.force_login(people[role])
    _token, raw = api_token_create(user=people[role], name="t")
    return page, Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _answer(status: int) -> str:
    """A page's login redirect and the API's 401 are the same answer: sign in first."""
    return {302: "sign in", 401: "sign in"}.get(status, str(status))


PAIRS: dict[str, tuple[tuple[str, ...], str]] = {
    "view": (("/grants/{pk}/",), "/api/v1/competitions/{pk}"),
    "results": (
        ("/grants/{pk}/results/", "/grants/{pk}/results.csv", "/grants/{pk}/results.json"),
        "/api/v1/competitions/{pk}/results",
    ),
    "manage": (
        ("/grants/{pk}/ranking/", "/grants/{pk}/manage/"),
        "/api/v1/competitions/{pk}/ranking",
    ),
}


def _expected(access: str, state: str, role: str) -> str:
    sees = state != "draft" or role in ORGANISERS
    if access == "view":
        return "200" if sees else "404"
    if access == "results":
        return "200" if state == "results" else "404"
    if role == "anonymous":
        return "sign in"
    if not sees:
        return "404"
    return "200" if role in ORGANISERS else "403"


@pytest.mark.parametrize("state", STATES)
def test_page_and_api_agree_on_a_competition_for_every_role(state, official):
    competition, people = _world(state, official)
    seen = {}
    for role in (*ROLES, "admin"):
        page, api = _clients(people, role)
        for access, (pages, endpoint) in PAIRS.items():
            expected = _expected(access, state, role)
            api_answer = _answer(api.get(endpoint.format(pk=competition.pk)).status_code)
            page_answers = {
                _answer(page.get(p.format(pk=competition.pk)).status_code) for p in pages
            }
            seen[(role, access)] = (page_answers, api_answer)
            assert page_answers == {api_answer} == {expected}, (role, access, seen[(role, access)])


CHECKS: dict[str, Callable[..., object]] = {
    "view": permissions.can_view_competition,
    "results": permissions.can_view_results,
    "manage": permissions.can_manage,
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("access", ["view", "results", "manage"])
def test_the_one_function_follows_the_permission_functions(state, access, official):
    competition, people = _world(state, official)
    for role in ("outsider", "coordinator", "manager", "official", "admin"):
        user = people[role]
        allowed = bool(CHECKS[access](user, competition))
        try:
            got = permissions.get_competition_for_user(user, competition.pk, action=access)
        except (Http404, PermissionDenied):
            assert not allowed, role
        else:
            assert allowed, role
            assert got == competition


def test_a_manager_refused_says_why_and_a_draft_is_not_revealed(official, outsider):
    published = open_competition(official)
    with pytest.raises(PermissionDenied, match="организаторы"):
        permissions.get_competition_for_user(outsider, published.pk, action="manage")
    draft = competitions.competition_create(
        actor=official,
        kind=published.kind,
        title="Черновик",
        budget=published.budget,
        max_grant=published.max_grant,
        applications_open=published.applications_open,
        applications_close=published.applications_close,
        review_deadline=published.review_deadline,
        results_on=published.results_on,
    )
    for access in ("view", "results", "manage"):
        with pytest.raises(Http404):
            permissions.get_competition_for_user(outsider, draft.pk, action=access)
    with pytest.raises(ValueError, match="edit"):
        permissions.get_competition_for_user(official, draft.pk, action="edit")
