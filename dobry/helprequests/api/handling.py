"""Working a request through: moves along the workflow, the helper's report, closing it with
the hours, the rating by the person who asked and the invitation to volunteer."""

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from dobry.accounts.auth import api_user
from dobry.api.fields import Amount, Day
from dobry.core.input_schema import InputSchema
from dobry.core.text_limits import text_limit
from dobry.helprequests import permissions
from dobry.helprequests.api.schemas import RequestOut, handler, request_out
from dobry.helprequests.models import HelpReport, HelpRequest
from dobry.helprequests.services import completion, workflow
from dobry.volunteering.services.hours import (
    HOURS_DECIMAL_PLACES,
    MAX_HOURS_PER_ENTRY,
    MIN_HOURS_PER_ENTRY,
)

router = Router()


class TransitionIn(InputSchema):
    to: HelpRequest.Status
    reason: str = Field("", max_length=text_limit(HelpRequest, "reason"))


class ReportIn(InputSchema):
    text: str = Field(min_length=1, max_length=4000)
    hours: Amount = Field(
        ge=MIN_HOURS_PER_ENTRY,
        le=MAX_HOURS_PER_ENTRY,
        decimal_places=HOURS_DECIMAL_PLACES,
        description="as the report form: ¼ to 24, in hundredths",
    )
    day: Day | None = Field(
        None, description="the city's day the help was given (today if not sent)"
    )


class ReportOut(Schema):
    id: int
    request_id: int
    volunteer_id: int
    text: str
    hours: Decimal
    day: date


class FeedbackIn(InputSchema):
    rating: int = Field(ge=1, le=5)
    feedback: str = Field("", max_length=2000)


@router.post(
    "/help-requests/{int:pk}/transition",
    response=RequestOut,
    summary="Set a status by hand: a coordinator any manual move; programme staff «waiting» "
    "or «matching» (hands it back). Offered, assigned, in progress and done come from "
    "offers, answers, reports and /complete (403 here)",
)
def transition(request: HttpRequest, pk: int, payload: TransitionIn) -> dict:
    user, help_request = handler(request, pk)
    return request_out(
        user,
        workflow.request_move(
            actor=user, help_request=help_request, to=payload.to, reason=payload.reason
        ),
    )


@router.post(
    "/help-requests/{int:pk}/report",
    response={201: ReportOut},
    summary="Report what was done and the hours (the accepted volunteer)",
)
def report(request: HttpRequest, pk: int, payload: ReportIn) -> Status[HelpReport]:
    user = api_user(request)
    help_request = permissions.get_request_for_user(user, pk)
    return Status(
        201,
        completion.help_report(
            volunteer=user,
            help_request=help_request,
            text=payload.text,
            hours=payload.hours,
            day=payload.day,
        ),
    )


@router.post(
    "/help-requests/{int:pk}/complete",
    response=RequestOut,
    summary="Close as done; hours go to the record books (coordinator or programme staff)",
)
def complete(request: HttpRequest, pk: int) -> dict:
    user, help_request = handler(request, pk)
    return request_out(user, completion.request_complete(actor=user, help_request=help_request))


@router.post(
    "/help-requests/{int:pk}/feedback",
    response=RequestOut,
    summary="Rate the help once it is done (the requester; a later rating replaces the earlier)",
)
def feedback(request: HttpRequest, pk: int, payload: FeedbackIn) -> dict:
    user = api_user(request)
    help_request = permissions.get_request_for_user(user, pk)
    return request_out(
        user,
        completion.request_feedback(
            user=user, help_request=help_request, rating=payload.rating, feedback=payload.feedback
        ),
    )


@router.post(
    "/help-requests/{int:pk}/invite",
    response={204: None},
    summary="Invite the person helped to volunteer (coordinator or programme staff)",
)
def invite(request: HttpRequest, pk: int) -> Status[None]:
    user, help_request = handler(request, pk)
    completion.recipient_invite(actor=user, help_request=help_request)
    return Status(204, None)
