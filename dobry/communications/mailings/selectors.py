"""The mailings' lists and figures that pages and the API share."""

from typing import Any

from django.db.models import QuerySet

from dobry.communications.mailings import delivery
from dobry.communications.models import Delivery, Mailing

S = Delivery.State


def mailings() -> QuerySet[Mailing]:
    """Every mailing, newest first, with its segment (one query a page)."""
    return Mailing.objects.select_related("segment").order_by("-created_at", "-pk")


def progress(mailing: Mailing) -> dict[str, Any]:
    """The counts by state, the share done (in per cent) and the statistics: besides the
    states, the messages that bounced, were marked as spam, or whose link unsubscribed
    their recipient (`mailings.feedback`). One query."""
    found = delivery.counts(mailing)
    counts = {state: found[state] for state in S.values}
    total = sum(counts.values())
    done = counts[S.SENT] + counts[S.FAILED] + counts[S.SUPPRESSED]
    return {
        "counts": counts,
        "total": total,
        "done": done,
        "percent": round(100 * done / total) if total else 0,
        "stats": {
            "sent": counts[S.SENT],
            "failed": counts[S.FAILED],
            "suppressed": counts[S.SUPPRESSED],
            "bounced": found["bounced"],
            "complained": found["complained"],
            "unsubscribed": found["unsubscribed"],
        },
    }
