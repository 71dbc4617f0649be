"""A day a person reads carries its year whenever that is not the city's current year, and
a range whenever its two ends differ in year — on pages, emails and notifications alike
(`dobry.core.dates`, the `day`/`moment` filters and the `time_span` tag)."""

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from dobry.communications.models import Notification
from dobry.core.clock import city_zone
from dobry.core.dates import day_text, moment_text, span_text
from dobry.events.models import Event, Shift
from dobry.events.tests.factories import EventFactory, RegistrationFactory, ShiftFactory

# Half an hour before New Year in the city; still 16:30 on 31 December in UTC.
NEW_YEAR_EVE = datetime(2026, 12, 31, 23, 30, tzinfo=city_zone())


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=city_zone())


@pytest.fixture
def eve(freeze_now):
    freeze_now(NEW_YEAR_EVE)


def render(source: str, **context: object) -> str:
    return Template("{% load dobry %}" + source).render(Context(context))


def test_an_event_ending_next_year_shows_both_years(eve):
    # Event 44: from New Year's Eve to 8 March.
    starts, ends = local(2026, 12, 31, 22), local(2027, 3, 8, 12)
    assert span_text(starts, ends) == "31 декабря 2026, 22:00 – 8 марта 2027, 12:00"
    assert render("{% time_span a b %}", a=starts, b=ends) == (
        "31 декабря 2026, 22:00 – 8 марта 2027, 12:00"
    )


def test_a_shift_next_year_shows_its_year(eve):
    # Event 44's shift on 8 March (2027).
    assert span_text(local(2027, 3, 8, 10), local(2027, 3, 8, 12)) == "8 марта 2027, 10:00–12:00"


def test_a_moment_of_the_current_year_has_no_year(eve):
    assert moment_text(local(2026, 12, 5, 10)) == "5 декабря, 10:00"
    assert span_text(local(2026, 12, 5, 10), local(2026, 12, 5, 14)) == "5 декабря, 10:00–14:00"
    assert span_text(local(2026, 12, 5, 22), local(2026, 12, 6, 7)) == (
        "5 декабря, 22:00 – 6 декабря, 07:00"
    )


def test_a_moment_next_year_has_its_year(eve):
    assert moment_text(local(2027, 1, 2, 3)) == "2 января 2027, 03:00"
    assert render("{{ m|moment }}", m=local(2027, 1, 2, 3)) == "2 января 2027, 03:00"


def test_the_year_is_the_citys_after_midnight_local(freeze_now):
    # 00:30 on 1 January in the city is 17:30 on 31 December in UTC: the city's year is 2027.
    freeze_now(local(2027, 1, 1, 0, 30))
    assert moment_text(local(2027, 1, 1, 10)) == "1 января, 10:00"
    assert moment_text(local(2026, 12, 31, 22)) == "31 декабря 2026, 22:00"
    # A moment at 06:00 local on 1 January is 23:00 on 31 December in UTC: still 2027.
    freeze_now(local(2027, 1, 1, 6))
    assert day_text(local(2027, 1, 1, 6)) == "1 января"


def test_days_follow_the_same_rule(eve):
    assert day_text(date(2026, 11, 21)) == "21 ноября"
    assert day_text(date(2027, 11, 21)) == "21 ноября 2027"
    assert day_text(date(2025, 11, 21)) == "21 ноября 2025"
    assert render("{{ d|day }}", d=date(2027, 1, 2)) == "2 января 2027"
    assert span_text(date(2026, 12, 30), date(2027, 1, 3)) == "30 декабря 2026 – 3 января 2027"
    assert span_text(date(2026, 12, 1), date(2026, 12, 3)) == "1 декабря – 3 декабря"
    assert day_text(None) == ""
    assert moment_text(None) == ""
    assert span_text(None, None) == ""


def test_english_pages_follow_the_rule_too(eve):
    with translation.override("en"):
        assert moment_text(local(2027, 1, 2, 3)) == "2 January 2027, 03:00"
        assert moment_text(local(2026, 12, 5, 10)) == "5 December, 10:00"


@pytest.mark.django_db
def test_the_home_page_shows_the_year_of_an_event_next_year(eve, client):
    ShiftFactory(
        event=EventFactory(title="Рождественская ярмарка"),
        starts_at=local(2027, 1, 2, 3),
        ends_at=local(2027, 1, 2, 6),
    )
    body = client.get("/").content.decode()
    assert "Рождественская ярмарка" in body
    assert "2 января 2027, 03:00" in body
    assert not re.search(r"2 января, 03:00", body)


@pytest.mark.django_db
def test_the_event_page_shows_the_years_of_an_event_across_new_year(eve, client):
    event = EventFactory(title="Зимняя вахта")
    ShiftFactory(event=event, starts_at=local(2026, 12, 31, 22), ends_at=local(2027, 1, 1, 2))
    ShiftFactory(event=event, starts_at=local(2027, 3, 8, 10), ends_at=local(2027, 3, 8, 12))
    Event.objects.filter(pk=event.pk).update(
        starts_at=local(2026, 12, 31, 22), ends_at=local(2027, 3, 8, 12)
    )
    body = client.get(event.get_absolute_url()).content.decode()
    assert "31 декабря 2026, 22:00 – 8 марта 2027, 12:00" in body
    assert "31 декабря 2026, 22:00 – 1 января 2027, 02:00" in body
    assert "8 марта 2027, 10:00–12:00" in body


@pytest.mark.django_db
def test_a_reminder_email_shows_the_year_of_a_shift_next_year(eve):
    from dobry.events.tasks import send_shift_reminders

    shift: Shift = ShiftFactory(
        starts_at=NEW_YEAR_EVE + timedelta(hours=10), ends_at=NEW_YEAR_EVE + timedelta(hours=12)
    )
    registration = RegistrationFactory(shift=shift)
    assert send_shift_reminders.call() == 1
    notice = Notification.objects.get(user=registration.user, kind="shift_reminder")
    assert "1 января 2027, 09:30" in notice.body


# A date format naming the month (E, F, N, M, b) or the day (j, d, D) without the year (Y):
# such a day must go through `day`/`moment`/`time_span`, which add the year when needed.
TEMPLATE_DATE = re.compile(r"""\|date:["']([^"']*)["']""")
PYTHON_DATE = re.compile(r"""date_format\([^)]*?["']([^"']*)["']""")


def _hides_the_year(date_format: str) -> bool:
    if date_format == "D":  # the weekday alone, beside a `day`
        return False
    return bool(re.search(r"[jdEFNMb]", date_format)) and not re.search(r"[Yy]", date_format)


def test_the_sweep_knows_a_day_without_its_year():
    assert _hides_the_year("j E, H:i")
    assert _hides_the_year("d.m")
    assert _hides_the_year("D, j E")
    assert not _hides_the_year("d.m.Y H:i")
    assert not _hides_the_year("H:i")
    assert not _hides_the_year("D")
    assert not _hides_the_year("Y-m-d")


def test_no_template_or_email_shows_a_day_without_the_rule():
    roots = [Path(settings.BASE_DIR) / "templates", Path(settings.BASE_DIR) / "dobry"]
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(1)}"
        for root in roots
        for path in root.rglob("*")
        if path.suffix in (".html", ".txt")
        for match in TEMPLATE_DATE.finditer(path.read_text(encoding="utf-8"))
        if _hides_the_year(match.group(1))
    ]
    assert found == []


def test_no_python_code_formats_a_day_without_the_rule():
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(1)}"
        for path in (Path(settings.BASE_DIR) / "dobry").rglob("*.py")
        if "tests" not in path.parts and path.name != "dates.py"
        for match in PYTHON_DATE.finditer(path.read_text(encoding="utf-8"))
        if _hides_the_year(match.group(1))
    ]
    assert found == []
