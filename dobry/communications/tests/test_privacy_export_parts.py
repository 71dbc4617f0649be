"""The communications part of a person's export, part by part (`communications.privacy`):
the keys in their order, the Telegram chat and the bot's messages, the lists the address is
on, read times, and nobody else's rows; and the accounts part names the profile, consents,
tokens and second factors without their secrets."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.accounts import personal_data
from dobry.accounts.models import ApiToken
from dobry.communications.models import (
    Notification,
    NotificationPreference,
    OutboundTelegram,
    Suppression,
    TelegramLink,
    Unsubscription,
)

pytestmark = pytest.mark.django_db
KIND = "news_published"


def section(user, name: str = "communications") -> dict:
    return personal_data.export_sections(user)[name]


def test_the_keys_come_in_one_order():
    from dobry.accounts.tests.factories import UserFactory

    assert list(section(UserFactory())) == [
        "notifications",
        "email_preferences",
        "telegram_preferences",
        "telegram",
        "telegram_messages",
        "unsubscribed_from",
        "suppressed",
        "emails_sent",
        "mailings_received",
        "mailing_contact",
        "news_written",
    ]


def test_the_chat_and_the_bots_messages_are_the_persons_own(resident, outsider):
    TelegramLink.objects.create(user=resident, chat_id=501)
    TelegramLink.objects.create(user=outsider, chat_id=502)
    OutboundTelegram.objects.create(key="a", user=resident, chat_id=501, text="Вам письмо")
    OutboundTelegram.objects.create(key="b", user=outsider, chat_id=502, text="Чужое")
    NotificationPreference.objects.create(user=resident, kind=KIND, email=False, telegram=True)
    part = section(resident)
    assert [link["chat_id"] for link in part["telegram"]] == [501]
    assert [(m["text"], m["state"]) for m in part["telegram_messages"]] == [
        ("Вам письмо", "queued")
    ]
    assert part["telegram_preferences"] == {KIND: True}
    assert part["email_preferences"] == {KIND: False}


def test_the_lists_the_address_is_on_are_read_whatever_its_case(resident):
    Unsubscription.objects.create(email=resident.email.lower(), kind="mailing")
    Suppression.objects.create(email=resident.email.lower(), reason="complaint")
    Suppression.objects.create(email="someone@example.org", reason="hard_bounce")
    part = section(resident)
    assert part["unsubscribed_from"] == ["mailing"]
    assert part["suppressed"] == ["complaint"]


def test_a_read_notification_says_when(resident):
    moment = timezone.now()
    Notification.objects.create(user=resident, kind=KIND, title="Прочитано", read_at=moment)
    [exported] = section(resident)["notifications"]
    assert exported["read_at"] == moment.isoformat()


def test_the_accounts_part_has_the_profile_and_tokens_without_secrets(resident):
    token = ApiToken.objects.create(
        user=resident,
        name="Интеграция",
        token_hash="x" * 64,
        hint="dbr_abc",
        expires_at=timezone.now() + timedelta(days=30),
    )
    part = section(resident, "account")
    assert part["profile"]["email"] == resident.email
    assert part["profile"]["last_login"] is None
    [exported] = part["api_tokens"]
    assert exported == {
        "name": "Интеграция",
        "created_at": token.created_at.isoformat(),
        "revoked_at": None,
    }
    assert "x" * 64 not in str(part)


def test_the_accounts_part_lists_each_consent_with_its_document(resident):
    from dobry.accounts.models import ConsentDocument, ConsentRecord

    document = ConsentDocument.current(ConsentDocument.Kind.NEWSLETTER)
    record = ConsentRecord.objects.create(user=resident, document=document, ip_address="10.0.0.1")
    exported = [c for c in section(resident, "account")["consents"] if c["kind"] == document.kind]
    assert exported == [
        {
            "kind": document.kind,
            "version": document.version,
            "title": document.shown_title,
            "accepted_at": record.accepted_at.isoformat(),
            "ip_address": "10.0.0.1",
            "withdrawn_at": None,
            "method": record.method,
        }
    ]


def test_a_withdrawn_consent_says_when(resident):
    from dobry.accounts.models import ConsentDocument, ConsentRecord

    document = ConsentDocument.current(ConsentDocument.Kind.NEWSLETTER)
    moment = timezone.now()
    ConsentRecord.objects.create(user=resident, document=document, withdrawn_at=moment)
    [exported] = [c for c in section(resident, "account")["consents"] if c["kind"] == document.kind]
    assert exported["withdrawn_at"] == moment.isoformat()


def test_a_second_factor_is_named_by_its_kind_and_dates_only(resident):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=resident, type="totp", data={"secret": "SEKRET"})
    part = section(resident, "account")
    [factor] = part["two_factor"]
    assert (factor["type"], factor["last_used_at"]) == ("totp", None)
    assert "SEKRET" not in str(part)


def test_a_revoked_token_says_when_and_the_admins_log_is_empty_for_a_resident(resident):
    moment = timezone.now()
    ApiToken.objects.create(
        user=resident,
        name="Старый",
        token_hash="y" * 64,
        hint="dbr_old",
        expires_at=moment + timedelta(days=1),
        revoked_at=moment,
    )
    part = section(resident, "account")
    assert [t["revoked_at"] for t in part["api_tokens"]] == [moment.isoformat()]
    assert part["admin_actions"] == []
    assert part["email_addresses"] == [
        a for a in part["email_addresses"] if a["email"] == resident.email
    ]
