"""The weekly digest (`events.tasks.send_weekly_digests`, sent through the notify hub):
what it says, to whom, and once per week of the city's calendar (Monday to Sunday,
Krasnoyarsk time, whatever day UTC shows)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail

from dobry.communications.models import Notification, NotificationPreference
from dobry.core.clock import city_zone
from dobry.events.tasks import send_weekly_digests
from dobry.events.tests.factories import ShiftFactory, volunteer
from dobry.volunteering.models import VolunteerProfile

pytestmark = pytest.mark.django_db

DIGEST = "weekly_digest"


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=city_zone()).astimezone(UTC)


MONDAY_EARLY = local(2027, 3, 1, 0, 30)  # still Sunday 28 February in UTC


def subscriber(interests=("ecology",), **fields):
    user = volunteer(**fields)
    VolunteerProfile.objects.filter(user=user).update(weekly_digest=True, interests=list(interests))
    return user


def ecology_shift(title: str, starts_at: datetime, **fields):
    shift = ShiftFactory(event__title=title, starts_at=starts_at, **fields)
    shift.event.area_links.create(area="ecology")
    return shift


def test_the_digest_lists_the_five_best_shifts_with_reasons_and_links(freeze_now, settings):
    settings.DOBRY_SITE_URL = "https://dobry.example.org"
    freeze_now(MONDAY_EARLY)
    person = subscriber()
    soon = [
        ecology_shift(f"Субботник {n}", MONDAY_EARLY + timedelta(days=1, hours=n)) for n in range(6)
    ]
    ecology_shift("Дальний субботник", MONDAY_EARLY + timedelta(days=20))
    ShiftFactory(event__title="Не по интересам", starts_at=MONDAY_EARLY + timedelta(days=2))
    assert send_weekly_digests.call() == 1
    [notification] = Notification.objects.filter(user=person, kind=DIGEST)
    assert notification.title == "Добрые дела на этой неделе, которые вам подходят"
    assert notification.url == "/events/for-me/"
    listed = [line for line in notification.body.splitlines() if line.startswith("— ")]
    assert [line.split(" (")[0] for line in listed] == [f"— Субботник {n}" for n in range(5)]
    assert "совпадает с вашими интересами: Экология; уже на этой неделе" in listed[0]
    assert f"https://dobry.example.org{soon[0].event.get_absolute_url()}" in notification.body
    assert "Не по интересам" not in notification.body
    assert "Дальний субботник" not in notification.body
    [message] = mail.outbox
    assert message.subject == notification.title
    text, footer = message.body.split("\n\n-- \n")  # the digest is not transactional
    assert text.endswith("https://dobry.example.org/events/for-me/")
    assert "https://dobry.example.org/u/" in footer


def test_nothing_suitable_sends_nothing_but_counts_as_this_weeks(freeze_now):
    freeze_now(MONDAY_EARLY)
    person = subscriber()
    assert send_weekly_digests.call() == 0
    assert not Notification.objects.filter(user=person).exists()
    assert VolunteerProfile.objects.get(user=person).last_digest_on == date(2027, 3, 1)
    # a shift published later that week waits for next week's digest
    ecology_shift("Субботник", MONDAY_EARLY + timedelta(days=2))
    assert send_weekly_digests.call() == 0


@pytest.mark.parametrize(
    ("who", "told"),
    [("subscriber", True), ("not_subscribed", False), ("deactivated", False)],
)
def test_only_active_volunteers_who_asked_get_it(freeze_now, who, told):
    freeze_now(MONDAY_EARLY)
    ecology_shift("Субботник", MONDAY_EARLY + timedelta(days=2))
    person = subscriber()
    if who == "not_subscribed":
        VolunteerProfile.objects.filter(user=person).update(weekly_digest=False)
    if who == "deactivated":
        person.is_active = False
        person.save()
    assert send_weekly_digests.call() == int(told)
    assert Notification.objects.filter(user=person, kind=DIGEST).exists() is told


def test_with_email_turned_off_the_digest_stays_in_the_app(freeze_now):
    freeze_now(MONDAY_EARLY)
    ecology_shift("Субботник", MONDAY_EARLY + timedelta(days=2))
    person = subscriber()
    NotificationPreference.objects.create(user=person, kind=DIGEST, email=False)
    assert send_weekly_digests.call() == 1
    assert Notification.objects.filter(user=person, kind=DIGEST).count() == 1
    assert mail.outbox == []


def test_one_digest_a_local_week_from_monday_midnight_to_sunday_midnight(freeze_now):
    freeze_now(MONDAY_EARLY)
    person = subscriber()
    for week in range(3):
        ecology_shift(f"Субботник {week}", MONDAY_EARLY + timedelta(days=7 * week + 2))
    assert send_weekly_digests.call() == 1
    freeze_now(local(2027, 3, 3, 12))  # Wednesday
    assert send_weekly_digests.call() == 0
    freeze_now(local(2027, 3, 7, 23, 59))  # Sunday night, the same week
    assert send_weekly_digests.call() == 0
    freeze_now(local(2027, 3, 8, 0, 1))  # Monday just after midnight (Sunday in UTC)
    assert send_weekly_digests.call() == 1
    assert Notification.objects.filter(user=person, kind=DIGEST).count() == 2
    assert VolunteerProfile.objects.get(user=person).last_digest_on == date(2027, 3, 8)
