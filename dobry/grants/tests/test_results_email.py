"""The results email says what the decision made of each application (issue 11 hardening
§4): a reserve-list applicant was told «в этот раз не получил гранта», as if rejected. Now a
winner reads the grant, a reserve applicant that the project is in the reserve, its place
and what that means (funded if money frees up), and only the others that there is no grant."""

from decimal import Decimal

import pytest

from dobry.communications.models import Notification
from dobry.grants.models import Application
from dobry.grants.tests.factories import decide, open_competition, scored_applications

pytestmark = pytest.mark.django_db
RESERVE = "прошёл конкурсный отбор и включён в резерв"
MEANING = "если деньги освободятся"
NO_GRANT = "в этот раз не получил гранта"


@pytest.fixture
def published(official):
    """300 000 ₽ over five projects: the first two funded (the second partly), the next two
    passing but unfunded (the reserve, in rank order), the last below the passing score."""
    competition = open_competition(
        official, budget=Decimal(300_000), passing_score=Decimal(50), min_grant=Decimal(40_000)
    )
    made = scored_applications(
        competition,
        official,
        [(9, 200_000), (8, 150_000), (7, 50_000), (6, 50_000), (4, 50_000)],
    )
    decide(competition, official)
    return made


def _email(application: Application) -> str:
    return Notification.objects.get(user=application.applicant, kind="grant_results").body


def test_a_reserve_applicant_is_told_they_are_in_the_reserve_and_what_it_means(published):
    _first, _second, third, fourth, _fifth = published
    for application, place in ((third, 1), (fourth, 2)):
        application.refresh_from_db()
        assert application.result == Application.Result.RESERVE
        body = _email(application)
        assert f"Проект «{application.title}» {RESERVE}" in body
        assert f"Место в резерве — {place}." in body
        assert MEANING in body
        assert NO_GRANT not in body
        assert "получает грант" not in body


def test_winners_and_the_unsupported_keep_their_own_texts(published):
    first, second, _third, _fourth, fifth = published
    assert "получает грант 200" in _email(first)
    assert "получает грант 100" in _email(second)
    assert f"Проект «{fifth.title}» {NO_GRANT}" in _email(fifth)
    for application in (first, second, fifth):
        assert RESERVE not in _email(application)
        assert MEANING not in _email(application)
