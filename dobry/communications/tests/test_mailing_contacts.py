"""Imported contacts without the pages: reading a list, the mapping, each row's check, the
import and its report, and the double opt-in link (services of `mailings/contacts.py`)."""

import time
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.utils import timezone

from dobry.communications.mailings import contacts
from dobry.communications.models import MailingContact
from dobry.communications.tests.mailing_factories import contact
from dobry.core.errors import DomainError
from dobry.core.models import AuditEntry, District

pytestmark = pytest.mark.django_db


def table(*rows: str, headers: str = "Email;Имя;Район;Интересы;Источник") -> contacts.Table:
    return contacts.Table(headers=headers.split(";"), rows=[row.split(";") for row in rows])


EVERY_COLUMN = {"email": 0, "name": 1, "district": 2, "interests": 3, "source": 4}


def refused_at(error: pytest.ExceptionInfo[DomainError]) -> list[str]:
    return sorted(error.value.field_errors)


# --- reading the file ------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_at_the_file(settings):
    settings.DOBRY_DOCUMENT_MAX_BYTES = 1024
    with pytest.raises(DomainError) as refused:
        contacts.read_table(b"email\n" + b"a@example.org\n" * 200, "list.csv")
    assert refused_at(refused) == ["file"]
    assert "слишком большой" in refused.value.message


def test_a_file_without_rows_is_refused(settings):
    with pytest.raises(DomainError) as refused:
        contacts.read_table(b"\n  \n,,\n", "list.csv")
    assert refused.value.message == "В файле нет строк."


def test_a_file_over_the_row_limit_is_refused_naming_the_limit(monkeypatch):
    monkeypatch.setattr(contacts, "MAX_ROWS", 3)
    content = "email\n" + "".join(f"r{n}@example.org\n" for n in range(4))
    with pytest.raises(DomainError) as refused:
        contacts.read_table(content.encode(), "list.csv")
    assert "предел 3" in refused.value.message
    assert refused_at(refused) == ["file"]
    exactly = "email\n" + "".join(f"r{n}@example.org\n" for n in range(3))
    assert len(contacts.read_table(exactly.encode(), "list.csv").rows) == 3


def test_blank_lines_are_skipped_and_headers_trimmed():
    read = contacts.read_table(" Email ; Имя \n\na@example.org;Анна\n;\n".encode(), "list.csv")
    assert read.headers == ["Email", "Имя"]
    assert read.rows == [["a@example.org", "Анна"]]


@pytest.mark.parametrize("name", ["list.docx", "list.xlsx", "list"])
def test_what_is_not_a_readable_table_is_refused_at_the_file(name):
    with pytest.raises(DomainError) as refused:
        contacts.read_table(b"PK\x03\x04 broken", name)
    assert refused_at(refused) == ["file"]


def test_the_mapping_is_guessed_from_the_header_words():
    assert contacts.guess_mapping(["ФИО", "Электронная почта", "что-то", "Направления"]) == {
        "email": 1,
        "name": 0,
        "district": None,
        "interests": 3,
        "source": None,
    }


# --- checking the rows -----------------------------------------------------------------------


def test_a_mapping_without_the_email_column_is_refused_at_email():
    with pytest.raises(DomainError) as refused:
        contacts.check_rows(table("a@example.org;Анна;;;"), {"email": None, "name": 1})
    assert refused_at(refused) == ["email"]


@pytest.mark.parametrize(
    ("mapping", "field"),
    [
        ({"email": 9}, "email"),
        ({"email": 0, "name": -1}, "name"),
        ({"email": 0, "phone": 1}, "phone"),
    ],
)
def test_a_column_the_table_does_not_have_is_refused_naming_the_field(mapping, field):
    with pytest.raises(DomainError) as refused:
        contacts.check_rows(table("a@example.org;Анна;;;"), mapping)
    assert refused_at(refused) == [field]


def test_each_row_is_mapped_to_a_contact_with_its_district_and_areas():
    district = District.objects.create(name="Первомайский", slug="pervomaisky")
    checked = contacts.check_rows(
        table("A@Example.org;Анна;первомайский;Экология; ecology ;animals;фестиваль"),
        EVERY_COLUMN,
    )
    [row] = checked
    assert (row.line, row.email, row.name, row.district) == (2, "a@example.org", "Анна", district)
    assert row.interests == ["ecology"]  # the label and the code are one area, kept once
    assert row.errors == []


def test_districts_are_found_by_slug_too_and_an_unknown_one_is_the_rows_error():
    District.objects.create(name="Первомайский", slug="pervomaisky")
    good, bad = contacts.check_rows(
        table("a@example.org;;PERVOMAISKY;;", "b@example.org;;Марс;;"), EVERY_COLUMN
    )
    assert good.district is not None
    assert bad.errors == ["Неизвестный район: Марс"]


def test_interests_are_split_by_commas_and_semicolons_and_unknown_ones_named():
    checked = contacts.check_rows(
        contacts.Table(headers=["email", "interests"], rows=[["a@example.org", "экология,,ghost"]]),
        {"email": 0, "interests": 1},
    )
    assert checked[0].interests == ["ecology"]
    assert checked[0].errors == ["Неизвестное направление: ghost"]


def test_a_too_long_name_or_source_is_the_rows_error_never_cut():
    long = "Я" * (contacts.TEXT_LIMIT + 1)
    [row] = contacts.check_rows(table(f"a@example.org;{long};;;{long}"), EVERY_COLUMN)
    assert row.name == long
    assert len(row.errors) == 2
    assert all("слишком длинный текст" in error for error in row.errors)


def test_a_repeated_or_bad_email_is_an_error_and_an_empty_one_says_so():
    rows = contacts.check_rows(
        table("a@example.org;;;;", "A@example.org;;;;", ";Без адреса;;;"), EVERY_COLUMN
    )
    assert rows[0].errors == []
    assert rows[1].errors == ["Этот email уже есть в файле выше."]
    assert rows[2].errors == ["Неверный email: —"]


def test_the_source_of_the_upload_fills_rows_without_their_own():
    rows = contacts.check_rows(
        table("a@example.org;;;;анкеты", "b@example.org;;;;"), EVERY_COLUMN, "фестиваль"
    )
    assert [row.source for row in rows] == ["анкеты", "фестиваль"]


def test_rows_already_among_the_contacts_are_marked_not_errors():
    contact("known@example.org")
    [row] = contacts.check_rows(table("known@example.org;;;;"), EVERY_COLUMN)
    assert row.exists
    assert row.errors == []


def test_a_short_row_reads_its_missing_cells_as_empty():
    [row] = contacts.check_rows(
        contacts.Table(headers=["email", "name"], rows=[["a@example.org"]]),
        {"email": 0, "name": 1},
    )
    assert (row.name, row.errors) == ("", [])


# --- the import and the double opt-in -----------------------------------------------------


def test_the_import_adds_only_new_good_rows_invites_each_once_and_is_audited(coordinator):
    contact("known@example.org")
    rows = contacts.check_rows(
        table("new@example.org;Нина;;;", "known@example.org;;;;", "bad;;;;"), EVERY_COLUMN
    )
    report = contacts.contacts_import(actor=coordinator, rows=rows)
    assert (report.created, report.existing) == (1, 1)
    assert [row.email for row in report.errors] == ["bad"]
    added = MailingContact.objects.get(email="new@example.org")
    assert (added.imported_by, added.confirmed_at) == (coordinator, None)
    assert added.invited_at is not None
    assert [message.to for message in mail.outbox] == [["new@example.org"]]
    entry = AuditEntry.objects.get(action="contact.import")
    assert entry.data == {"created": 1, "skipped": 2}
    again = contacts.contacts_import(actor=coordinator, rows=rows)
    assert again.created == 0
    assert len(mail.outbox) == 1  # nobody is invited twice


def test_an_import_of_nothing_new_writes_no_audit_entry(coordinator):
    contact("known@example.org")
    rows = contacts.check_rows(table("known@example.org;;;;"), EVERY_COLUMN)
    contacts.contacts_import(actor=coordinator, rows=rows)
    assert not AuditEntry.objects.filter(action="contact.import").exists()


def test_the_opt_in_link_names_the_contact_and_expires(monkeypatch):
    waiting = contact("wait@example.org", confirmed=False)
    token = contacts.opt_in_token(waiting)
    assert contacts.contact_from_token(token) == waiting
    later = time.time() + timedelta(days=contacts.OPT_IN_DAYS, minutes=1).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: later)  # the signature's own clock
    assert contacts.contact_from_token(token) is None


@pytest.mark.parametrize("token", ["", "x" * 600, "not:a:token"])
def test_a_garbled_opt_in_link_names_nobody(token):
    assert contacts.contact_from_token(token) is None


def test_a_signed_link_of_another_shape_names_nobody():
    for payload in ([1, 2], {"c": "1", "e": "x@example.org"}, {"c": 1}):
        forged = signing.dumps(payload, salt=contacts.OPT_IN_SALT, compress=True)
        assert contacts.contact_from_token(forged) is None


def test_confirming_twice_keeps_the_first_moment_and_one_audit_entry(freeze_now):
    now = timezone.now()
    freeze_now(now)
    waiting = contact("wait@example.org", confirmed=False)
    contacts.contact_confirm(waiting)
    freeze_now(now + timedelta(hours=1))
    contacts.contact_confirm(MailingContact.objects.get(pk=waiting.pk))
    waiting.refresh_from_db()
    assert waiting.confirmed_at == now
    assert AuditEntry.objects.filter(action="contact.confirm").count() == 1


def test_the_opt_in_email_carries_the_link_and_says_nothing_comes_without_it():
    waiting = contact("wait@example.org", confirmed=False)
    contacts.send_opt_in(waiting)
    [message] = mail.outbox
    assert message.subject == "Подтвердите подписку на рассылку"
    assert "/mailings/confirm/" in message.body
    assert "без подтверждения мы не пришлём ни одного письма" in message.body
