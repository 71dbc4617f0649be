"""A funded project's public side by API: the project with the grantee's summary and
photos, residents' ratings (average, count, each score's count; rate, change, take back),
comments, reports of abuse and the organisers' moderation moves — the same permission
functions (`permissions.get_outcome_for_user`, `can_rate_project`, …) and services
(`services.outcomes`) as the project's page."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from dobry.accounts.auth import api_user, api_viewer
from dobry.api.auth import OPTIONAL_AUTH
from dobry.api.fields import Money, Pages
from dobry.api.moves import register_moves
from dobry.core.input_schema import InputSchema
from dobry.core.models import CommentStatus
from dobry.core.permissions import Actor
from dobry.core.text_limits import text_limit
from dobry.grants import permissions
from dobry.grants.api.access import require
from dobry.grants.models import (
    PROJECT_COMMENT_WORKFLOW,
    RATING_MAX,
    RATING_MIN,
    Agreement,
    ProjectComment,
    ProjectCommentReport,
    ProjectSummary,
)
from dobry.grants.outcome_views import COMMENT_PAGE
from dobry.grants.services import outcomes as services

router = Router()


class GrantProjectPhotoOut(Schema):
    id: int
    url: str
    alt: str = Field(description="what the photo shows, for those who do not see it")


class GrantProjectSummaryOut(Schema):
    text: str = Field(description="the grantee's summary of results; empty until written")
    updated_at: datetime | None
    photos: list[GrantProjectPhotoOut]


class GrantProjectRatingsOut(Schema):
    average: Decimal | None = Field(description="stars, to one decimal; null with no ratings")
    count: int
    counts: dict[int, int] = Field(description="stars (1…5) → how many residents gave them")
    mine: int | None = Field(description="the caller's own stars, if they rated")
    can_rate: bool
    reason: str = Field(description="why the caller may not rate, if not")


class GrantProjectOut(Schema):
    id: int
    competition_id: int
    title: str
    organization: str
    amount: Money
    starts_on: date
    ends_on: date
    status: Agreement.Status
    finished: bool = Field(description="agreement closed or final report accepted")
    summary: GrantProjectSummaryOut | None = Field(description="once finished")
    ratings: GrantProjectRatingsOut | None = Field(description="once finished")


class GrantProjectRateIn(InputSchema):
    score: int = Field(ge=RATING_MIN, le=RATING_MAX, description="stars, 1 (bad) … 5")


class GrantProjectSummaryIn(InputSchema):
    text: str = Field(min_length=1, max_length=text_limit(ProjectSummary, "text"))


class GrantProjectCommentOut(Schema):
    id: int
    project_id: int
    author: str | None
    text: str
    status: CommentStatus
    created_at: datetime

    @staticmethod
    def resolve_project_id(obj: ProjectComment) -> int:
        return obj.agreement_id

    @staticmethod
    def resolve_author(obj: ProjectComment) -> str | None:
        return obj.author.display_name if obj.author else None


class GrantProjectCommentReportOut(Schema):
    reason: str
    created_at: datetime


class GrantProjectReportedCommentOut(GrantProjectCommentOut):
    project_title: str
    reports: list[GrantProjectCommentReportOut] = Field(description="the residents' reasons")

    @staticmethod
    def resolve_project_title(obj: ProjectComment) -> str:
        return obj.agreement.application.title

    @staticmethod
    def resolve_reports(obj: ProjectComment) -> list[ProjectCommentReport]:
        return list(obj.reports.all())


class GrantProjectCommentIn(InputSchema):
    text: str = Field(min_length=1, max_length=text_limit(ProjectComment, "text"))


class GrantProjectCommentReportIn(InputSchema):
    reason: str = Field("", max_length=text_limit(ProjectCommentReport, "reason"))


def _summary(agreement: Agreement) -> dict[str, Any]:
    summary = ProjectSummary.objects.filter(agreement=agreement).first()
    return {
        "text": summary.text if summary else "",
        "updated_at": summary.updated_at if summary else None,
        "photos": [
            {"id": photo.pk, "url": photo.photo.url, "alt": photo.alt}
            for photo in agreement.photos.all()
        ],
    }


def _ratings(user: Actor, agreement: Agreement) -> dict[str, Any]:
    found = services.rating_summary(agreement)
    mine = None
    if getattr(user, "is_authenticated", False):
        mine = agreement.ratings.filter(author_id=user.pk).values_list("score", flat=True).first()
    allowed = permissions.can_rate_project(user, agreement)
    return {
        "average": found.average,
        "count": found.count,
        "counts": found.counts,
        "mine": mine,
        "can_rate": bool(allowed),
        "reason": "" if allowed else str(allowed.reason),
    }


def _project(user: Actor, agreement: Agreement) -> dict[str, Any]:
    application = agreement.application
    finished = permissions.is_finished(agreement)
    return {
        "id": agreement.pk,
        "competition_id": application.competition_id,
        "title": application.title,
        "organization": str(application.organization) if application.organization_id else "",
        "amount": agreement.amount,
        "starts_on": agreement.starts_on,
        "ends_on": agreement.ends_on,
        "status": agreement.status,
        "finished": finished,
        "summary": _summary(agreement) if finished else None,
        "ratings": _ratings(user, agreement) if finished else None,
    }


@router.get(
    "/grant-projects/{int:pk}",
    response=GrantProjectOut,
    auth=OPTIONAL_AUTH,
    summary="A funded project's public page: summary, photos and residents' ratings",
)
def project_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    user = api_viewer(request)
    return _project(user, permissions.get_outcome_for_user(user, pk))


@router.get(
    "/grant-projects/{int:pk}/ratings",
    response=GrantProjectRatingsOut,
    auth=OPTIONAL_AUTH,
    summary="Residents' ratings of a finished project: average, count, count of each score",
)
def project_ratings(request: HttpRequest, pk: int) -> dict[str, Any]:
    user = api_viewer(request)
    agreement = permissions.get_outcome_for_user(user, pk)
    return _ratings(user, agreement)


@router.put(
    "/grant-projects/{int:pk}/rating",
    response=GrantProjectRatingsOut,
    summary="Rate a finished project 1–5 stars, or change my rating (one per account)",
)
def project_rate(request: HttpRequest, pk: int, payload: GrantProjectRateIn) -> dict[str, Any]:
    user = api_user(request)
    agreement = permissions.get_outcome_for_user(user, pk)
    services.project_rate(actor=user, agreement=agreement, score=payload.score)
    return _ratings(user, agreement)


@router.delete(
    "/grant-projects/{int:pk}/rating",
    response=GrantProjectRatingsOut,
    summary="Take back my rating of a project",
)
def project_unrate(request: HttpRequest, pk: int) -> dict[str, Any]:
    user = api_user(request)
    agreement = permissions.get_outcome_for_user(user, pk)
    services.project_unrate(actor=user, agreement=agreement)
    return _ratings(user, agreement)


@router.put(
    "/grant-projects/{int:pk}/summary",
    response=GrantProjectSummaryOut,
    summary="Write the public summary of results (the grantee, with the final report or after)",
)
def project_summary(
    request: HttpRequest, pk: int, payload: GrantProjectSummaryIn
) -> dict[str, Any]:
    user = api_user(request)
    agreement = permissions.get_outcome_for_user(user, pk)
    services.project_summary_save(actor=user, agreement=agreement, text=payload.text)
    return _summary(agreement)


@router.post(
    "/grant-projects/{int:pk}/photos",
    response={201: GrantProjectPhotoOut},
    summary="Add a photo of the results with what it shows (multipart: `photo`, `alt`; "
    "the grantee, on a signed or closed agreement; 12 at most)",
)
def project_photo_add(
    request: HttpRequest, pk: int, photo: File[UploadedFile], alt: Form[str]
) -> Status[dict[str, Any]]:
    user = api_user(request)
    agreement = permissions.get_outcome_for_user(user, pk)
    added = services.project_photo_add(actor=user, agreement=agreement, upload=photo, alt=alt)
    return Status(201, {"id": added.pk, "url": added.photo.url, "alt": added.alt})


@router.delete(
    "/grant-project-photos/{int:pk}",
    response={204: None},
    summary="Remove a photo of the results, its file too (the grantee)",
)
def project_photo_delete(request: HttpRequest, pk: int) -> Status[None]:
    user = api_user(request)
    photo = permissions.get_project_photo_for_user(user, pk)
    services.project_photo_delete(actor=user, photo=photo)
    return Status(204, None)


@router.get(
    "/grant-projects/{int:pk}/comments",
    response=list[GrantProjectCommentOut],
    auth=OPTIONAL_AUTH,
    summary="A project's comments (hidden ones to its moderators only)",
)
@paginate(Pages, page_size=COMMENT_PAGE)
def project_comments(request: HttpRequest, pk: int) -> object:
    user = api_viewer(request)
    agreement = permissions.get_outcome_for_user(user, pk)
    return permissions.visible_project_comments(user, agreement).select_related("author")


@router.post(
    "/grant-projects/{int:pk}/comments",
    response={201: GrantProjectCommentOut},
    summary="Comment on a finished project",
)
def project_comment_add(
    request: HttpRequest, pk: int, payload: GrantProjectCommentIn
) -> Status[ProjectComment]:
    user = api_user(request)
    agreement = permissions.get_outcome_for_user(user, pk)
    comment = services.project_comment_add(actor=user, agreement=agreement, text=payload.text)
    return Status(201, comment)


@router.post(
    "/grant-project-comments/{int:pk}/report",
    response={201: GrantProjectCommentOut},
    summary="Report a comment as abusive (to the organisers' queue)",
)
def project_comment_report(
    request: HttpRequest, pk: int, payload: GrantProjectCommentReportIn
) -> Status[ProjectComment]:
    user = api_user(request)
    comment = permissions.get_project_comment_for_user(user, pk)
    services.project_comment_report(actor=user, comment=comment, reason=payload.reason)
    comment.refresh_from_db()
    return Status(201, comment)


@router.get(
    "/grant-project-comments/reported",
    response=list[GrantProjectReportedCommentOut],
    summary="Reported comments to keep or hide: the organisers' desk (the longest waiting first)",
)
@paginate(Pages, page_size=COMMENT_PAGE)
def reported_project_comments(request: HttpRequest) -> object:
    user = api_user(request)
    require(permissions.can_moderate_projects(user))
    return permissions.reported_project_comments(user)


def _move_comment(request: HttpRequest, pk: int, name: str) -> ProjectComment:
    user = api_user(request)
    comment = permissions.get_project_comment_for_user(user, pk)
    return services.project_comment_move(actor=user, comment=comment, name=name)


register_moves(
    router,
    "/grant-project-comments/{int:pk}",
    PROJECT_COMMENT_WORKFLOW,
    _move_comment,
    noun="grant_project_comment",
    response=GrantProjectCommentOut,
    summaries={
        "keep": "Keep a reported comment (organisers; its reports are cleared)",
        "hide": "Hide a comment (organisers)",
        "restore": "Show a hidden comment again (organisers)",
    },
)
