"""The organisers' side of the expert review: the pool of experts, who reviews which
application, due times of replacements, and what the final allocation still waits for."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dobry.accounts.auth import api_user
from dobry.accounts.models import User
from dobry.api.fields import Day, Id, Pages
from dobry.core.input_schema import InputSchema
from dobry.core.text_limits import text_limit
from dobry.grants import permissions, selectors
from dobry.grants.api.access import application_for, competition_for, require
from dobry.grants.api.reviews import ReviewOut
from dobry.grants.models import Expert, Review
from dobry.grants.services import assignments

router = Router()


class ExpertIn(InputSchema):
    user: Id | None = None
    email: str | None = Field(
        None, max_length=text_limit(User, "email"), description="or the person's account email"
    )
    sector: Expert.Sector


class ExpertOut(Schema):
    id: int
    user_id: int
    name: str
    sector: str
    is_active: bool
    load: int = 0

    @staticmethod
    def resolve_name(obj: Expert) -> str:
        return obj.user.display_name


class AssignmentOut(Schema):
    """An expert's review of an application as the organisers follow it (no scores)."""

    id: int
    application_id: int
    number: str
    expert_id: int
    expert: str
    status: str
    for_divergence: bool
    due_at: datetime = Field(description="when the review is due (its own due time)")
    overdue: bool = Field(description="still unsubmitted at its due time")

    @staticmethod
    def resolve_number(obj: Review) -> str:
        return obj.application.number

    @staticmethod
    def resolve_expert(obj: Review) -> str:
        return obj.expert.user.display_name

    @staticmethod
    def resolve_overdue(obj: Review) -> bool:
        return obj.overdue()


class AssignmentIn(InputSchema):
    expert: Id
    due_on: Day | None = Field(
        None,
        description="after the competition's review deadline: the last day (city time) the "
        "replacement has; default: a few working days on. Refused before the deadline.",
    )


class DueIn(InputSchema):
    due_on: Day = Field(description="the last day (city time) the review has")


class WaitingApplicationOut(Schema):
    id: int
    number: str
    title: str


class FinalAllocationWaitOut(Schema):
    ready: bool = Field(description="the final allocation can be run")
    reviews: list[AssignmentOut] = Field(
        description="reviews assigned and not yet submitted, replacements' included"
    )
    needs_expert: list[WaitingApplicationOut] = Field(
        description="admitted applications short of experts, or due one more for diverging totals"
    )


@router.get(
    "/competitions/{int:pk}/experts",
    response=list[ExpertOut],
    summary="The pool, with loads, in the order the experts joined (organisers)",
)
@paginate(Pages, page_size=selectors.EXPERTS_PAGE)
def expert_list(request: HttpRequest, pk: int) -> Any:
    return selectors.expert_pool(competition_for(request, pk, action="manage"))


@router.post(
    "/competitions/{int:pk}/experts", response={201: ExpertOut}, summary="Add an expert to the pool"
)
def expert_add(request: HttpRequest, pk: int, payload: ExpertIn) -> Status[Expert]:
    competition = competition_for(request, pk, action="manage")
    if payload.user:
        person = get_object_or_404(User, pk=payload.user, is_active=True)
    else:
        person = get_object_or_404(
            User, email__iexact=(payload.email or "").strip(), is_active=True
        )
    expert = assignments.expert_add(
        actor=api_user(request), competition=competition, user=person, sector=payload.sector
    )
    return Status(201, expert)


@router.post(
    "/competitions/{int:pk}/assign",
    response=list[ReviewOut],
    summary="Assign experts to every admitted application (balanced, conflicts respected)",
)
def assign(request: HttpRequest, pk: int) -> list[Review]:
    competition = competition_for(request, pk, action="manage")
    return assignments.assign_experts(actor=api_user(request), competition=competition)


@router.post(
    "/applications/{int:pk}/experts",
    response={201: AssignmentOut},
    summary="Put a particular expert on an application (after the review deadline: a "
    "replacement with its own due day)",
)
def review_assign(request: HttpRequest, pk: int, payload: AssignmentIn) -> Status[Review]:
    application = application_for(request, pk)
    require(permissions.can_manage(api_user(request), application.competition))
    expert = get_object_or_404(Expert, pk=payload.expert, competition=application.competition)
    review = assignments.review_assign(
        actor=api_user(request), application=application, expert=expert, due_on=payload.due_on
    )
    return Status(201, review)


@router.put(
    "/reviews/{int:pk}/due",
    response=AssignmentOut,
    summary="A new due day for an unsubmitted review, after the review deadline (organisers)",
)
def review_reschedule(request: HttpRequest, pk: int, payload: DueIn) -> Review:
    review = get_object_or_404(
        Review.objects.select_related("application__competition", "expert__user"), pk=pk
    )
    competition_for(request, review.application.competition_id, action="manage")
    return assignments.review_reschedule(
        actor=api_user(request), review=review, due_on=payload.due_on
    )


@router.get(
    "/competitions/{int:pk}/final-allocation/wait",
    response=FinalAllocationWaitOut,
    summary="What the final allocation waits for: outstanding reviews with their due "
    "times, applications short of an expert (organisers)",
)
def final_allocation_wait(request: HttpRequest, pk: int) -> dict[str, Any]:
    competition = competition_for(request, pk, action="manage")
    wait = selectors.final_allocation_wait(competition)
    return {"ready": wait.ready, "reviews": wait.reviews, "needs_expert": wait.needs_expert}
