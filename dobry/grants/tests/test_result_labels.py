"""An application's status at its latest stage, to its applicant and to staff, on pages
and in the API (issue 11 §6: winners still showed «допущена»; the right label is
«победитель, грант N ₽»)."""

from decimal import Decimal

import pytest

from dobry.grants import results
from dobry.grants.models import Application
from dobry.grants.tests.factories import decide, open_competition, scored_applications
from dobry.grants.tests.test_api import bearer

pytestmark = pytest.mark.django_db
NBSP = "\xa0"
WINNER = f"победитель, грант 200{NBSP}000 ₽"


@pytest.fixture
def three(official):
    """90 points for 200 000 (funded), 80 for 150 000 (does not fit: the reserve),
    40 for 50 000 (below the passing score of 50: not supported)."""
    competition = open_competition(
        official, budget=Decimal(300_000), passing_score=Decimal(50), partial_funding=False
    )
    winner, reserve, weak = scored_applications(
        competition, official, [(9, 200_000), (8, 150_000), (4, 50_000)]
    )
    return competition, winner, reserve, weak


def _label(client, url: str) -> str:
    return client.get(url).content.decode()


def test_the_decision_gives_each_admitted_application_its_result(official, three):
    competition, winner, reserve, weak = three
    decide(competition, official)
    for application in (winner, reserve, weak):
        application.refresh_from_db()
    assert [winner.result, reserve.result, weak.result] == ["winner", "reserve", "not_supported"]
    assert results.status_label(winner, staff=False) == WINNER
    assert results.status_label(reserve, staff=False) == "в резерве"
    assert results.status_label(weak, staff=False) == "не поддержана"


def test_winners_see_their_grant_not_admitted(login_as, official, three):
    competition, winner, reserve, weak = three
    decide(competition, official)
    applicant = login_as(winner.applicant)
    page = _label(applicant, f"/grants/applications/{winner.pk}/")
    assert WINNER in page
    assert "допущена" not in page
    assert WINNER in _label(applicant, "/grants/mine/")
    assert "не поддержана" in _label(login_as(weak.applicant), "/grants/mine/")
    assert "в резерве" in _label(login_as(reserve.applicant), f"/grants/applications/{reserve.pk}/")


def test_staff_see_the_result_on_the_desk_and_the_screening_page(login_as, official, three):
    competition, winner, _reserve, _weak = three
    decide(competition, official)
    staff = login_as(official)
    desk = _label(staff, f"/grants/{competition.pk}/manage/")
    assert WINNER in desk
    assert "в резерве" in desk
    assert "не поддержана" in desk
    assert "<td>допущена</td>" not in desk
    assert WINNER in _label(staff, f"/grants/applications/{winner.pk}/screening/")
    assert WINNER in _label(staff, f"/grants/applications/{winner.pk}/")


def test_before_publication_only_staff_read_the_decision(login_as, official, three):
    competition, winner, _reserve, _weak = three
    decide(competition, official, publish=False)
    assert WINNER in _label(login_as(official), f"/grants/{competition.pk}/manage/")
    page = _label(login_as(winner.applicant), f"/grants/applications/{winner.pk}/")
    assert "допущена" in page
    assert "победитель" not in page
    own = bearer(winner.applicant).get(f"/api/v1/applications/{winner.pk}").json()
    assert (own["status_label"], own["result"]) == ("допущена", None)
    staff = bearer(official).get(f"/api/v1/applications/{winner.pk}").json()
    assert (staff["status_label"], staff["result"]) == (WINNER, "winner")


def test_the_api_gives_the_result_and_its_label(official, three):
    competition, winner, reserve, weak = three
    decide(competition, official)
    for application, result, label in (
        (winner, "winner", WINNER),
        (reserve, "reserve", "в резерве"),
        (weak, "not_supported", "не поддержана"),
    ):
        data = bearer(application.applicant).get(f"/api/v1/applications/{application.pk}").json()
        assert (data["status"], data["result"], data["status_label"]) == (
            "admitted",
            result,
            label,
        )


def test_a_lottery_grant_says_so_and_other_statuses_keep_their_names(official):
    competition = open_competition(official)
    competition.status = "results"
    application = Application(
        competition=competition,
        status=Application.Status.ADMITTED,
        result=Application.Result.WINNER,
        awarded_amount=Decimal("50000.50"),
        award_tier="lottery",
    )
    assert results.status_label(application, staff=False) == (
        f"победитель по жребию, грант 50{NBSP}000,50 ₽"
    )
    application.status, application.result = Application.Status.NOT_ADMITTED, ""
    assert results.status_label(application, staff=True) == "не допущена"


# --- other labels that ignored a later stage ---------------------------------------------


def test_a_competition_says_which_stage_it_is_at(login_as, official, freeze_now):
    from datetime import timedelta

    from django.utils import timezone

    from dobry.grants import stages

    competition = open_competition(official)
    now = timezone.now()
    assert stages.stage_label(competition, now - timedelta(days=2)).startswith(
        "объявлен, приём заявок с "
    )
    assert stages.stage_label(competition, now) == "идёт приём заявок"
    assert (
        stages.stage_label(competition, now + timedelta(days=2))
        == "приём заявок закончен, идёт экспертиза"
    )
    assert (
        stages.stage_label(competition, now + timedelta(days=11))
        == "экспертиза закончена, подводятся итоги"
    )
    freeze_now(now + timedelta(days=2))
    assert "приём заявок закончен, идёт экспертиза" in _label(login_as(official), "/grants/")


def test_a_draft_left_unsent_after_the_call_says_so_and_offers_no_editing(login_as, official):
    from dobry.grants.services import applications
    from dobry.grants.tests.factories import applicant_organization, close_applications

    competition = open_competition(official)
    organization, leader = applicant_organization()
    draft = applications.application_create(
        user=leader, competition=competition, organization=organization
    )
    client = login_as(leader)
    assert "Заполнить и подать" in _label(client, f"/grants/applications/{draft.pk}/")
    close_applications(competition)
    page = _label(client, f"/grants/applications/{draft.pk}/")
    assert "не подана: приём заявок закончился" in page
    assert "Заполнить и подать" not in page
    response = client.get(f"/grants/applications/{draft.pk}/edit/")
    assert response.status_code == 403
    assert "Приём заявок закончился" in response.content.decode()


def test_an_unscored_review_past_its_deadline_says_so(login_as, official):
    from dobry.grants.models import Competition
    from dobry.grants.services import assignments
    from dobry.grants.tests.factories import admitted_application, end_review, expert_pool

    competition = open_competition(official)
    application = admitted_application(competition, official)
    (expert,) = expert_pool(competition, official, 1)
    Competition.objects.filter(pk=competition.pk).update(experts_per_application=1)
    competition.refresh_from_db()
    assignments.assign_experts(actor=official, competition=competition)
    client = login_as(expert.user)
    assert "назначена" in _label(client, "/grants/reviews/")
    end_review(competition)
    page = _label(client, "/grants/reviews/")
    assert "не оценена: срок экспертизы истёк" in page
    assert "<td>назначена" not in page
    screening = _label(login_as(official), f"/grants/applications/{application.pk}/screening/")
    assert "не оценена: срок экспертизы истёк" in screening
