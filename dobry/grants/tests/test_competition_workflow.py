"""A competition's status moves by COMPETITION_WORKFLOW: draft → published → decided →
results, each once; the stages (`grants.stages`) consult the same table, so a refused move
raises in the service, is a message on the page and a 409 from the API."""

import pytest

from dobry.core.errors import InvalidTransition
from dobry.grants.models import COMPETITION_WORKFLOW, Competition
from dobry.grants.services import competitions, decisions
from dobry.grants.tests.factories import decide, open_competition
from dobry.grants.tests.test_api import bearer

pytestmark = pytest.mark.django_db
C = Competition.Status


def test_the_table():
    assert COMPETITION_WORKFLOW.table == {
        C.DRAFT: frozenset({C.PUBLISHED}),
        C.PUBLISHED: frozenset({C.DECIDED}),
        C.DECIDED: frozenset({C.RESULTS}),
    }
    assert COMPETITION_WORKFLOW.public_name(C.DECIDED) != COMPETITION_WORKFLOW.staff_name(C.DECIDED)


def test_every_move_once_in_order(official):
    competition = open_competition(official)
    assert competition.status == C.PUBLISHED
    with pytest.raises(InvalidTransition, match="уже объявлен"):
        competitions.competition_publish(actor=official, competition=competition)
    with pytest.raises(InvalidTransition, match="после решения комиссии"):
        decisions.results_publish(actor=official, competition=competition)
    decided = decide(competition, official, publish=False)
    assert decided.status == C.DECIDED
    published = decisions.results_publish(actor=official, competition=decided)
    assert published.status == C.RESULTS
    with pytest.raises(InvalidTransition, match="уже опубликованы"):
        decisions.results_publish(actor=official, competition=published)


def test_a_refused_move_is_a_message_on_the_page_and_409_from_the_api(login_as, official):
    competition = open_competition(official)
    page = login_as(official).post(f"/grants/{competition.pk}/publish/", follow=True)
    assert page.status_code == 200
    assert "уже объявлен" in page.content.decode()
    api = bearer(official).post(f"/api/v1/competitions/{competition.pk}/publish")
    assert api.status_code == 409
    assert "уже объявлен" in api.json()["message"]
    competition.refresh_from_db()
    assert competition.status == C.PUBLISHED
