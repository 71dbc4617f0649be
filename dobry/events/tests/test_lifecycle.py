from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from dobry.communications.models import Notification
from dobry.communications.rendering import notifications_render
from dobry.core.errors import DomainError, InvalidTransition
from dobry.events.models import Event, Registration
from dobry.events.services import events as service
from dobry.events.services.registrations import registration_create
from dobry.events.tests.factories import EventFactory, ShiftFactory, volunteer
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.volunteering.models import Qualification

pytestmark = pytest.mark.django_db


def shift_fields(**overrides):
    start = timezone.now() + timedelta(days=7)
    return {
        "title": "Раздача",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "capacity": 5,
        **overrides,
    }


def test_draft_gets_shifts_then_is_published(coordinator):
    event = service.event_create(
        actor=coordinator,
        organization=OrganizationFactory(),
        fields={"kind": "volunteer_action", "title": "Белая трость", "address": "пр. Курчатова, 1"},
        areas=["disability"],
    )
    assert event.status == Event.Status.DRAFT
    with pytest.raises(DomainError, match="смену"):
        service.event_publish(actor=coordinator, event=event)
    shift = service.shift_create(actor=coordinator, event=event, fields=shift_fields())
    event.refresh_from_db()
    assert (event.starts_at, event.ends_at) == (shift.starts_at, shift.ends_at)
    service.event_publish(actor=coordinator, event=event)
    assert event.status == Event.Status.PUBLISHED
    with pytest.raises(InvalidTransition):
        service.event_publish(actor=coordinator, event=event)


def test_a_shift_must_end_after_it_starts(coordinator):
    event = EventFactory()
    start = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        service.shift_create(
            actor=coordinator, event=event, fields=shift_fields(starts_at=start, ends_at=start)
        )
    assert "ends_at" in error.value.message_dict


def test_cancelling_releases_everyone_and_tells_them(coordinator):
    shift = ShiftFactory(capacity=1)
    holder, waiting = volunteer(), volunteer()
    registration_create(user=holder, shift=shift)
    registration_create(user=waiting, shift=shift)
    with pytest.raises(DomainError):
        service.event_cancel(actor=coordinator, event=shift.event, reason="")
    service.event_cancel(actor=coordinator, event=shift.event, reason="Штормовое предупреждение")
    assert set(Registration.objects.values_list("status", flat=True)) == {
        Registration.Status.CANCELLED
    }
    assert Notification.objects.filter(kind="event_cancelled").count() == 2


def test_material_changes_are_announced_to_registered_people(coordinator):
    shift = ShiftFactory()
    person = volunteer()
    registration_create(user=person, shift=shift)
    service.event_update(actor=coordinator, event=shift.event, fields={"summary": "Новое описание"})
    assert not Notification.objects.filter(kind="event_changed").exists()
    service.event_update(actor=coordinator, event=shift.event, fields={"address": "Другой адрес"})
    changed = Notification.objects.get(kind="event_changed", user=person)
    assert "адрес" in changed.body
    service.shift_update(
        actor=coordinator, shift=shift, fields={"starts_at": shift.starts_at + timedelta(hours=1)}
    )
    assert Notification.objects.filter(kind="event_changed", user=person).count() == 2


def test_a_change_reads_in_the_language_of_whoever_reads_it(coordinator):
    """The organiser changed the address and the start on a Russian page; the notification
    keeps the fields' names as source text, so a reader of the English site reads them in
    English (and a Russian reader in Russian), not frozen in the organiser's language."""
    shift = ShiftFactory()
    person = volunteer()
    registration_create(user=person, shift=shift)
    with translation.override("ru"):
        service.event_update(actor=coordinator, event=shift.event, fields={"address": "Другой"})
        service.shift_update(
            actor=coordinator,
            shift=shift,
            fields={"starts_at": shift.starts_at + timedelta(hours=1)},
        )
    address, start = Notification.objects.filter(kind="event_changed").order_by("pk")
    assert address.params["changes"] == [{"$gettext": "адрес"}]
    assert start.params["changes"] == [{"$gettext": "начало"}]
    with translation.override("en"):
        english = notifications_render([address, start])
        assert "What changed: address." in english[0].body
        assert "What changed: start." in english[1].body
    with translation.override("ru"):
        assert "Что изменилось: адрес." in notifications_render([address])[0].body


def test_a_shift_with_people_is_not_deleted(coordinator):
    shift = ShiftFactory()
    registration_create(user=volunteer(), shift=shift)
    with pytest.raises(DomainError):
        service.shift_delete(actor=coordinator, shift=shift)


@pytest.mark.parametrize(
    ("frequency", "days"), [("weekly", [7, 14, 21]), ("biweekly", [14, 28, 42])]
)
def test_repeating_copies_the_event_with_its_shifts(coordinator, frequency, days):
    shift = ShiftFactory()
    shift.event.area_links.create(area="elderly")
    copies = service.event_repeat(
        actor=coordinator, event=shift.event, frequency=frequency, count=3
    )
    assert [c.status for c in copies] == [Event.Status.DRAFT] * 3
    starts = [c.shifts.get().starts_at - shift.starts_at for c in copies]
    assert starts == [timedelta(days=d) for d in days]
    assert all(c.series_id == shift.event.series_id for c in copies)
    assert list(copies[0].area_links.values_list("area", flat=True)) == ["elderly"]


def test_monthly_repeat_keeps_the_day_or_the_month_end(coordinator):
    start = timezone.now().replace(year=2030, month=1, day=31, hour=10, minute=0)
    shift = ShiftFactory(starts_at=start, ends_at=start + timedelta(hours=2))
    copies = service.event_repeat(
        actor=coordinator, event=shift.event, frequency="monthly", count=2
    )
    assert [c.shifts.get().starts_at.date().isoformat() for c in copies] == [
        "2030-02-28",
        "2030-03-31",
    ]


def test_repeated_shifts_keep_their_titles_places_and_qualifications(coordinator):
    medical = Qualification.objects.create(slug="first-aid", name="Первая помощь")
    shift = ShiftFactory(title="Медпункт", capacity=2)
    shift.qualifications.add(medical)
    later = ShiftFactory(event=shift.event, starts_at=shift.starts_at + timedelta(hours=3))
    [copy] = service.event_repeat(actor=coordinator, event=shift.event, frequency="weekly", count=1)
    copied = list(copy.shifts.order_by("starts_at"))
    assert [(s.title, s.capacity) for s in copied] == [
        ("Медпункт", 2),
        (later.title, later.capacity),
    ]
    assert list(copied[0].qualifications.all()) == [medical]
    assert not copied[1].qualifications.exists()
    assert copied[1].starts_at - copied[0].starts_at == timedelta(hours=3)
    assert copy.starts_at == shift.starts_at + timedelta(weeks=1)  # the event's dates follow


def test_an_event_without_shifts_is_not_repeated(coordinator):
    event = EventFactory()
    with pytest.raises(DomainError, match="Сначала добавьте смены"):
        service.event_repeat(actor=coordinator, event=event, frequency="weekly", count=2)
    assert Event.objects.count() == 1


def test_repeat_input_is_checked(coordinator):
    shift = ShiftFactory()
    with pytest.raises(DomainError):
        service.event_repeat(actor=coordinator, event=shift.event, frequency="daily", count=3)
    with pytest.raises(DomainError):
        service.event_repeat(actor=coordinator, event=shift.event, frequency="weekly", count=100)
