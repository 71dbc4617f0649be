"""Consultations a person asked. On erasure the questions they asked for themselves stay
for the resource centre's records and the support registry (topic, dates, status), without
the person: the subject and every message of the thread (the consultant's answers too —
they are about the person) are removed with their files. What the person wrote in a role
for others stays, without their values: a consultant's answers in residents' threads (the
residents' record), and a question asked for an organisation (its record: its other members
and the consultant carry on with it). Summaries and support entries lose the person's
values, in any case ending; so do the questions and answers published from them."""

from typing import Any

from dobry.accounts import personal_data
from dobry.accounts.models import User
from dobry.communications.services import notification_emails_refresh
from dobry.core.erasure import REDACTED, Traces, scrub_rows
from dobry.core.files import delete_stored_file
from dobry.core.public_text import known_names_redacted
from dobry.resources.models import (
    Consultation,
    ConsultationMessage,
    GroupMember,
    GroupTask,
    LibraryFile,
    LibraryItem,
    RoomBooking,
    SupportRecord,
)


def _export(user: User) -> list[dict[str, Any]]:
    return [
        {
            "subject": c.subject,
            "topic": c.topic,
            "status": c.status,
            "created_at": c.created_at.isoformat(),
            "messages": [m.text for m in c.messages.all() if m.author_id == user.pk],
            "summary": c.summary,
            "closed_at": c.closed_at.isoformat() if c.closed_at else None,
        }
        for c in Consultation.objects.filter(asker=user).prefetch_related("messages")
    ]


def _export_bookings(user: User) -> list[dict[str, Any]]:
    return [
        {
            "room": str(b.room),
            "organization": str(b.organization) if b.organization_id else None,
            "starts_at": b.starts_at.isoformat(),
            "ends_at": b.ends_at.isoformat(),
            "purpose": b.purpose,
            "status": b.status,
            "reason": b.reason,
            "created_at": b.created_at.isoformat(),
        }
        for b in RoomBooking.objects.filter(booked_by=user).select_related("room", "organization")
    ]


def _export_groups(user: User) -> dict[str, list[dict[str, Any]]]:
    return {
        "memberships": [
            {
                "group": m.group.title,
                "role": m.role,
                "organization": str(m.organization) if m.organization_id else None,
            }
            for m in GroupMember.objects.filter(user=user).select_related("group", "organization")
        ],
        "tasks": [
            {
                "task": t.title,
                "due_on": t.due_on.isoformat(),
                "done_at": t.done_at.isoformat() if t.done_at else None,
            }
            for t in GroupTask.objects.filter(owner=user)
        ],
    }


def _export_support(user: User) -> list[dict[str, Any]]:
    """The support the resource centre recorded giving the person (the registry of support
    given to socially oriented NGOs and their people)."""
    return [
        {
            "kind": r.kind,
            "date": r.date.isoformat(),
            "description": r.description,
            "organization": str(r.organization) if r.organization_id else None,
            "giver": r.giver,
            "giver_name": r.giver_name,
        }
        for r in SupportRecord.objects.filter(person=user).select_related("organization")
    ]


ERASED = "—"


def _names(user: User) -> list[str]:
    return [n for n in (user.first_name, user.last_name, user.middle_name) if n]


def _erase_names(user: User) -> None:
    """Summaries kept for the records, and questions and answers published from the
    person's consultations, lose the person's name in any case ending («Объяснили Марии»):
    the exact traces `_copies` replaces would miss it."""
    names = _names(user)
    for consultation in Consultation.objects.filter(asker=user).exclude(summary=""):
        summary = known_names_redacted(consultation.summary, names, REDACTED)
        if summary != consultation.summary:
            Consultation.objects.filter(pk=consultation.pk).update(summary=summary)
    for item in LibraryItem.objects.filter(consultation__asker=user):
        fields = {
            name: known_names_redacted(getattr(item, name), names, REDACTED)
            for name in LibraryItem.SEARCH_FIELDS
        }
        if any(getattr(item, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(item, name, value)
            item.save(update_fields=[*fields, "search_text", "updated_at"])


def _erase(user: User) -> None:
    _erase_names(user)
    threads = Consultation.objects.filter(asker=user, organization__isnull=True)
    messages = ConsultationMessage.objects.filter(consultation__in=threads)
    for message in messages.exclude(attachment=""):
        delete_stored_file(message.attachment)
    erased = [*threads, *messages]
    messages.update(text=ERASED, attachment="", attachment_name="")
    threads.update(subject=ERASED, rating_comment="")
    # The emails sent about them (a coordinator told «Новый вопрос: …») quoted them.
    notification_emails_refresh(objects=erased)


def _copies(traces: Traces) -> None:
    scrub_rows(Consultation.objects.all(), ["subject", "summary", "rating_comment"], traces)
    scrub_rows(ConsultationMessage.objects.all(), ["text", "attachment_name"], traces)
    scrub_rows(SupportRecord.objects.all(), ["description", "giver_name"], traces)
    scrub_rows(RoomBooking.objects.all(), ["purpose", "reason"], traces)
    scrub_rows(LibraryFile.objects.all(), ["original_name"], traces)
    # Questions and answers published from consultations (edited, checked, yet copies).
    scrub_rows(LibraryItem.objects.all(), list(LibraryItem.SEARCH_FIELDS), traces)


personal_data.register(
    "consultations",
    export=_export,
    erase=_erase,
    copies=_copies,
    covers={
        "resources.Consultation.asker": "consultations",
        # the person's messages in their own questions (answers in others' are not theirs)
        "resources.ConsultationMessage.author": "consultations",
    },
)
personal_data.register(
    "room_bookings",
    export=_export_bookings,
    covers={"resources.RoomBooking.booked_by": "room_bookings"},
)
personal_data.register(
    "project_groups",
    export=_export_groups,
    covers={
        "resources.GroupMember.user": "project_groups.memberships",
        "resources.ProjectGroup.members": "project_groups.memberships",
        "resources.GroupTask.owner": "project_groups.tasks",
    },
)
personal_data.register(
    "support_received",
    export=_export_support,
    covers={"resources.SupportRecord.person": "support_received"},
)
personal_data.not_personal(
    {
        "resources.Consultation.consultant": "a consultant's work on another person's question "
        "(in the asker's export); it is in the consultant's actions",
        "resources.ProjectGroup.created_by": "the group is its members' (each member's export "
        "lists it); creating it is in the creator's actions",
        "resources.LibraryItem.created_by": "a publication of the library, the centre's or an "
        "organisation's; publishing it is in the author's actions",
        "resources.LibraryFile.uploaded_by": "a file of a library publication; uploading it is "
        "in the uploader's actions",
        "resources.SupportRecord.created_by": "a coordinator's work: the support given is the "
        "recipient's (in their export); recording it is in the coordinator's actions",
    }
)
