"""The queue of posts to the city's channels by API (coordinators): the list, a post, and
its moves — the same permission functions, selector and services as the queue's page."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from dobry.accounts.auth import api_user
from dobry.api.fields import Pages
from dobry.api.moves import register_moves
from dobry.communications import permissions
from dobry.communications.channels import selectors, services
from dobry.communications.models import CHANNEL_POST_WORKFLOW, ChannelPost
from dobry.core.errors import PermissionDenied

router = Router(tags=["channels"])


class ChannelPostOut(Schema):
    id: int
    news_id: int | None = Field(description="the news item posted (null: another object)")
    news_title: str = Field(description="the title of what is posted (a news item, an event)")
    subject_kind: str = Field(description="what else is posted (`event`), empty for news")
    subject_pk: int | None
    channel: ChannelPost.Channel
    status: ChannelPost.Status
    text: str = Field(description="what went to the channel (empty until it is posted)")
    remote_id: str = Field(description="the post's id in the channel (VK `-group_post`)")
    last_error: str
    attempts: int
    approved_at: datetime | None
    sent_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_news_title(obj: ChannelPost) -> str:
        return obj.headline


class ChannelQueueFilters(Schema):
    status: ChannelPost.Status | None = None
    channel: ChannelPost.Channel | None = None


def _manager(request: HttpRequest) -> object:
    user = api_user(request)
    decision = permissions.can_manage_channel_posts(user)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    return user


@router.get(
    "/channel-posts",
    response=list[ChannelPostOut],
    summary="The queue of posts to the city's channels, newest first (coordinators)",
)
@paginate(Pages, page_size=selectors.CHANNEL_POSTS_PAGE)
def list_channel_posts(request: HttpRequest, filters: Query[ChannelQueueFilters]) -> object:
    _manager(request)
    return selectors.channel_posts(**filters.dict(exclude_none=True))


@router.get("/channel-posts/{int:pk}", response=ChannelPostOut, summary="A post of the queue")
def get_channel_post(request: HttpRequest, pk: int) -> ChannelPost:
    return permissions.get_channel_post_for_user(api_user(request), pk)


def _move_channel_post(request: HttpRequest, pk: int, move: str) -> ChannelPost:
    user = api_user(request)
    post = permissions.get_channel_post_for_user(user, pk)
    return services.channel_post_move(actor=user, post=post, move=move)


# One operation per button of the queue page (every move of the workflow has one).
register_moves(
    router,
    "/channel-posts/{int:pk}",
    CHANNEL_POST_WORKFLOW,
    _move_channel_post,
    noun="channel_post",
    response=ChannelPostOut,
    summaries={
        "approve": "Approve a proposed post: the worker posts it (409 from another state)",
        "reject": "Reject a proposed post",
        "retry": "Queue a failed post again (check the channel first if it says Unknown)",
        "repropose": "Bring a rejected post back for approval",
    },
)
