"""The coordinators' queue and triage (the queue page, the request page's «Разбор»)."""

from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from dobry.accounts.auth import api_user
from dobry.accounts.models import User
from dobry.api.fields import Id, Pages, nested
from dobry.core.input_schema import InputSchema
from dobry.helprequests import permissions, selectors
from dobry.helprequests.api.schemas import RequestOut, request_out
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.services import triage

router = Router()


class QueueFilters(Schema):
    status: HelpRequest.Status | None = Field(
        None, description="one status; without it the open requests (the page's first tab)"
    )


class QueueItemOut(Schema):
    id: int
    summary: str
    category: str
    status: HelpRequest.Status
    priority: HelpRequest.Priority
    district: str | None = nested("district.slug")
    programme_id: int | None
    programme: str | None
    possible_duplicate_of_id: int | None
    created_at: datetime
    waiting: Literal["ok", "warning", "danger"] = Field(
        description="how long it has waited against its urgency: `warning` past half of its "
        "time, `danger` past all of it"
    )

    @staticmethod
    def resolve_programme(obj: HelpRequest) -> str | None:
        return obj.programme.name if obj.programme else None

    @staticmethod
    def resolve_waiting(obj: HelpRequest, context: dict) -> str:
        return selectors.waiting_level(obj, context["request"].queue_now)


class PriorityIn(InputSchema):
    priority: HelpRequest.Priority = Field(description="0 normal, 1 urgent, 2 very urgent")


class RouteIn(InputSchema):
    programme: Id = Field(description="a running programme (GET /programmes)")


def _triage(request: HttpRequest, pk: int) -> tuple[User, HelpRequest]:
    user = api_user(request)
    return user, permissions.get_request_to_triage(user, pk)


@router.get(
    "/help-requests/queue",
    response=list[QueueItemOut],
    summary="The queue: open requests (or one status), most urgent and longest waiting first "
    "(coordinator)",
)
@paginate(Pages, page_size=30)
def triage_queue(request: HttpRequest, filters: Query[QueueFilters]) -> object:
    user = api_user(request)
    if not (decision := permissions.can_triage(user)):
        raise PermissionDenied(decision.reason)
    request.queue_now = timezone.now()  # type: ignore[attr-defined]
    return selectors.triage_queue(filters.status)


@router.post(
    "/help-requests/{int:pk}/priority",
    response=RequestOut,
    summary="Set how urgent a request is (coordinator)",
)
def set_priority(request: HttpRequest, pk: int, payload: PriorityIn) -> dict:
    user, help_request = _triage(request, pk)
    return request_out(
        user,
        triage.request_set_priority(
            actor=user, help_request=help_request, priority=payload.priority
        ),
    )


@router.post(
    "/help-requests/{int:pk}/route",
    response=RequestOut,
    summary="Hand a request to a running programme; a new or waiting one goes to matching "
    "(coordinator)",
)
def route(request: HttpRequest, pk: int, payload: RouteIn) -> dict:
    user, help_request = _triage(request, pk)
    programme = selectors.routable_programme(payload.programme)
    return request_out(
        user, triage.request_route(actor=user, help_request=help_request, programme=programme)
    )
