"""Notifications are kept as a kind and parameters and rendered when read (issue 11): in
the reader's language, from the objects as they are now — text people typed is never
copied into them, so minimising an object changes every notification made from it —
with what was true when they were made (a role, a status) kept."""

import pytest
from django.core import mail
from django.utils import translation

from dobry.communications.models import Notification, OutboundEmail
from dobry.communications.rendering import (
    encode,
    notifications_render,
    render_kind,
    render_params,
)
from dobry.communications.services import notification_emails_refresh, notify
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.resources.models import Consultation
from dobry.resources.services import consultation_ask

pytestmark = pytest.mark.django_db


def _speaks_english(user) -> None:
    """A signed-in person reads pages in their stored language, whatever the browser asks
    (`accounts.middleware.UserLanguageMiddleware`)."""
    type(user).objects.filter(pk=user.pk).update(language="en")


URL = "/notifications/"
API = "/api/v1/me/notifications"
SUBJECT = "Вопрос от Удаляйкиной"


@pytest.fixture
def organization(db):
    return OrganizationFactory(short_name="Тёплый дом")


@pytest.fixture
def verified(resident, organization):
    [notification] = notify("organization_verified", [resident], {"organization": organization})
    return notification


def test_the_same_notification_is_english_on_an_english_page_and_russian_on_a_russian_one(
    verified, resident, login_as
):
    client = login_as(resident)
    russian = client.get(URL).content.decode()
    _speaks_english(resident)
    english = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Организация «Тёплый дом» проверена" in russian
    assert "Organisation “Тёплый дом” has been verified" in english
    assert "проверена" not in english


def test_the_api_answers_in_the_language_asked(verified, resident, login_as):
    client = login_as(resident)
    russian = client.get(API).json()["items"][0]
    _speaks_english(resident)
    english = client.get(API, HTTP_ACCEPT_LANGUAGE="en").json()["items"][0]
    assert russian["title"] == "Организация «Тёплый дом» проверена"
    assert english["title"] == "Organisation “Тёплый дом” has been verified"
    assert "Координатор ресурсного центра" in russian["body"]
    assert "Координатор ресурсного центра" not in english["body"]


def test_the_email_goes_in_the_recipients_language_russian_by_default(
    resident, outsider, organization
):
    outsider.language = "en"
    outsider.save()
    notify("organization_verified", [resident, outsider], {"organization": organization})
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        resident.email: "Организация «Тёплый дом» проверена",
        outsider.email: "Organisation “Тёплый дом” has been verified",
    }


def test_no_text_anyone_typed_is_kept_in_the_parameters(resident, coordinator):
    consultation = consultation_ask(
        user=resident, topic=Consultation.Topic.LEGAL, subject=SUBJECT, text="Подробности"
    )
    notification = Notification.objects.get(user=coordinator, kind="consultation_new")
    assert (notification.stored_title, notification.stored_body) == ("", "")
    assert SUBJECT not in str(notification.params)
    assert notification.params["consultation"]["pk"] == consultation.pk
    assert notification.title == f"Новый вопрос: {SUBJECT}"


def test_a_minimised_object_changes_every_notification_made_from_it(resident, coordinator):
    consultation = consultation_ask(
        user=resident, topic=Consultation.Topic.LEGAL, subject=SUBJECT, text="Подробности"
    )
    Consultation.objects.filter(pk=consultation.pk).update(subject="—")
    notification = Notification.objects.get(user=coordinator, kind="consultation_new")
    assert notification.title == "Новый вопрос: —"


def test_a_deleted_object_leaves_a_notification_without_its_text(resident, coordinator):
    consultation = consultation_ask(
        user=resident, topic=Consultation.Topic.LEGAL, subject=SUBJECT, text="Подробности"
    )
    Consultation.objects.filter(pk=consultation.pk).delete()
    notification = Notification.objects.get(user=coordinator, kind="consultation_new")
    assert notification.title == "Новый вопрос:"


def test_what_was_true_when_it_was_made_is_kept(resident, organization):
    membership = MembershipFactory(
        organization=organization, user=resident, role=Membership.Role.EDITOR
    )
    [notification] = notify(
        "membership_changed",
        [resident],
        {"organization": organization, "membership": membership},
    )
    Membership.objects.filter(pk=membership.pk).update(role=Membership.Role.OWNER)
    again = Notification.objects.get(pk=notification.pk)
    assert "редактор" in again.body
    with translation.override("en"):
        assert "editor" in Notification.objects.get(pk=notification.pk).body


def test_kept_parameters_render_as_the_context_did(resident, organization):
    context = {"organization": organization, "reason": "Нет ИНН", "count": 3}
    params = encode(context)
    assert params is not None
    assert params["reason"] == "Нет ИНН"
    assert render_params("organization_returned", params) == render_kind(
        "organization_returned", {**context, "url": ""}
    )


class Reason:
    def __str__(self) -> str:
        return "не строка"


def test_a_context_that_cannot_be_kept_leaves_frozen_text(resident, organization):
    [notification] = notify(
        "organization_returned", [resident], {"organization": organization, "reason": Reason()}
    )
    assert notification.params is None
    assert notification.stored_title == notification.title != ""
    assert "не строка" in notification.stored_body


def test_a_page_of_notifications_reads_each_kind_of_row_once(
    resident, organization, django_assert_max_num_queries
):
    for _ in range(5):
        notify("organization_verified", [resident], {"organization": organization})
    notifications = list(Notification.objects.filter(user=resident))
    with django_assert_max_num_queries(1):
        notifications_render(notifications)
    assert {n.title for n in notifications} == {"Организация «Тёплый дом» проверена"}


@pytest.mark.parametrize("count", [1, 30])
def test_the_page_keeps_a_fixed_query_count(
    resident, organization, login_as, count, django_assert_max_num_queries
):
    for _ in range(count):
        notify("organization_verified", [resident], {"organization": organization})
    client = login_as(resident)
    client.get(URL)
    with django_assert_max_num_queries(9):
        response = client.get(URL)
    assert response.content.decode().count("проверена") >= count
    assert OutboundEmail.objects.count() == count


def test_emails_about_a_minimised_object_are_rendered_again_in_the_recipients_language(
    resident, coordinator, outsider
):
    outsider.is_coordinator = True
    outsider.language = "en"
    outsider.save()
    consultation = consultation_ask(
        user=resident, topic=Consultation.Topic.LEGAL, subject=SUBJECT, text="Подробности"
    )
    other = consultation_ask(
        user=outsider, topic=Consultation.Topic.LEGAL, subject="Другой вопрос", text="?"
    )
    before = {e.to: e.subject for e in OutboundEmail.objects.all()}
    assert before[coordinator.email] == f"Новый вопрос: {SUBJECT}"
    Consultation.objects.filter(pk=consultation.pk).update(subject="—")
    consultation.refresh_from_db()

    assert notification_emails_refresh(objects=[consultation]) == 2
    subjects = sorted(OutboundEmail.objects.values_list("to", "subject"))
    assert (coordinator.email, "Новый вопрос: —") in subjects
    assert (outsider.email, "New question: —") in subjects
    assert (coordinator.email, "Новый вопрос: Другой вопрос") in subjects
    assert other.subject == "Другой вопрос"
    assert not [s for _to, s in subjects if SUBJECT in s]


def test_a_signed_in_user_wrapped_in_a_lazy_object_is_kept_as_a_reference(resident):
    from django.utils.functional import SimpleLazyObject

    params = encode({"proposer": SimpleLazyObject(lambda: resident)})
    assert params == {"proposer": {"$model": "accounts.user", "pk": resident.pk, "state": {}}}
