from unittest import mock

import pytest
from django.core import mail

from dobry.communications.models import Notification, NotificationPreference, OutboundEmail
from dobry.communications.services import email_queue, notify
from dobry.communications.tasks import deliver_email, retry_failed_emails
from dobry.organizations.tests.factories import OrganizationFactory


@pytest.fixture
def organization(db):
    return OrganizationFactory(short_name="Тёплый дом")


def test_notify_stores_an_in_app_notification_and_emails_by_default(resident, organization):
    [notification] = notify(
        "organization_verified", [resident], {"organization": organization}, url="/x/"
    )
    assert notification.title == "Организация «Тёплый дом» проверена"
    assert notification.read_at is None
    email = OutboundEmail.objects.get(key=f"notification:{notification.pk}")
    assert email.state == OutboundEmail.State.SENT
    assert mail.outbox[0].subject == notification.title
    assert "http://127.0.0.1:8000/x/" in mail.outbox[0].body


def test_a_user_who_turned_email_off_gets_only_the_in_app_notification(resident, organization):
    NotificationPreference.objects.create(user=resident, kind="organization_verified", email=False)
    notify("organization_verified", [resident], {"organization": organization})
    assert Notification.objects.filter(user=resident).count() == 1
    assert mail.outbox == []


def test_the_email_is_rendered_in_the_recipients_language(resident, organization):
    resident.language = "en"
    resident.save()
    notify("organization_verified", [resident], {"organization": organization})
    assert mail.outbox[0].subject == "Organisation “Тёплый дом” has been verified"


def test_inactive_and_duplicate_recipients_are_skipped(resident, outsider, organization):
    outsider.is_active = False
    outsider.save()
    created = notify(
        "organization_verified", [resident, resident, outsider], {"organization": organization}
    )
    assert [n.user for n in created] == [resident]


def test_unknown_kind_is_a_programming_error(resident):
    with pytest.raises(LookupError):
        notify("no_such_kind", [resident], {})


def test_the_same_key_never_sends_twice(db):
    email_queue(key="k1", to="a@example.org", subject="Тема", body_text="Текст")
    email_queue(key="k1", to="a@example.org", subject="Тема", body_text="Текст")
    assert OutboundEmail.objects.count() == 1
    assert len(mail.outbox) == 1
    deliver_email.call(OutboundEmail.objects.get().pk)
    assert len(mail.outbox) == 1


def test_a_failed_send_is_recorded_and_retried_later(db):
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("down")):
        email = email_queue(key="k2", to="a@example.org", subject="Тема", body_text="Текст")
    email.refresh_from_db()
    assert email.state == OutboundEmail.State.FAILED
    assert "down" in email.last_error
    assert retry_failed_emails.call() == 1
    email.refresh_from_db()
    assert email.state == OutboundEmail.State.SENT
    assert email.attempts == 2


def test_email_to_an_erased_user_is_suppressed(resident):
    email = email_queue(key="k3", to=resident.email, subject="s", body_text="b", user=None)
    email.refresh_from_db()
    assert email.state == OutboundEmail.State.SENT
    resident.is_active = False
    resident.save()
    suppressed = OutboundEmail.objects.create(
        key="k4", to=resident.email, subject="s", body_text="b", user=resident
    )
    assert deliver_email.call(suppressed.pk) == OutboundEmail.State.SUPPRESSED
