"""Consultations a person asked. On erasure the questions they asked for themselves stay
for the resource centre's records and the support registry (topic, dates, status), without
the person: the subject and every message of the thread (the consultant's answers too —
they are about the person) are removed with their files. What the person wrote in a role
for others stays, without their values: a consultant's answers in residents' threads (the
residents' record), and a question asked for an organisation (its record: its other members
and the consultant carry on with it). Summaries and support entries lose the person's
values."""

from typing import Any

from dobry.accounts import personal_data
from dobry.accounts.models import User
from dobry.communications.services import notification_emails_refresh
from dobry.core.erasure import Traces, scrub_rows
from dobry.core.files import delete_stored_file
from dobry.resources.models import (
    Consultation,
    ConsultationMessage,
    LibraryFile,
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
        }
        for c in Consultation.objects.filter(asker=user).prefetch_related("messages")
    ]


ERASED = "—"


def _erase(user: User) -> None:
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


personal_data.register("consultations", export=_export, erase=_erase, copies=_copies)
