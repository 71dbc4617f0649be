"""Traces of a person in copies of their data: found and replaced whole, nothing else."""

import pytest

from dobry.core.audit import log_action
from dobry.core.erasure import REDACTED, Traces, phone_variants, redact_contacts, scrub_rows
from dobry.core.models import AuditEntry, District


def test_a_trace_is_replaced_whole_word_only_and_case_insensitively():
    traces = Traces.of(["Иван", "Иван Петров"])
    assert traces.scrub("иван петров и Иванов") == f"{REDACTED} и Иванов"


def test_an_underscore_separates_words_in_file_names():
    assert Traces.of(["Петров"]).found_in("grants/Петров_смета.pdf")


def test_json_is_walked_keys_and_values():
    traces = Traces.of(["a.person@example.org"])
    scrubbed = traces.scrub({"to": ["a.person@example.org"], "a.person@example.org": 1, "n": 2})
    assert scrubbed == {"to": [REDACTED], REDACTED: 1, "n": 2}


def test_short_and_empty_values_are_not_traces():
    assert Traces.of(["", "Ян", "  "]).values == ()
    assert not Traces.of(["Ян"])


def test_a_phone_is_searched_as_people_write_it():
    assert set(phone_variants("+79131234567")) == {
        "+79131234567",
        "79131234567",
        "89131234567",
    }
    assert phone_variants("") == []


@pytest.mark.django_db
def test_rows_mentioning_a_trace_are_rewritten_in_text_and_json_columns():
    district = District.objects.create(name="Центр", slug="center")
    mentioning = log_action(
        actor=None, action="x", obj=district, data={"said": "звонила Зоя Следова"}
    )
    other = log_action(actor=None, action="x", obj=district, data={"said": "звонил Пётр"})

    changed = scrub_rows(
        AuditEntry.objects.all(), ["object_repr", "data"], Traces.of(["Зоя Следова"])
    )

    assert changed == 1
    mentioning.refresh_from_db()
    other.refresh_from_db()
    assert mentioning.data == {"said": f"звонила {REDACTED}"}
    assert other.data == {"said": "звонил Пётр"}


@pytest.mark.django_db
def test_a_replacement_never_overflows_a_short_column():
    district = District.objects.create(name="Центр", slug="center")
    entry = log_action(actor=None, action="x", obj=district)
    AuditEntry.objects.filter(pk=entry.pk).update(object_repr="Петр " * 40)
    scrub_rows(AuditEntry.objects.all(), ["object_repr"], Traces.of(["Петр"]))
    entry.refresh_from_db()
    assert entry.object_repr.startswith(REDACTED)
    assert len(entry.object_repr) == 200


@pytest.mark.parametrize(
    "typed",
    ["+7 913 555-01-23", "8(913)5550123", "8 (913) 555 01 23", "7-913-555-01-23", "9135550123"],
)
def test_a_phone_is_found_and_replaced_however_it_is_written(typed):
    traces = Traces.of(["+79135550123"])
    assert traces.scrub(f"звонить {typed}, вечером") == f"звонить {REDACTED}, вечером"


def test_longer_numbers_holding_the_phone_s_digits_are_not_the_phone():
    traces = Traces.of(["+79135550123"])
    assert traces.scrub("счёт 119135550123 и 791355501234") == "счёт 119135550123 и 791355501234"


def test_any_phone_and_email_are_redacted_from_a_kept_text_and_numbers_stay():
    text = (
        "Руководитель +7 913 123-45-67, 8(913)1234567, Name@X.ru; офис 8 (3919) 75-12-34; "
        "ИНН 2452012345, 2026 год, 1 500 000 ₽, бюджет 8 500 000 000 ₽"
    )
    assert redact_contacts({"team": [text]}) == {
        "team": [
            f"Руководитель {REDACTED}, {REDACTED}, {REDACTED}; офис {REDACTED}; "
            "ИНН 2452012345, 2026 год, 1 500 000 ₽, бюджет 8 500 000 000 ₽"
        ]
    }


@pytest.mark.django_db
def test_rows_with_a_phone_in_another_spelling_are_found_by_the_database():
    district = District.objects.create(name="Центр", slug="center")
    entry = log_action(actor=None, action="x", obj=district, data={"said": "тел. 8(913)555-0123"})
    changed = scrub_rows(AuditEntry.objects.all(), ["data"], Traces.of(["+79135550123"]))
    assert changed == 1
    entry.refresh_from_db()
    assert entry.data == {"said": f"тел. {REDACTED}"}
