"""A consultation becomes one FAQ item: publishing it again updates that item, and two
publications at the same instant still make one — the consultation is locked, and the
unique link from the item to its consultation refuses a second (the negative control: the
same race without the lock makes the second publication fail on that link, not a copy).
Runs on SQLite and on PostgreSQL."""

import time
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.db.models import QuerySet

from dobry.core.models import AuditEntry
from dobry.core.tests.threads import at_once
from dobry.resources import library, services
from dobry.resources.models import Consultation, LibraryItem, LibraryItemQuerySet

pytestmark = pytest.mark.django_db


def closed_consultation(resident, coordinator, summary: str = "Шаблон отчёта") -> Consultation:
    consultation = services.consultation_ask(
        user=resident, topic="grants", subject="Отчёт по гранту", text="Как отчитаться?"
    )
    services.consultation_reply(
        author=coordinator, consultation=consultation, text="Отчёт сдают через месяц."
    )
    services.consultation_close(actor=coordinator, consultation=consultation, summary=summary)
    return Consultation.objects.get(pk=consultation.pk)


def test_publishing_again_updates_the_same_item(login_as, resident, coordinator):
    consultation = closed_consultation(resident, coordinator)
    staff = login_as(coordinator)
    url = f"/desk/consultations/{consultation.pk}/faq/"
    first = staff.post(url, library.faq_draft(consultation), follow=True)
    item = LibraryItem.objects.get()
    assert first.redirect_chain[-1][0] == f"/desk/library/{item.pk}/"
    assert "Ответ опубликован в библиотеке." in first.content.decode()
    assert item.consultation == consultation
    # the consultant edits the published text and publishes again
    assert staff.get(url).context["form"].initial == {
        "title": "Отчёт по гранту",
        "body": "Отчёт сдают через месяц.\n\nШаблон отчёта",
    }
    edited = {
        "title": "Отчёт по гранту",
        "body": "Отчёт сдают через месяц.\n\nШаблон отчёта за год",
    }
    again = staff.post(url, edited, follow=True)
    assert "Вопрос и ответ в библиотеке обновлены." in again.content.decode()
    assert again.redirect_chain[-1][0] == f"/desk/library/{item.pk}/"
    updated = LibraryItem.objects.get()
    assert updated.pk == item.pk
    assert updated.body == "Отчёт сдают через месяц.\n\nШаблон отчёта за год"
    assert updated.created_by == coordinator
    entries = AuditEntry.objects.filter(action__startswith="library.").order_by("pk")
    assert [entry.action for entry in entries] == ["library.create", "library.faq_update"]


def test_the_consultation_page_links_its_published_item(login_as, resident, coordinator):
    consultation = closed_consultation(resident, coordinator)
    staff = login_as(coordinator)
    before = staff.get(f"/desk/consultations/{consultation.pk}/").content.decode()
    assert "Опубликовать в библиотеке как вопрос и ответ" in before
    assert "Опубликовано в библиотеке:" not in before
    item, created = library.library_item_from_consultation(
        actor=coordinator, consultation=consultation, **library.faq_draft(consultation)
    )
    assert created is True
    after = staff.get(f"/desk/consultations/{consultation.pk}/").content.decode()
    assert f'href="/desk/library/{item.pk}/"' in after
    assert "Обновить вопрос и ответ в библиотеке" in after
    # the asker sees neither the button nor the link
    asker = login_as(resident).get(f"/desk/consultations/{consultation.pk}/").content.decode()
    assert "Обновить вопрос и ответ" not in asker
    assert "Опубликовано в библиотеке:" not in asker


def test_two_consultations_make_two_items(resident, coordinator):
    first = closed_consultation(resident, coordinator)
    second = closed_consultation(resident, coordinator, summary="Другой итог")
    for consultation in (first, second, first):
        library.library_item_from_consultation(
            actor=coordinator, consultation=consultation, **library.faq_draft(consultation)
        )
    assert LibraryItem.objects.count() == 2


def test_an_item_outlives_its_deleted_consultation(resident, coordinator):
    consultation = closed_consultation(resident, coordinator)
    item, _created = library.library_item_from_consultation(
        actor=coordinator, consultation=consultation, **library.faq_draft(consultation)
    )
    consultation.delete()
    item.refresh_from_db()
    assert (item.consultation, item.kind) == (None, "faq")


def test_the_database_refuses_a_second_item_for_one_consultation(resident, coordinator):
    from django.db import IntegrityError

    consultation = closed_consultation(resident, coordinator)
    library.library_item_from_consultation(
        actor=coordinator, consultation=consultation, **library.faq_draft(consultation)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        LibraryItem.objects.create(title="Копия", kind="faq", consultation=consultation)


def test_outsiders_and_askers_cannot_publish(client, login_as, resident, outsider, coordinator):
    consultation = closed_consultation(resident, coordinator)
    url = f"/desk/consultations/{consultation.pk}/faq/"
    draft = library.faq_draft(consultation)
    assert client.post(url, draft)["Location"].startswith("/accounts/login/")
    assert login_as(outsider).post(url, draft).status_code in (403, 404)
    assert login_as(resident).post(url, draft).status_code == 403
    assert login_as(coordinator).get(url).status_code == 200  # the edit step
    assert not LibraryItem.objects.exists()


# --- at the same instant --------------------------------------------------------------------


@contextmanager
def unguarded(queryset: QuerySet, pk: int):
    """What `locked` would be without its lock: no transaction, no row lock."""
    yield queryset.get(pk=pk)


def race(monkeypatch, consultation: Consultation, coordinator, times: int = 2) -> list[str]:
    """Publish the consultation from `times` threads at once; the look-up for an existing
    item is slowed, as on a busy server, so that without the lock every thread looks before
    any has written."""
    looked_up = QuerySet.first

    def slow_first(self):
        found = looked_up(self)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(LibraryItemQuerySet, "first", slow_first, raising=False)

    def publish(_time: int) -> str:
        _item, created = library.library_item_from_consultation(
            actor=coordinator, consultation=consultation, title="Отчёт", body="Через месяц."
        )
        return "created" if created else "updated"

    published, raised = at_once(publish, range(times), timeout=90)
    # a failure is named, so that the test sees what failed
    return sorted(published + [type(error).__name__ for error in raised])


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("concurrency")
def test_two_publications_at_once_make_one_item(monkeypatch, resident, coordinator):
    consultation = closed_consultation(resident, coordinator)
    assert race(monkeypatch, consultation, coordinator) == ["created", "updated"]
    assert LibraryItem.objects.filter(consultation=consultation).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("concurrency")
def test_without_the_lock_the_second_publication_fails_on_the_unique_link(
    monkeypatch, resident, coordinator
):
    monkeypatch.setattr(library, "locked", unguarded)
    consultation = closed_consultation(resident, coordinator)
    outcomes = set(race(monkeypatch, consultation, coordinator))
    # the second fails on the link (on the database's constraint, or on the model's check of
    # it when the first has already written): never a second item
    assert outcomes in ({"created", "IntegrityError"}, {"created", "ValidationError"})
    assert LibraryItem.objects.filter(consultation=consultation).count() == 1
