"""Consultations a person asked. On erasure the questions stay for the resource centre's
records and the support registry, without the person; their messages' text is removed."""

from typing import Any

from dobry.accounts import personal_data
from dobry.accounts.models import User
from dobry.resources.models import Consultation, ConsultationMessage


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


def _erase(user: User) -> None:
    for message in ConsultationMessage.objects.filter(author=user):
        if message.attachment:
            message.attachment.delete(save=False)
    ConsultationMessage.objects.filter(author=user).update(
        text="—", attachment="", attachment_name=""
    )
    Consultation.objects.filter(asker=user).update(rating_comment="")


personal_data.register("consultations", export=_export, erase=_erase)
