"""The coordinators' reminders of the resource centre's public answer to an initiative
that reached the support threshold (docs/civic.md): once when the answer is due within
`REMIND_DAYS_BEFORE` days, once more the first day it is overdue — each claimed by a
conditional UPDATE in the transaction that writes the notification, so two schedulers
running side by side never send one twice."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from dobry.accounts.models import User
from dobry.civic import notifications as kinds
from dobry.civic.models import Initiative
from dobry.communications.services import notify
from dobry.core.clock import local_date

# «Ответить до» is a city's local date; the reminder comes on that day or up to three
# days before it.
REMIND_DAYS_BEFORE = 3


def remind_responses(*, now: datetime | None = None) -> int:
    """Remind the active coordinators of answers due soon and tell them of answers
    overdue, each initiative once for each; an answered initiative is left alone.
    `now` is an aware datetime (UTC) for tests. Returns how many notices were sent."""
    moment = now or timezone.now()
    today = local_date(moment)
    waiting = Initiative.objects.awaiting_response()
    due_soon = waiting.filter(
        response_due__gte=today,
        response_due__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
        response_reminded_at__isnull=True,
    )
    overdue = waiting.filter(response_due__lt=today, response_overdue_noted_at__isnull=True)
    sent = 0
    for column, initiatives, late in (
        ("response_reminded_at", due_soon, False),
        ("response_overdue_noted_at", overdue, True),
    ):
        for initiative in initiatives.order_by("response_due", "pk"):
            with transaction.atomic():
                if _claim(initiative, column, moment):
                    _notify(initiative, late=late)
                    sent += 1
    return sent


def _claim(initiative: Initiative, column: str, moment: datetime) -> bool:
    """Mark the notice sent unless another run has: the row's UPDATE waits for a running
    one's transaction and then finds the column set."""
    unsent = Initiative.objects.filter(pk=initiative.pk, **{f"{column}__isnull": True})
    return unsent.update(**{column: moment}) == 1


def _notify(initiative: Initiative, *, late: bool) -> None:
    notify(
        kinds.INITIATIVE_RESPONSE_DUE,
        User.objects.filter(is_active=True, is_coordinator=True),
        {"initiative": initiative, "due": initiative.response_due, "late": late},
        url=initiative.get_absolute_url(),
    )
