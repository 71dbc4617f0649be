"""The expert's own work: declaring a conflict of interest, a review scored and
submitted, a late recusal, and the other experts' reviews once one's own is in."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from pydantic import StringConstraints

from dobry.accounts.auth import api_user
from dobry.api.fields import Pages
from dobry.core.input_schema import InputSchema
from dobry.core.text_limits import text_limit
from dobry.grants import permissions, results, selectors
from dobry.grants.api.access import require
from dobry.grants.models import Review
from dobry.grants.services import reviews
from dobry.grants.services.reviews import COMMENT_LIMIT

router = Router()


class ConflictIn(InputSchema):
    conflict: bool
    reason: str = Field("", max_length=text_limit(Review, "conflict_reason"))


class RecusalIn(InputSchema):
    reason: str = Field("", max_length=text_limit(Review, "conflict_reason"))


class ReviewOut(Schema):
    id: int
    application_id: int
    competition_id: int
    status: str
    declared: bool
    for_divergence: bool
    due_at: datetime = Field(
        description="when the review is due: the competition's review deadline, or a "
        "replacement's own (set when assigned after that deadline)"
    )
    scores: dict[str, int]
    comments: dict[str, str]
    comment: str
    total: Decimal | None
    submitted_at: datetime | None

    @staticmethod
    def resolve_competition_id(obj: Review) -> int:
        return obj.application.competition_id

    @staticmethod
    def resolve_declared(obj: Review) -> bool:
        return obj.declared_at is not None


class OtherReviewOut(Schema):
    expert: str | None
    status: str
    scores: dict[str, int]
    comments: dict[str, str]
    comment: str
    total: Decimal | None


# a criterion's id as a key of scores and comments
CriterionKey = Annotated[str, StringConstraints(max_length=20)]


class ReviewIn(InputSchema):
    scores: dict[CriterionKey, int | None] = Field(
        default_factory=dict, description="by criterion id"
    )
    comments: dict[CriterionKey, Annotated[str, StringConstraints(max_length=COMMENT_LIMIT)]] = (
        Field(default_factory=dict, description="by criterion id")
    )
    comment: str = Field("", max_length=text_limit(Review, "comment"))
    submit: bool = False


@router.post(
    "/applications/{int:pk}/conflicts",
    response=ReviewOut,
    summary="The assigned expert declares a conflict of interest (or that there is none)",
)
def conflict_declare(request: HttpRequest, pk: int, payload: ConflictIn) -> Review:
    user = api_user(request)
    application = permissions.get_application_for_user(user, pk)
    return reviews.conflict_declare(
        user=user,
        application=application,
        conflict=payload.conflict,
        reason=payload.reason,
    )


@router.post(
    "/reviews/{int:pk}/recusal",
    response=ReviewOut,
    summary="Set a review aside for a conflict of interest found late (the expert or staff)",
)
def review_recuse(request: HttpRequest, pk: int, payload: RecusalIn) -> Review:
    review = get_object_or_404(Review, pk=pk)
    return reviews.review_recuse(actor=api_user(request), review=review, reason=payload.reason)


@router.get(
    "/me/reviews",
    response=list[ReviewOut],
    summary="My reviews as an expert, in the order of «Мои экспертизы»",
)
@paginate(Pages, page_size=selectors.MY_REVIEWS_PAGE)
def my_reviews(request: HttpRequest) -> Any:
    return selectors.my_reviews(api_user(request))


def _own_review(request: HttpRequest, pk: int) -> Review:
    return permissions.get_review_for_user(api_user(request), pk)


@router.get("/reviews/{int:pk}", response=ReviewOut, summary="My review")
def review_detail(request: HttpRequest, pk: int) -> Review:
    return _own_review(request, pk)


@router.put("/reviews/{int:pk}", response=ReviewOut, summary="Score (and submit) my review")
def review_save(request: HttpRequest, pk: int, payload: ReviewIn) -> Review:
    return reviews.review_save(
        user=api_user(request),
        review=_own_review(request, pk),
        scores=payload.scores,
        comments=payload.comments,
        comment=payload.comment,
        submit=payload.submit,
    )


@router.get(
    "/applications/{int:pk}/reviews",
    response=list[OtherReviewOut],
    summary="The submitted reviews of an application (organisers; an expert after submitting)",
)
def application_reviews(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    user = api_user(request)
    application = permissions.get_application_for_user(user, pk)
    require(permissions.can_see_reviews(user, application))
    return results.visible_reviews(user, application)
