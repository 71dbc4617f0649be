"""A move of many rows at once (`Workflow.move_rows`): one UPDATE, only from the states the
move starts from, and the audit entry of each row the single move would write."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dobry.core.errors import DomainError
from dobry.core.models import AuditEntry
from dobry.organizations.models import INVITATION_WORKFLOW, Invitation
from dobry.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
I = Invitation.Status  # noqa: E741


@pytest.fixture
def invitations():
    organization = OrganizationFactory()
    return [
        Invitation.objects.create(organization=organization, email=f"{n}@example.org", status=s)
        for n, s in enumerate([I.PENDING, I.PENDING, I.ACCEPTED, I.REVOKED])
    ]


def test_only_rows_the_move_starts_from_move_in_one_update(invitations, coordinator):
    with CaptureQueriesContext(connection) as queries:
        moved = INVITATION_WORKFLOW.move_rows(
            Invitation.objects.select_related("organization"),
            "revoke",
            actor=coordinator,
            action="invitation.revoke",
        )
    assert sorted(row.pk for row in moved) == [invitations[0].pk, invitations[1].pk]
    assert all(row.status == I.REVOKED for row in moved)
    statuses = dict(Invitation.objects.values_list("pk", "status"))
    assert [statuses[i.pk] for i in invitations] == [I.REVOKED, I.REVOKED, I.ACCEPTED, I.REVOKED]
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    assert len(queries.captured_queries) <= 5  # select, update, one insert (+ savepoint)


def test_each_moved_row_gets_its_audit_entry(invitations, coordinator):
    INVITATION_WORKFLOW.move_rows(
        Invitation.objects.all(),
        "revoke",
        actor=coordinator,
        action="invitation.revoke",
        reason="дубль",
    )
    entries = AuditEntry.objects.filter(action="invitation.revoke").order_by("object_id")
    assert [(e.object_id, e.actor, e.data) for e in entries] == [
        (str(i.pk), coordinator, {"from": I.PENDING, "to": I.REVOKED, "reason": "дубль"})
        for i in sorted(invitations[:2], key=lambda i: str(i.pk))
    ]


def test_nothing_to_move_writes_nothing(invitations, coordinator):
    before = AuditEntry.objects.count()
    assert (
        INVITATION_WORKFLOW.move_rows(
            Invitation.objects.filter(status=I.ACCEPTED),
            "revoke",
            actor=coordinator,
            action="invitation.revoke",
        )
        == []
    )
    assert AuditEntry.objects.count() == before


def test_an_unknown_move_is_refused(invitations, coordinator):
    with pytest.raises(DomainError, match="Неизвестное действие"):
        INVITATION_WORKFLOW.move_rows(
            Invitation.objects.all(), "forged", actor=coordinator, action="invitation.revoke"
        )


def test_the_audit_entry_can_be_the_one_the_single_move_writes(invitations, coordinator):
    INVITATION_WORKFLOW.move_rows(
        Invitation.objects.select_related("organization"),
        "revoke",
        actor=coordinator,
        action="invitation.revoke",
        audit=lambda invitation: (invitation.organization, {"email": invitation.email}),
    )
    entries = AuditEntry.objects.filter(action="invitation.revoke")
    assert sorted((e.object_type, e.data["email"]) for e in entries) == [
        ("organizations.organization", "0@example.org"),
        ("organizations.organization", "1@example.org"),
    ]
