"""Stored files are deleted when the transaction that removed them commits, never before
(`dobry.core.files.delete_from_storage`): a deletion that rolls back leaves the row and its
file as they were, not a row pointing at a missing file."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models, transaction

from dobry.accounts.models import ConsentDocument
from dobry.accounts.services import consent_record_paper, user_erase
from dobry.accounts.tests.factories import UserFactory
from dobry.core.files import delete_from_storage, delete_private_files, private_storage
from dobry.helprequests.models import HealthInfo
from dobry.helprequests.services import retention
from dobry.helprequests.tests.factories import consent_scan, taken_by_phone

ROOT = Path(__file__).resolve().parents[2]


class Refused(Exception):
    """Something later in the same transaction failed."""


def _then_fail(action: Callable[[], object]) -> None:
    """Run `action` in a transaction that something later refuses (rolled back)."""
    with transaction.atomic():
        action()
        raise Refused


def _path(name: str) -> Path:
    return Path(settings.DOBRY_PRIVATE_MEDIA_ROOT, name)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_deletion_keeps_the_file_and_a_committed_one_removes_it():
    """Real commits (no test transaction around): minimising a request deletes its health
    row and the scan of its consent; when what follows in the transaction fails, both stay."""
    coordinator = UserFactory(is_coordinator=True)
    help_request = taken_by_phone(coordinator)
    scan = _path(HealthInfo.objects.get(help_request=help_request).consent_scan.name)

    with pytest.raises(Refused):
        _then_fail(lambda: retention.request_minimise(help_request=help_request))

    health = HealthInfo.objects.get(help_request=help_request)
    assert _path(health.consent_scan.name) == scan
    assert scan.read_bytes() == b"%PDF-1.4 signed consent"

    retention.request_minimise(help_request=help_request)

    assert not HealthInfo.objects.filter(help_request=help_request).exists()
    assert not scan.exists()


@pytest.mark.django_db
def test_an_erasure_that_fails_keeps_the_persons_consent_scan(django_capture_on_commit_callbacks):
    person = UserFactory()
    record = consent_record_paper(
        actor=UserFactory(is_coordinator=True),
        user=person,
        kind=ConsentDocument.Kind.HEALTH_DATA,
        scan=consent_scan(),
        ip_address=None,
    )
    stored = _path(record.scan.name)

    with django_capture_on_commit_callbacks(execute=True) as deletions, pytest.raises(Refused):
        _then_fail(lambda: user_erase(user=person, actor=None))
    assert deletions == []
    record.refresh_from_db()
    assert _path(record.scan.name) == stored
    assert stored.exists()

    person.refresh_from_db()
    assert person.erased_at is None
    with django_capture_on_commit_callbacks(execute=True) as deletions:
        user_erase(user=person, actor=None)
    assert deletions
    assert not stored.exists()


@pytest.mark.django_db
def test_outside_a_transaction_the_file_goes_when_the_deletion_commits(
    django_capture_on_commit_callbacks,
):
    name = private_storage().save("test/x.pdf", consent_scan())
    with django_capture_on_commit_callbacks(execute=False) as deletions:
        delete_from_storage(private_storage(), name)
        assert _path(name).exists()
    deletions[0]()
    assert not _path(name).exists()
    deletions[0]()  # a file already missing is not an error


@pytest.mark.django_db
def test_delete_private_files_counts_the_files_and_empties_the_fields(
    django_capture_on_commit_callbacks,
):
    help_request = taken_by_phone(UserFactory(is_coordinator=True))
    health = HealthInfo.objects.get(help_request=help_request)
    stored = _path(health.consent_scan.name)
    with django_capture_on_commit_callbacks(execute=True):
        assert delete_private_files(health) == 1
        assert not health.consent_scan
        assert stored.exists()  # until the commit
    assert not stored.exists()


# --- the one way -------------------------------------------------------------------------------


def _file_field_names() -> set[str]:
    return {
        field.name
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    }


def test_no_code_deletes_stored_files_another_way():
    """`FieldFile.delete()` and `storage.delete()` delete at once, before the transaction's
    outcome is known: every deletion goes through `core.files.delete_from_storage`."""
    fields = "|".join(sorted(_file_field_names()))
    forbidden = [
        re.compile(r"\.delete\(\s*save\s*="),
        re.compile(r"storage\w*(\(\))?\.delete\("),
        re.compile(rf"\.({fields})\.delete\("),
        re.compile(r"\bos\.(remove|unlink)\(|\.unlink\(|shutil\.rmtree\("),
    ]
    allowed = {ROOT / "dobry" / "core" / "files.py"}
    found = []
    for path in sorted((ROOT / "dobry").rglob("*.py")):
        if "tests" in path.parts or path in allowed:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if any(pattern.search(line) for pattern in forbidden):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
