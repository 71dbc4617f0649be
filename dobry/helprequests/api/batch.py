"""The day's batch plan: read it with its key, confirm it (coordinators)."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema

from dobry.accounts.auth import api_user
from dobry.accounts.models import User
from dobry.api.fields import Day
from dobry.core.clock import local_today
from dobry.core.input_schema import InputSchema
from dobry.helprequests import permissions, selectors
from dobry.helprequests.api.offers import CandidateOut
from dobry.helprequests.services import batches

router = Router()


class BatchRequestOut(Schema):
    request_id: int
    summary: str
    priority: int
    wanted_from: datetime | None
    matches: list[CandidateOut] = Field(
        description="proposed volunteers with the ranking's score and reasons; empty: "
        "nobody suitable and free is left, the request stays in the queue"
    )


class BatchPlanOut(Schema):
    day: date
    key: str = Field(description="names this plan: confirm with it")
    requests: list[BatchRequestOut]


class BatchConfirmIn(InputSchema):
    day: Day
    key: str = Field(min_length=1, max_length=64, description="the key of the plan read")


class BatchSkippedOut(Schema):
    request_id: int
    reason: str


class BatchResultOut(Schema):
    sent: int
    skipped: list[BatchSkippedOut]


def _plan_out(plan: selectors.DayPlan) -> dict:
    return {
        "day": plan.day,
        "key": plan.key,
        "requests": [
            {
                "request_id": row.help_request.pk,
                "summary": row.help_request.summary,
                "priority": row.help_request.priority,
                "wanted_from": row.help_request.wanted_from,
                "matches": [
                    {
                        "volunteer_id": match.volunteer.pk,
                        "name": match.volunteer.display_name,
                        "score": match.score,
                        "reasons": match.reasons,
                    }
                    for match in row.matches
                ],
            }
            for row in plan.rows
        ],
    }


def _batch_planner(request: HttpRequest) -> User:
    user = api_user(request)
    if not (decision := permissions.can_plan_batch(user)):
        raise PermissionDenied(decision.reason)
    return user


@router.get(
    "/help-requests/batch",
    response=BatchPlanOut,
    summary="The day's batch plan: who is proposed for each open request, and why (coordinator)",
)
def batch_plan(request: HttpRequest, day: Day | None = None) -> dict:
    _batch_planner(request)
    return _plan_out(selectors.day_plan(day or local_today()))


@router.post(
    "/help-requests/batch/confirm",
    response=BatchResultOut,
    summary="Confirm the day's batch plan read with its key: the offers are sent "
    "(coordinator; 409 if the plan has changed since)",
)
def batch_confirm(request: HttpRequest, payload: BatchConfirmIn) -> dict:
    result = batches.batch_plan_confirm(
        actor=_batch_planner(request), day=payload.day, key=payload.key
    )
    return {
        "sent": result.sent,
        "skipped": [
            {"request_id": help_request.pk, "reason": reason}
            for help_request, reason in result.skipped
        ],
    }
