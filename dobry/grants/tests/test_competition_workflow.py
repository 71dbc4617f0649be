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


def test_a_decided_competition_reads_as_its_public_name_to_the_public_and_staff_name_at_the_desk(
    official, login_as
):
    """The workflow's public name for «decided» is what residents read until the results
    are out; the organisers' desk says what happened."""
    competition = decide(open_competition(official), official, publish=False)
    public_name = COMPETITION_WORKFLOW.public_name(C.DECIDED)
    staff_name = COMPETITION_WORKFLOW.staff_name(C.DECIDED)
    for url in ("/grants/", f"/grants/{competition.pk}/"):
        text = login_as(official).get(url).content.decode()
        assert public_name in text, url
        assert staff_name not in text, url
    for url in (f"/grants/{competition.pk}/manage/", f"/grants/{competition.pk}/commission/"):
        text = login_as(official).get(url).content.decode()
        assert staff_name in text, url


def test_the_desk_draws_each_status_button_from_the_move(official, login_as):
    """«Объявить конкурс», «Утвердить решение комиссии», «Опубликовать итоги»: the labels of
    the moves, not typed again in the templates."""
    running = open_competition(official)
    draft = competitions.competition_create(
        actor=official,
        kind=Competition.Kind.SONKO,
        title="Черновик",
        budget=running.budget,
        max_grant=running.max_grant,
        applications_open=running.applications_open,
        applications_close=running.applications_close,
        review_deadline=running.review_deadline,
        results_on=running.results_on,
    )
    announce = str(COMPETITION_WORKFLOW.move("announce").label)
    assert announce in login_as(official).get(f"/grants/{draft.pk}/manage/").content.decode()
    competition = decide(open_competition(official), official, publish=False)
    commission = login_as(official).get(f"/grants/{competition.pk}/commission/").content.decode()
    assert str(COMPETITION_WORKFLOW.move("publish_results").label) in commission


def test_a_refused_status_move_says_the_moves_own_refusal(official):
    from dobry.grants import stages

    competition = open_competition(official)
    assert stages.announcement(competition).reason == COMPETITION_WORKFLOW.move("announce").refused
    assert (
        stages.publication(competition).reason
        == COMPETITION_WORKFLOW.move("publish_results").refused
    )
    decided = decide(competition, official, publish=False)
    assert stages.decision(decided).reason == COMPETITION_WORKFLOW.move("decide").refused
