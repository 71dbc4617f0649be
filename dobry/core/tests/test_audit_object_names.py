"""An audit entry names its object by type and id only: what the object is called is read
from the object when the journal is shown (issue 11) — a consultation's subject copied
into the entry outlived the consultation's minimising. An object gone since is named by
its number; entries written before keep what they copied until the migration clears it."""

import importlib

import pytest
from django.apps import apps

from dobry.core.audit import describe, log_action, object_names
from dobry.core.models import AuditEntry
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.resources.models import Consultation

pytestmark = pytest.mark.django_db

SUBJECT = "Вопрос от Удаляйкиной"
migration = importlib.import_module("dobry.core.migrations.0004_audit_object_names_not_copied")


@pytest.fixture
def question(resident):
    return Consultation.objects.create(asker=resident, topic="legal", subject=SUBJECT)


def test_an_entry_copies_nothing_of_its_object(question, resident):
    entry = log_action(actor=resident, action="consultation.ask", obj=question)
    entry.refresh_from_db()
    assert entry.object_repr == ""
    assert SUBJECT not in str(entry)
    assert describe([entry])[0].object_name == SUBJECT


def test_the_journal_names_the_object_as_it_is_now(question, resident, coordinator, login_as):
    log_action(actor=resident, action="consultation.ask", obj=question)
    page = login_as(coordinator).get("/audit/").content.decode()
    assert SUBJECT in page
    Consultation.objects.filter(pk=question.pk).update(subject="—")
    page = login_as(coordinator).get("/audit/").content.decode()
    assert SUBJECT not in page


def test_an_object_gone_is_named_by_its_number(question, resident):
    entry = log_action(actor=resident, action="consultation.ask", obj=question)
    pk = question.pk
    question.delete()
    assert object_names([entry]) == {("resources.consultation", str(pk)): f"№ {pk}"}


def test_a_page_of_entries_reads_each_type_of_object_once(resident, django_assert_max_num_queries):
    organizations = [OrganizationFactory() for _ in range(5)]
    AuditEntry.objects.all().delete()  # the fixtures' own entries (consents)
    for organization in organizations:
        log_action(actor=resident, action="organization.update", obj=organization)
    log_action(actor=resident, action="user.call", obj=resident)
    entries = list(AuditEntry.objects.all())
    with django_assert_max_num_queries(2):
        names = object_names(entries)
    assert {names[("organizations.organization", str(o.pk))] for o in organizations} == {
        str(o) for o in organizations
    }


def test_an_unparsable_object_id_is_named_by_it(resident):
    entry = AuditEntry.objects.create(
        actor=resident, action="x", object_type="resources.consultation", object_id="abc"
    )
    assert object_names([entry]) == {("resources.consultation", "abc"): "№ abc"}


def test_the_migration_clears_the_names_copied_before(question, resident):
    entry = log_action(actor=resident, action="consultation.ask", obj=question)
    AuditEntry.objects.filter(pk=entry.pk).update(object_repr=SUBJECT)
    migration.forget_copied_names(apps, None)
    entry.refresh_from_db()
    assert entry.object_repr == ""


def test_a_reason_the_platform_wrote_reads_in_the_readers_language(question):
    from django.utils import translation

    from dobry.accounts.personal_data import ACCOUNT_ERASED

    entry = log_action(
        actor=None, action="consultation.close", obj=question, data={"reason": ACCOUNT_ERASED}
    )
    typed = log_action(
        actor=None, action="consultation.close", obj=question, data={"reason": "Так решили"}
    )
    assert describe([entry])[0].lines == [("причина", "Учётная запись удалена")]
    with translation.override("en"):
        assert describe([entry])[0].lines == [("reason", "Account deleted")]
        assert describe([typed])[0].lines == [("reason", "Так решили")]
