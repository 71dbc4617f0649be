"""Residents and an initiative by API: support, follow, the team, comments and reports of
abuse, and the coordinators' moderation moves — the same permission functions, selectors
and services as the pages."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dobry.accounts.auth import api_user, api_viewer
from dobry.api.auth import OPTIONAL_AUTH
from dobry.api.fields import Pages
from dobry.api.moves import register_moves
from dobry.civic import permissions
from dobry.civic.api.initiatives import InitiativeDetailOut, initiative_detail
from dobry.civic.models import COMMENT_WORKFLOW, Comment, CommentReport, Initiative, TeamMember
from dobry.civic.selectors import COMMENT_PAGE
from dobry.civic.services import people
from dobry.core.input_schema import InputSchema
from dobry.core.models import CommentStatus
from dobry.core.text_limits import text_limit

router = Router(tags=["civic"])


class CommentOut(Schema):
    id: int
    initiative_id: int
    author: str | None
    text: str
    status: CommentStatus
    created_at: datetime

    @staticmethod
    def resolve_author(obj: Comment) -> str | None:
        return obj.author.display_name if obj.author else None


class CommentIn(InputSchema):
    text: str = Field(min_length=1, max_length=text_limit(Comment, "text"))


class CommentReportIn(InputSchema):
    reason: str = Field("", max_length=text_limit(CommentReport, "reason"))


class TeamIn(InputSchema):
    role: str = Field(min_length=1, max_length=text_limit(TeamMember, "role"))


def _initiative(request: HttpRequest, pk: int) -> Initiative:
    return permissions.get_initiative_for_user(api_user(request), pk)


@router.post(
    "/initiatives/{int:pk}/support",
    response={201: InitiativeDetailOut},
    summary="Support an initiative (once per account: 409 for a second)",
)
def support(request: HttpRequest, pk: int) -> Status[Initiative]:
    initiative = _initiative(request, pk)
    people.support_add(actor=api_user(request), initiative=initiative)
    initiative.refresh_from_db()  # the support may have reached the threshold
    return Status(201, initiative_detail(initiative, request))


@router.delete(
    "/initiatives/{int:pk}/support", response=InitiativeDetailOut, summary="Take my support back"
)
def unsupport(request: HttpRequest, pk: int) -> Initiative:
    initiative = _initiative(request, pk)
    people.support_remove(actor=api_user(request), initiative=initiative)
    return initiative_detail(initiative, request)


@router.post(
    "/initiatives/{int:pk}/follow",
    response=InitiativeDetailOut,
    summary="Follow an initiative's news (notifications)",
)
def follow(request: HttpRequest, pk: int) -> Initiative:
    initiative = _initiative(request, pk)
    people.follow_set(actor=api_user(request), initiative=initiative, follow=True)
    return initiative_detail(initiative, request)


@router.delete(
    "/initiatives/{int:pk}/follow", response=InitiativeDetailOut, summary="Stop following"
)
def unfollow(request: HttpRequest, pk: int) -> Initiative:
    initiative = _initiative(request, pk)
    people.follow_set(actor=api_user(request), initiative=initiative, follow=False)
    return initiative_detail(initiative, request)


@router.post(
    "/initiatives/{int:pk}/team",
    response=InitiativeDetailOut,
    summary="Join the team with a role (or change my role)",
)
def join_team(request: HttpRequest, pk: int, payload: TeamIn) -> Initiative:
    initiative = _initiative(request, pk)
    people.team_join(actor=api_user(request), initiative=initiative, role=payload.role)
    return initiative_detail(initiative, request)


@router.delete("/initiatives/{int:pk}/team", response=InitiativeDetailOut, summary="Leave")
def leave_team(request: HttpRequest, pk: int) -> Initiative:
    initiative = _initiative(request, pk)
    people.team_leave(actor=api_user(request), initiative=initiative)
    return initiative_detail(initiative, request)


@router.get(
    "/initiatives/{int:pk}/comments",
    response=list[CommentOut],
    auth=OPTIONAL_AUTH,
    summary="An initiative's comments (hidden ones to coordinators only)",
)
@paginate(Pages, page_size=COMMENT_PAGE)
def list_comments(request: HttpRequest, pk: int) -> object:
    user = api_viewer(request)
    initiative = permissions.get_initiative_for_user(user, pk)
    return permissions.visible_comments(user, initiative).select_related("author")


@router.post("/initiatives/{int:pk}/comments", response={201: CommentOut}, summary="Comment")
def add_comment(request: HttpRequest, pk: int, payload: CommentIn) -> Status[Comment]:
    initiative = _initiative(request, pk)
    comment = people.comment_add(actor=api_user(request), initiative=initiative, text=payload.text)
    return Status(201, comment)


@router.post(
    "/initiative-comments/{int:pk}/report",
    response={201: CommentOut},
    summary="Report a comment as abusive (to the coordinators' queue)",
)
def report_comment(request: HttpRequest, pk: int, payload: CommentReportIn) -> Status[Comment]:
    user = api_user(request)
    comment = permissions.get_comment_for_user(user, pk)
    people.comment_report(actor=user, comment=comment, reason=payload.reason)
    comment.refresh_from_db()
    return Status(201, comment)


def _move_comment(request: HttpRequest, pk: int, name: str) -> Comment:
    user = api_user(request)
    comment = permissions.get_comment_for_user(user, pk)
    return people.comment_move(actor=user, comment=comment, name=name)


register_moves(
    router,
    "/initiative-comments/{int:pk}",
    COMMENT_WORKFLOW,
    _move_comment,
    noun="initiative_comment",
    response=CommentOut,
    summaries={
        "keep": "Keep a reported comment (coordinators; its reports are cleared)",
        "hide": "Hide a comment (coordinators)",
        "restore": "Show a hidden comment again (coordinators)",
    },
)
