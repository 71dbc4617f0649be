"""The day's batch: the coordinator confirms a plan of offers for every open request."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.core.audit import log_action
from dobry.core.errors import DomainError, InvalidTransition
from dobry.helprequests import permissions, selectors
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.services.offering import offer_make


@dataclass
class BatchResult:
    """What the day's batch did: offers sent, and the requests left in the queue with why."""

    sent: int = 0
    skipped: list[tuple[HelpRequest, str]] = field(default_factory=list)


def offers_batch_send(*, actor: User, plan: Mapping[int, Sequence[int]]) -> BatchResult:
    """Send a batch plan (request id → volunteer ids; the day's comes from
    `selectors.day_plan` through `batch_plan_confirm`) in one transaction. A request that changed since the plan
    was drawn (taken, closed, a volunteer no longer eligible) is left in the queue and
    reported with the reason — its own offers roll back to a savepoint, the others stand.
    Only coordinators send a batch (PermissionDenied)."""
    if not permissions.is_coordinator(actor):
        raise PermissionDenied
    result = BatchResult()
    with transaction.atomic():
        requests = HelpRequest.objects.in_bulk(list(plan))
        people = User.objects.in_bulk([v for volunteers in plan.values() for v in volunteers])
        for request_id, volunteer_ids in plan.items():
            help_request = requests.get(request_id)
            if help_request is None:
                continue
            volunteers = [people[v] for v in volunteer_ids if v in people]
            try:
                offers = offer_make(actor=actor, help_request=help_request, volunteers=volunteers)
            except DomainError as error:
                result.skipped.append((help_request, error.message))
            else:
                result.sent += len(offers)
        log_action(
            actor=actor,
            action="helprequest.batch",
            obj=actor,
            data={"sent": result.sent, "skipped": [r.pk for r, _reason in result.skipped]},
        )
    return result


def batch_plan_confirm(*, actor: User, day: date, key: str) -> BatchResult:
    """Confirm the day's batch plan the coordinator reviewed, named by its `key`
    (`selectors.day_plan`): the plan is drawn again and sent only if it is still the same
    one — a request, a volunteer's load or availability that changed since would otherwise
    send offers nobody saw. A changed plan is refused (InvalidTransition, nothing sent)."""
    if not (decision := permissions.can_plan_batch(actor)):
        raise PermissionDenied(decision.reason)
    current = selectors.day_plan(day)
    if current.key != key:
        raise InvalidTransition(
            _(
                "План на этот день изменился, пока вы его смотрели: проверьте новый "
                "и подтвердите снова."
            )
        )
    return offers_batch_send(actor=actor, plan=current.plan)
