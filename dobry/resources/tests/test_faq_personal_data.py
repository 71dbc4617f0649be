"""A consultation becomes a public question and answer only through the edit step and the
personal-data check of public texts (`core.public_text`), and the asker's erasure removes
their name from the published copy and the summary (issue 11 §1: «POST /faq/ published the
asker's name and phone»)."""

import pytest

from dobry.accounts.services import user_erase
from dobry.core.erasure import REDACTED
from dobry.core.models import AuditEntry
from dobry.resources import library, services
from dobry.resources.models import Consultation, LibraryItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(resident, coordinator) -> Consultation:
    """The attacker's example: the asker (Анна Жителева) gave her name and phone in the
    subject, and the consultant answered by name."""
    consultation = services.consultation_ask(
        user=resident,
        topic="grants",
        subject="Анна Жителева, 8 913 123-45-67: как отчитаться?",
        text="Помогите с отчётом.",
    )
    services.consultation_reply(
        author=coordinator, consultation=consultation, text="Анна, отчёт сдают через месяц."
    )
    services.consultation_close(
        actor=coordinator, consultation=consultation, summary="Объяснили Анне сроки отчёта."
    )
    return Consultation.objects.get(pk=consultation.pk)


def test_the_faq_step_shows_the_draft_and_publishes_nothing_on_get(login_as, coordinator, asked):
    page = login_as(coordinator).get(f"/desk/consultations/{asked.pk}/faq/")
    assert page.status_code == 200
    assert page.context["form"].initial["title"] == asked.subject
    assert "Этот текст будет виден всем." in page.content.decode()
    assert not LibraryItem.objects.exists()


def test_a_draft_with_the_askers_name_and_phone_is_refused_per_field(login_as, coordinator, asked):
    url = f"/desk/consultations/{asked.pk}/faq/"
    response = login_as(coordinator).post(url, library.faq_draft(asked))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["title"] == ["Этот текст увидят все: уберите из него имя, номер телефона."]
    # «Анна,» and «Анне» in the answer and the summary: the asker's name in any case ending
    assert errors["body"] == ["Этот текст увидят все: уберите из него имя."]
    assert not LibraryItem.objects.exists()
    assert not AuditEntry.objects.filter(action="library.create").exists()


@pytest.mark.parametrize(
    ("body", "what"),
    [
        ("Пишите на ivanova@mail.ru", "адрес электронной почты"),
        ("Её страница vk.com/id12345", "ник или ссылку на страницу человека"),
        ("Напишите @zhiteleva_a в телеграме", "ник или ссылку на страницу человека"),
        ("Звонить по номеру 72-12-34", "номер телефона"),
        ("Помогли Марии Ивановой", "имя"),
        ("Живёт на ул. Ленина, д. 5", "адрес"),
    ],
)
def test_contacts_names_and_addresses_of_anyone_are_refused(coordinator, asked, body, what):
    from dobry.core.errors import DomainError

    with pytest.raises(DomainError) as refusal:
        library.library_item_from_consultation(
            actor=coordinator, consultation=asked, title="Отчёт по гранту", body=body
        )
    assert refusal.value.field_errors == {
        "body": [f"Этот текст увидят все: уберите из него {what}."]
    }
    assert not LibraryItem.objects.exists()


def test_the_edited_text_is_published(login_as, coordinator, asked):
    edited = {"title": "Как отчитаться по гранту?", "body": "Отчёт сдают через месяц."}
    response = login_as(coordinator).post(f"/desk/consultations/{asked.pk}/faq/", edited)
    item = LibraryItem.objects.get()
    assert response["Location"] == f"/desk/library/{item.pk}/"
    assert (item.title, item.body, item.kind) == (edited["title"], edited["body"], "faq")


def test_the_askers_erasure_scrubs_the_faq_copy_and_the_summary(coordinator, asked, resident):
    # a copy that slipped through before the check: the name as given and declined
    item = LibraryItem.objects.create(
        kind="faq",
        consultation=asked,
        title="Вопрос Анны Жителевой",
        body="Анна Жителева спросила; ответили Анне.",
        description="Грантовые заявки",
    )
    Consultation.objects.filter(pk=asked.pk).update(organization=None)
    user_erase(user=resident, actor=resident)
    item.refresh_from_db()
    asked.refresh_from_db()
    assert item.title == f"Вопрос {REDACTED} {REDACTED}"
    assert item.body == f"{REDACTED} {REDACTED} спросила; ответили {REDACTED}."
    assert "анн" not in item.search_text
    assert "жителев" not in item.search_text
    assert asked.summary == f"Объяснили {REDACTED} сроки отчёта."


def test_an_organisations_consultation_summary_loses_the_askers_name(
    coordinator, resident, organization
):
    consultation = services.consultation_ask(
        user=resident, topic="legal", subject="Устав", text="?", organization=organization
    )
    services.consultation_close(
        actor=coordinator, consultation=consultation, summary="Жителевой объяснили порядок."
    )
    user_erase(user=resident, actor=resident)
    consultation.refresh_from_db()
    assert consultation.summary == f"{REDACTED} объяснили порядок."
    assert consultation.subject == "Устав"  # the organisation's record stays
