from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from dobry.events.models import Registration
from dobry.events.tasks import expire_waitlist_offers, send_shift_reminders
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory

pytestmark = pytest.mark.django_db


def test_reminders_go_once_to_confirmed_volunteers_of_tomorrows_shifts():
    tomorrow = ShiftFactory(starts_at=timezone.now() + timedelta(hours=20))
    later = ShiftFactory(starts_at=timezone.now() + timedelta(days=3))
    confirmed = RegistrationFactory(shift=tomorrow)
    RegistrationFactory(shift=tomorrow, status=Registration.Status.WAITLISTED)
    RegistrationFactory(shift=later)
    assert send_shift_reminders.call() == 1
    assert send_shift_reminders.call() == 0
    assert [m.to for m in mail.outbox] == [[confirmed.user.email]]
    assert confirmed.code in mail.outbox[0].body


def test_expired_offers_move_on():
    shift = ShiftFactory(capacity=1)
    offered = RegistrationFactory(
        shift=shift,
        status=Registration.Status.OFFERED,
        offer_expires_at=timezone.now() - timedelta(hours=1),
    )
    waiting = RegistrationFactory(shift=shift, status=Registration.Status.WAITLISTED)
    assert expire_waitlist_offers.call() == 1
    offered.refresh_from_db()
    waiting.refresh_from_db()
    assert offered.status == Registration.Status.OFFER_EXPIRED
    assert waiting.status == Registration.Status.OFFERED


def test_confirmation_and_reminder_emails_carry_the_qr_code():
    from dobry.events.services.registrations import registration_create
    from dobry.events.tests.factories import volunteer

    shift = ShiftFactory(starts_at=timezone.now() + timedelta(hours=20))
    registration_create(user=volunteer(), shift=shift)
    send_shift_reminders.call()
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        [(_name, content, content_type)] = message.attachments
        assert content_type == "image/png"
        assert content.startswith(b"\x89PNG")
