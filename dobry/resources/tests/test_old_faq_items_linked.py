"""FAQ items published before an item linked its consultation (migration 0007): linked where
the item's own text proves its source, left alone where it does not — so that publishing the
consultation again updates its item instead of making another."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dobry.resources.library import faq_draft, library_item_from_consultation
from dobry.resources.models import Consultation, LibraryItem

BEFORE = [("resources", "0007_support_record_made_from")]
AFTER = [("resources", "0008_link_old_faq_items")]


def _consultation(apps, subject, *, answers, summary, asker):
    Consultation = apps.get_model("resources", "Consultation")
    Message = apps.get_model("resources", "ConsultationMessage")
    consultation = Consultation.objects.create(
        asker=asker, topic="legal", subject=subject, status="closed", summary=summary
    )
    Message.objects.create(consultation=consultation, author=asker, text="Как нам быть?")
    for text in answers:
        Message.objects.create(consultation=consultation, author=None, text=text)
    return consultation


def _faq(apps, title, body):
    return apps.get_model("resources", "LibraryItem").objects.create(
        title=title, kind="faq", body=body, description="Юридические вопросы"
    )


@pytest.mark.django_db(transaction=True)
def test_old_faq_items_are_linked_where_their_text_proves_the_consultation():
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        asker = old.get_model("accounts", "User").objects.create(email="nko@example.org")
        charter = _consultation(
            old,
            "Устав",
            answers=["Возьмите образец.", "Зарегистрируйте."],
            summary="Готово.",
            asker=asker,
        )
        report = _consultation(
            old, "Отчёт", answers=["Сдайте до 1 марта."], summary="", asker=asker
        )
        twins = [
            _consultation(old, "Печать", answers=["Не обязательна."], summary="", asker=asker)
            for _ in range(2)
        ]
        unpublished = _consultation(
            old, "Счёт", answers=["В любом банке."], summary="", asker=asker
        )
        charter_item = _faq(old, "Устав", "Возьмите образец.\n\nЗарегистрируйте.\n\nГотово.")
        report_first = _faq(old, "Отчёт", "Сдайте до 1 марта.")
        report_again = _faq(old, "Отчёт", "Сдайте до 1 марта.")  # published twice
        edited = _faq(old, "Счёт", "Откройте счёт в любом банке — мы проверили.")
        twin_item = _faq(old, "Печать", "Не обязательна.")
        by_hand = _faq(old, "Свой вопрос", "Ответ редактора.")

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps.get_model("resources", "LibraryItem")
        links = dict(new.objects.values_list("pk", "consultation_id"))
        assert links[charter_item.pk] == charter.pk
        assert links[report_again.pk] == report.pk  # the latest copy
        assert links[report_first.pk] is None
        assert links[edited.pk] is None  # its text proves nothing now
        assert links[twin_item.pk] is None  # two consultations would have written it
        assert links[by_hand.pk] is None
        assert not new.objects.filter(consultation_id__in=[t.pk for t in twins]).exists()
        assert not new.objects.filter(consultation_id=unpublished.pk).exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db
def test_publishing_a_linked_old_item_again_updates_it(resident, coordinator):
    """What the link is for: the consultation's one item is updated, no copy is made."""
    consultation = Consultation.objects.create(
        asker=resident,
        topic=Consultation.Topic.LEGAL,
        subject="Устав",
        status=Consultation.Status.CLOSED,
        summary="Итог.",
    )
    old = LibraryItem.objects.create(
        title="Устав", kind=LibraryItem.Kind.FAQ, body="Итог.", consultation=consultation
    )
    item, created = library_item_from_consultation(
        actor=coordinator, consultation=consultation, **faq_draft(consultation)
    )
    assert (item.pk, created) == (old.pk, False)
    assert LibraryItem.objects.count() == 1
