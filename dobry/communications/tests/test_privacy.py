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
    assert list(Notification.objects.values_list("stored_title", flat=True)) == ["Чужое"]
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


def test_mailings_received_and_the_contact_record_are_in_the_export(resident, outsider):
    from dobry.communications.models import Delivery, MailingContact
    from dobry.communications.tests.mailing_factories import mailing

    m = mailing(subject="Новости недели")
    Delivery.objects.create(mailing=m, email=resident.email.lower(), user=resident, state="sent")
    Delivery.objects.create(mailing=m, email=outsider.email.lower(), user=outsider)
    MailingContact.objects.create(email=resident.email.lower(), name="Анна", source="фестиваль")
    section = personal_data.export_sections(resident)["communications"]
    assert [(d["subject"], d["state"]) for d in section["mailings_received"]] == [
        ("Новости недели", "sent")
    ]
    assert [c["source"] for c in section["mailing_contact"]] == ["фестиваль"]


def test_erasure_keeps_a_mailings_counts_without_the_address(resident, outsider):
    from dobry.communications.mailings import selectors
    from dobry.communications.models import Delivery, MailingContact
    from dobry.communications.tests.mailing_factories import mailing
    from dobry.communications.unsubscribe import erased_key

    EmailAddress.objects.create(user=resident, email="second@example.org", verified=True)
    m = mailing()
    address = resident.email.lower()
    Delivery.objects.create(
        mailing=m, email=address, user=resident, state="failed", last_error=f"550 {address}"
    )
    Delivery.objects.create(mailing=mailing(), email="second@example.org", state="sent")
    theirs = Delivery.objects.create(mailing=m, email=outsider.email.lower(), state="sent")
    MailingContact.objects.create(email="second@example.org")
    personal_data.erase_sections(resident)
    mine = Delivery.objects.get(mailing=m, email=erased_key(address))
    assert (mine.user, mine.last_error, mine.state) == (None, "", "failed")
    assert Delivery.objects.filter(email=erased_key("second@example.org")).exists()
    assert not Delivery.objects.filter(email__in=[address, "second@example.org"]).exists()
    assert not MailingContact.objects.exists()
    theirs.refresh_from_db()
    assert theirs.email == outsider.email.lower()
    assert selectors.progress(m)["stats"]["failed"] == 1


def test_an_imported_contact_with_the_address_in_capitals_goes_and_its_delivery_forgets_it(
    resident, outsider
):
    """Staff typed her address in capitals into the admin: the contact is still hers."""
    from dobry.communications.models import Delivery, MailingContact
    from dobry.communications.tests.mailing_factories import contact, mailing
    from dobry.communications.unsubscribe import erased_key

    typed = resident.email.upper()
    imported = contact(typed, name=resident.get_full_name(), source="фестиваль")
    contact(outsider.email, name="Другой", source="фестиваль")
    delivery = Delivery.objects.create(
        mailing=mailing(), email=typed, contact=imported, state="failed", last_error=f"550 {typed}"
    )
    personal_data.erase_sections(resident)
    assert list(MailingContact.objects.values_list("email", flat=True)) == [outsider.email]
    delivery.refresh_from_db()
    assert (delivery.email, delivery.contact, delivery.last_error, delivery.state) == (
        erased_key(resident.email.lower()),
        None,
        "",
        "failed",
    )


def test_unpublished_news_of_the_author_goes_and_published_stays_without_them(resident):
    from dobry.communications.models import NewsItem
    from dobry.communications.tests.factories import NewsItemFactory

    unpublished = [
        NewsItemFactory(author=resident, status=status, published_at=None, lead="Черновик")
        for status in (NewsItem.Status.DRAFT, NewsItem.Status.MODERATION, NewsItem.Status.RETURNED)
    ]
    published = NewsItemFactory(
        author=resident, lead=f"Пишет {resident.first_name} {resident.last_name}"
    )
    scheduled = NewsItemFactory(author=resident, status=NewsItem.Status.SCHEDULED)
    someone_elses = NewsItemFactory(status=NewsItem.Status.DRAFT, published_at=None)
    traces = personal_data.traces_of(resident)

    personal_data.erase_sections(resident, traces)

    assert not NewsItem.objects.filter(pk__in=[n.pk for n in unpublished]).exists()
    published.refresh_from_db()
    assert (published.author, published.lead) == (None, f"Пишет {REDACTED}")
    assert resident.last_name.casefold() not in published.search_text
    assert NewsItem.objects.filter(pk=scheduled.pk, author=None).exists()
    assert NewsItem.objects.filter(pk=someone_elses.pk).exists()
