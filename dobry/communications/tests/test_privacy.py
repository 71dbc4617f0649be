"""What the notify hub keeps about a person: in their export; gone on erasure — their own
notifications, preferences and emails, at every address they confirmed; and their values
replaced in the copies kept for others."""

import pytest
from allauth.account.models import EmailAddress

from dobry.accounts import personal_data
from dobry.communications.models import Notification, NotificationPreference, OutboundEmail
from dobry.core.erasure import REDACTED, Traces

pytestmark = pytest.mark.django_db

VERIFIED = "organization_verified"


def email(key: str, to: str, user=None, **fields) -> OutboundEmail:
    return OutboundEmail.objects.create(
        key=key, to=to, user=user, subject=fields.pop("subject", "Тема"), body_text="b", **fields
    )


def test_the_export_holds_notifications_preferences_and_emails(resident, outsider):
    Notification.objects.create(user=resident, kind=VERIFIED, title="Проверена")
    Notification.objects.create(user=outsider, kind=VERIFIED, title="Чужое")
    NotificationPreference.objects.create(user=resident, kind=VERIFIED, email=False)
    email("mine", resident.email, resident, subject="Письмо мне")
    email("to-my-address", resident.email.upper(), subject="Письмо на мой адрес")
    email("theirs", outsider.email, outsider, subject="Чужое письмо")
    section = personal_data.export_sections(resident)["communications"]
    assert [(n["kind"], n["title"], n["read_at"]) for n in section["notifications"]] == [
        (VERIFIED, "Проверена", None)
    ]
    assert section["email_preferences"] == {VERIFIED: False}
    assert sorted(e["subject"] for e in section["emails_sent"]) == [
        "Письмо мне",
        "Письмо на мой адрес",
    ]
    assert {e["state"] for e in section["emails_sent"]} == {OutboundEmail.State.QUEUED}


def test_erasure_removes_ones_own_and_leaves_others(resident, outsider):
    EmailAddress.objects.create(user=resident, email="old-address@example.org", verified=True)
    Notification.objects.create(user=resident, kind=VERIFIED, title="Моё")
    NotificationPreference.objects.create(user=resident, kind=VERIFIED, email=False)
    email("mine", resident.email, resident)
    email("before-signup", resident.email.upper())
    email("old-address", "Old-Address@example.org")
    Notification.objects.create(user=outsider, kind=VERIFIED, title="Чужое")
    NotificationPreference.objects.create(user=outsider, kind=VERIFIED, email=False)
    email("theirs", outsider.email, outsider)
    personal_data._erasers["communications"](resident)
    assert list(Notification.objects.values_list("title", flat=True)) == ["Чужое"]
    assert list(NotificationPreference.objects.values_list("user", flat=True)) == [outsider.pk]
    assert list(OutboundEmail.objects.values_list("key", flat=True)) == ["theirs"]


def test_copies_kept_for_others_lose_the_persons_values(coordinator):
    traces = Traces.of(["Анна Жителева", "+79130001122"])
    told = Notification.objects.create(
        user=coordinator,
        kind=VERIFIED,
        title="Анна Жителева спросила",
        body="Позвоните: +79130001122",
    )
    sent = email(
        "told",
        coordinator.email,
        coordinator,
        subject="Анна Жителева спросила",
        body_html="<p>Анна Жителева</p>",
        attachments=[{"name": "Анна Жителева.txt", "content_type": "text/plain", "base64": ""}],
        last_error="refused for Анна Жителева",
    )
    unrelated = Notification.objects.create(user=coordinator, kind=VERIFIED, title="Мария спросила")
    personal_data._copy_scrubbers["communications"](traces)
    told.refresh_from_db()
    sent.refresh_from_db()
    unrelated.refresh_from_db()
    assert (told.title, told.body) == (f"{REDACTED} спросила", f"Позвоните: {REDACTED}")
    assert sent.subject == f"{REDACTED} спросила"
    assert sent.body_html == f"<p>{REDACTED}</p>"
    assert sent.attachments[0]["name"] == f"{REDACTED}.txt"
    assert sent.last_error == f"refused for {REDACTED}"
    assert unrelated.title == "Мария спросила"
