"""The notify hub's rules: which kinds exist, who is told, in which language, and when an
email follows the in-app notification; marking read; the consent code email."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.communications import kinds
from dobry.communications.models import Notification, NotificationPreference, OutboundEmail
from dobry.communications.services import (
    Attachment,
    consent_code_email,
    consent_code_redact,
    email_kind_to_address,
    notification_mark_read,
    notification_preferences_set,
    notifications_mark_all_read,
    notify,
    render_kind,
    wants_email,
)
from dobry.core.errors import DomainError
from dobry.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

VERIFIED = "organization_verified"


@pytest.fixture
def organization():
    return OrganizationFactory(short_name="Тёплый дом")


@pytest.fixture
def quiet_kind(monkeypatch):
    """`organization_verified` as a kind whose emails are off unless the person asks."""
    kind = kinds.NotificationKind(VERIFIED, "Организация проверена", email_by_default=False)
    monkeypatch.setitem(kinds.KINDS, VERIFIED, kind)
    return kind


def test_a_kind_names_its_two_templates():
    kind = kinds.get_kind(VERIFIED)
    assert kind.subject_template == "notifications/organization_verified/subject.txt"
    assert kind.body_template == "notifications/organization_verified/body.txt"
    assert kind.email_by_default is True


def test_an_unknown_kind_is_named_in_the_error():
    with pytest.raises(LookupError, match="'no_such_kind'"):
        kinds.get_kind("no_such_kind")


def test_every_registered_kind_has_both_templates():
    """A kind registered without its templates would fail only when first sent."""
    from django.template.loader import get_template

    assert len(kinds.KINDS) > 20
    for kind in kinds.KINDS.values():
        get_template(kind.subject_template)
        get_template(kind.body_template)


def test_render_kind_gives_one_subject_line_and_the_body_with_the_site_address(
    organization, settings
):
    settings.DOBRY_SITE_URL = "https://dobry.example.org"
    subject, body = render_kind(VERIFIED, {"organization": organization})
    assert subject == "Организация «Тёплый дом» проверена"
    assert body.startswith("Координатор ресурсного центра проверил сведения")
    assert body == body.strip()


def test_the_email_ends_with_the_absolute_link_then_the_unsubscribe_footer(
    resident, organization, settings
):
    settings.DOBRY_SITE_URL = "https://dobry.example.org"
    [notification] = notify(VERIFIED, [resident], {"organization": organization}, url="/org/5/")
    assert notification.url == "/org/5/"
    [message] = mail.outbox
    text, footer = message.body.split("\n\n-- \n")
    assert text == f"{notification.body}\n\nhttps://dobry.example.org/org/5/"
    assert footer.startswith("Отписаться от писем: https://dobry.example.org/u/")
    assert message.to == [resident.email]


def test_without_a_url_the_email_carries_no_link(resident, organization):
    [notification] = notify(VERIFIED, [resident], {"organization": organization})
    assert notification.url == ""
    assert mail.outbox[0].body.split("\n\n-- \n")[0] == notification.body


def test_each_recipient_gets_their_own_notification_and_email(resident, outsider, organization):
    created = notify(VERIFIED, [resident, outsider], {"organization": organization})
    assert {n.user for n in created} == {resident, outsider}
    emails = OutboundEmail.objects.filter(key__in=[f"notification:{n.pk}" for n in created])
    assert sorted(emails.values_list("to", flat=True)) == sorted([resident.email, outsider.email])
    assert all(e.user_id is not None for e in emails)


def test_an_erased_person_is_not_told(resident, outsider, organization):
    outsider.erased_at = timezone.now()
    outsider.save()
    created = notify(VERIFIED, [outsider, resident], {"organization": organization})
    assert [n.user for n in created] == [resident]
    assert not Notification.objects.filter(user=outsider).exists()
    assert [m.to for m in mail.outbox] == [[resident.email]]


def test_nobody_to_tell_is_not_an_error(organization):
    assert notify(VERIFIED, [], {"organization": organization}) == []
    assert mail.outbox == []


def test_the_attachments_go_with_every_recipients_email(resident, outsider, organization):
    code = Attachment(name="code.png", content_type="image/png", content=b"png")
    notify(VERIFIED, [resident, outsider], {"organization": organization}, attachments=[code])
    assert [m.attachments for m in mail.outbox] == [[("code.png", b"png", "image/png")]] * 2


def test_a_kind_off_by_default_sends_email_only_to_those_who_turned_it_on(
    quiet_kind, resident, outsider, organization
):
    NotificationPreference.objects.create(user=outsider, kind=VERIFIED, email=True)
    assert wants_email(resident, VERIFIED) is False
    assert wants_email(outsider, VERIFIED) is True
    notify(VERIFIED, [resident, outsider], {"organization": organization})
    assert Notification.objects.filter(kind=VERIFIED).count() == 2
    assert [m.to for m in mail.outbox] == [[outsider.email]]


def test_a_preference_for_one_kind_leaves_the_others_at_their_default(resident):
    NotificationPreference.objects.create(user=resident, kind=VERIFIED, email=False)
    assert wants_email(resident, VERIFIED) is False
    assert wants_email(resident, "organization_returned") is True


def test_preferences_are_saved_and_changed_in_place(resident):
    notification_preferences_set(
        user=resident, email_by_kind={VERIFIED: False, "organization_returned": True}
    )
    notification_preferences_set(user=resident, email_by_kind={VERIFIED: True})
    saved = dict(NotificationPreference.objects.filter(user=resident).values_list("kind", "email"))
    assert saved == {VERIFIED: True, "organization_returned": True}


def test_a_preference_for_an_unknown_kind_saves_nothing(resident):
    with pytest.raises(DomainError) as error:
        notification_preferences_set(
            user=resident, email_by_kind={VERIFIED: False, "no_such_kind": True}
        )
    assert error.value.field_errors == {"email.no_such_kind": ["Выберите из списка."]}
    assert not NotificationPreference.objects.filter(user=resident).exists()


def test_marking_read_keeps_the_first_reading_time(resident, freeze_now):
    first = timezone.now() - timedelta(days=1)
    notification = Notification.objects.create(user=resident, kind=VERIFIED, title="T")
    freeze_now(first)
    notification_mark_read(user=resident, notification=notification)
    freeze_now(first + timedelta(hours=5))
    notification_mark_read(user=resident, notification=notification)
    notification.refresh_from_db()
    assert notification.read_at == first


def test_nobody_marks_someone_elses_notification_read(resident, outsider):
    notification = Notification.objects.create(user=resident, kind=VERIFIED, title="T")
    notification_mark_read(user=outsider, notification=notification)
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_all_read_touches_only_ones_own_unread(resident, outsider, freeze_now):
    earlier = timezone.now() - timedelta(days=2)
    already = Notification.objects.create(user=resident, kind=VERIFIED, title="1", read_at=earlier)
    Notification.objects.create(user=resident, kind=VERIFIED, title="2")
    Notification.objects.create(user=resident, kind=VERIFIED, title="3")
    other = Notification.objects.create(user=outsider, kind=VERIFIED, title="4")
    assert notifications_mark_all_read(user=resident) == 2
    assert Notification.objects.filter(user=resident).unread().count() == 0
    already.refresh_from_db()
    other.refresh_from_db()
    assert already.read_at == earlier
    assert other.read_at is None


def test_an_address_without_an_account_gets_the_kind_by_email_once(organization, settings):
    settings.DOBRY_SITE_URL = "https://dobry.example.org"
    for _attempt in range(2):
        email_kind_to_address(
            key="invitation:1",
            to="new@example.org",
            kind=VERIFIED,
            context={"organization": organization},
            url="/invite/abc/",
        )
    [message] = mail.outbox
    assert message.to == ["new@example.org"]
    assert message.subject == "Организация «Тёплый дом» проверена"
    assert message.body.split("\n\n-- \n")[0].endswith("\n\nhttps://dobry.example.org/invite/abc/")
    assert OutboundEmail.objects.get(key="invitation:1").user is None
    assert not Notification.objects.exists()


def code_sent(minutes: int = 15) -> SimpleNamespace:
    created = timezone.now()
    return SimpleNamespace(
        pk=41,
        document=SimpleNamespace(
            title="Согласие на здоровье", shown_title="Согласие на здоровье", version=3
        ),
        created_at=created,
        expires_at=created + timedelta(minutes=minutes),
    )


@pytest.mark.parametrize(
    ("language", "subject", "opening"),
    [
        (
            "ru",
            "Код для подписи согласия",
            "Ваш код для подписи документа «Согласие на здоровье» (версия 3): 123456",
        ),
        (
            "en",
            "Code to sign the consent",
            "Your code to sign “Согласие на здоровье” (version 3): 123456",
        ),
    ],
)
def test_the_consent_code_is_emailed_in_the_persons_language(language, subject, opening):
    person = UserFactory(language=language)
    consent_code_email(user=person, code="123456", consent_code=code_sent(minutes=15))
    [message] = mail.outbox
    assert message.subject == subject  # never the code: subjects show on locked screens
    assert "123456" not in message.subject
    assert message.body.startswith(opening)
    assert " 15 " in message.body  # the minutes the code lives
    assert OutboundEmail.objects.get(key="consent-code:41").user == person


def test_a_used_code_leaves_no_copy_in_the_outbox(resident):
    consent_code_email(user=resident, code="654321", consent_code=code_sent())
    consent_code_redact(consent_code=code_sent())
    stored = OutboundEmail.objects.get(key="consent-code:41")
    assert "654321" not in stored.subject + stored.body_text
    assert (stored.subject, stored.body_text) == ("Код для подписи согласия", "Код использован.")
