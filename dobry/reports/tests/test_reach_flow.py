"""Reach figures entered on the page count at once in the informed share, capped at 100 %."""

from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db


def informed(staff) -> Decimal:
    rows = staff.get("/reports/?kind=year&year=2025").context["rows"]
    return next(row for row in rows if row.figure.key == "informed_share").figure.value


@pytest.mark.parametrize(("people", "share"), [(1000, 10), (10000, 100)])
def test_reach_entered_on_the_page_moves_the_informed_share(
    login_as, official, settings, people, share
):
    settings.DOBRY_POPULATION = 10000
    staff = login_as(official)
    assert informed(staff) == 0  # computed and cached before the entry
    answer = staff.post(
        "/reports/reach/",
        {
            "date": "2025-04-01",
            "channel": "media",
            "title": "Эфир о донорстве",
            "source": "справка редакции",
            "people": str(people),
        },
    )
    assert answer.status_code == 302
    assert informed(staff) == share


@pytest.mark.parametrize(
    ("field", "value"), [("channel", "tv"), ("people", "много"), ("date", "31.02.2025")]
)
def test_a_bad_reach_entry_is_shown_on_the_form_and_not_stored(login_as, official, field, value):
    from dobry.reports.models import ReachFigure

    entry = {
        "date": "2025-04-01",
        "channel": "media",
        "title": "Эфир",
        "source": "справка",
        "people": "10",
    }
    page = login_as(official).post("/reports/reach/", {**entry, field: value})
    assert page.status_code == 200
    assert field in page.context["form"].errors
    assert not ReachFigure.objects.exists()


@pytest.mark.parametrize(
    ("people", "day", "field", "words"),
    [
        ("10001", "2025-04-01", "people", "больше населения города (10000)"),
        ("999999999", "2025-04-01", "people", "больше населения города"),
        ("100", "2100-01-01", "date", "в будущем"),
    ],
)
def test_reach_over_the_population_or_in_the_future_is_refused(
    login_as, official, settings, people, day, field, words
):
    """Issue 11: 999,999,999 people entered once made the informed share 100 %."""
    from dobry.reports.models import ReachFigure

    settings.DOBRY_POPULATION = 10000
    answer = login_as(official).post(
        "/reports/reach/",
        {"date": day, "channel": "media", "title": "Эфир", "source": "редакция", "people": people},
    )
    assert answer.status_code == 200
    assert words in " ".join(answer.context["form"].errors[field])
    assert not ReachFigure.objects.exists()
