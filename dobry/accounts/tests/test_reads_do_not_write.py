"""Reads are pure: the current consent text is published once (after migrate), never while
someone reads it; the signup form hands its values to a service, which writes."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dobry.accounts import services
from dobry.accounts.consent_texts import DEFAULTS
from dobry.accounts.models import ConsentDocument, ConsentRecord
from dobry.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _writes(queries):
    return [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]


def test_the_built_in_texts_are_published_after_migrate():
    assert set(DEFAULTS) <= set(ConsentDocument.objects.values_list("kind", flat=True))


def test_reading_the_current_text_never_writes():
    ConsentDocument.objects.filter(kind="newsletter").delete()
    with CaptureQueriesContext(connection) as queries:
        assert ConsentDocument.current("newsletter") is None
        assert ConsentDocument.current("personal_data").version == 1
    assert _writes(queries) == []
    assert not ConsentDocument.objects.filter(kind="newsletter").exists()


def test_the_defaults_are_published_once_and_audited():
    ConsentDocument.objects.filter(kind="newsletter").delete()
    audit = AuditEntry.objects.filter(action="consent_document.publish")
    before = audit.count()
    assert [d.kind for d in services.consent_documents_publish_defaults()] == ["newsletter"]
    assert services.consent_documents_publish_defaults() == []
    assert audit.count() == before + 1


def test_a_newer_version_is_left_alone():
    ConsentDocument.objects.create(kind="newsletter", version=2, title="v2", text="Новый текст")
    assert services.consent_documents_publish_defaults() == []
    assert ConsentDocument.current("newsletter").version == 2


def test_the_signup_page_reads_only(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/accounts/signup/").status_code == 200
    assert [sql for sql in _writes(queries) if "session" not in sql.lower()] == []


def test_signup_complete_saves_names_and_ticked_consents_together(resident):
    ConsentRecord.objects.filter(user=resident).delete()
    ConsentDocument.objects.filter(kind="newsletter").delete()
    with pytest.raises(services.DomainError):
        services.signup_complete(
            user=resident,
            first_name="Новое",
            last_name="Имя",
            consents=["personal_data", "newsletter"],
            ip_address=None,
        )
    resident.refresh_from_db()
    assert resident.first_name != "Новое"
    assert not ConsentRecord.objects.filter(user=resident).exists()


@pytest.mark.django_db(transaction=True)
def test_the_texts_are_there_again_after_a_flush():
    """Transactional tests (and browser journeys) flush the database between them; the
    flush re-runs post_migrate, which publishes the texts again."""
    call_command("flush", interactive=False, verbosity=0)
    assert ConsentDocument.current("personal_data").version == 1


def test_the_profile_is_saved_by_its_service_with_an_audit_entry(login_as, resident):
    response = login_as(resident).post(
        "/profile/", {"first_name": "Анна", "last_name": "Петрова", "language": "ru"}
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.first_name, resident.last_name) == ("Анна", "Петрова")
    assert AuditEntry.objects.filter(action="user.update_profile").count() == 1
    with pytest.raises(services.DomainError, match="Неизвестные поля"):
        services.user_profile_update(user=resident, fields={"is_superuser": True})
    resident.refresh_from_db()
    assert not resident.is_superuser
