"""News by API: the public feed and an item, the authors' desk, writing, the cover, and the
moves of moderation and publication — the same permission functions, selectors and
services as the news pages."""

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StringConstraints

from dobry.accounts.auth import api_user, api_viewer
from dobry.api.auth import OPTIONAL_AUTH
from dobry.api.fields import Id, Moment, Pages, SearchText, sent_fields
from dobry.api.moves import register_moves
from dobry.api.references import ReferenceIn, ReferenceOut, reference_out
from dobry.communications import permissions, selectors
from dobry.communications.models import NEWS_WORKFLOW, NewsItem
from dobry.communications.models.news import MAX_TAGS, TAG_LENGTH
from dobry.communications.news import services
from dobry.core import references
from dobry.core.errors import DomainError
from dobry.core.input_schema import InputSchema
from dobry.core.page_cache import public_page
from dobry.core.site import absolute_url
from dobry.core.text_limits import text_limit

router = Router(tags=["news"])

Tag = Annotated[str, StringConstraints(min_length=1, max_length=TAG_LENGTH)]
TagSlug = Annotated[str, StringConstraints(max_length=60, pattern=r"^[-\w]+$")]


def _limit(name: str) -> int:
    return text_limit(NewsItem, name)


class NewsOut(Schema):
    id: int
    kind: NewsItem.Kind
    publisher: NewsItem.Publisher
    title: str
    lead: str
    body: str = Field(description="sanitised HTML: paragraphs, lists, links, h2–h4, emphasis")
    cover_url: str | None = Field(description="the cover's absolute URL")
    cover_alt: str
    tags: list[str]
    organization: ReferenceOut | None
    subject: ReferenceOut | None = Field(
        description="what it is about: an event, a competition, a campaign"
    )
    status: NewsItem.Status
    publish_at: datetime | None
    published_at: datetime | None
    updated_at: datetime
    url: str

    @staticmethod
    def resolve_cover_url(obj: NewsItem) -> str | None:
        return absolute_url(obj.cover.url) if obj.cover else None

    @staticmethod
    def resolve_tags(obj: NewsItem) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_organization(obj: NewsItem) -> ReferenceOut | None:
        return reference_out(references.link_of(obj, "organization"))

    @staticmethod
    def resolve_subject(obj: NewsItem) -> ReferenceOut | None:
        return reference_out(references.link_of(obj, "subject"))

    @staticmethod
    def resolve_url(obj: NewsItem) -> str:
        return obj.get_absolute_url()


class NewsDetailOut(NewsOut):
    return_reason: str = Field(description="what to fix, after a return (its editors only)")
    moves: list[str] = Field(
        description="what the caller may do with it now: submit, withdraw, publish, "
        "schedule, return, unpublish, redraft"
    )
    can_edit: bool

    @staticmethod
    def resolve_return_reason(obj: NewsItem) -> str:
        return obj.return_reason if getattr(obj, "can_edit", False) else ""


class NewsFilters(Schema):
    q: SearchText | None = None
    tag: TagSlug | None = Field(None, description="a tag's slug (only tags of published items)")
    organization: Id | None = Field(None, description="an organisation that published news")
    kind: NewsItem.Kind | None = None


class DeskFilters(Schema):
    status: NewsItem.Status | None = None


class NewsIn(InputSchema):
    kind: NewsItem.Kind = NewsItem.Kind.NEWS
    title: str = Field(min_length=1, max_length=_limit("title"))
    lead: str = Field(min_length=1, max_length=_limit("lead"))
    body: str = Field("", max_length=_limit("body"), description="HTML; sanitised when saved")
    cover_alt: str = Field("", max_length=_limit("cover_alt"))
    publish_at: Moment | None = Field(
        None, description="when to publish (a «schedule» move); without an offset, city time"
    )
    organization: Id | None = Field(
        None, description="for whom (an organisation's editor: required) or about whom"
    )
    subject: ReferenceIn | None = None
    tags: list[Tag] = Field([], max_length=MAX_TAGS)


class NewsPatch(InputSchema):
    kind: NewsItem.Kind | None = None
    title: str | None = Field(None, min_length=1, max_length=_limit("title"))
    lead: str | None = Field(None, min_length=1, max_length=_limit("lead"))
    body: str | None = Field(None, max_length=_limit("body"))
    cover_alt: str | None = Field(None, max_length=_limit("cover_alt"))
    publish_at: Moment | None = None
    organization: Id | None = None
    subject: ReferenceIn | None = None
    tags: list[Tag] | None = Field(None, max_length=MAX_TAGS)


class ReasonIn(InputSchema):
    reason: str = Field(min_length=1, max_length=_limit("return_reason"))


CoverAlt = Annotated[str, StringConstraints(min_length=1, max_length=300)]


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    if data.get("subject") is not None:
        data["subject"] = ReferenceIn(**data["subject"]).reference()
    return data


def _detail(item: NewsItem, request: HttpRequest) -> NewsItem:
    """The item with what its caller sees of its links and may do with it."""
    user = api_viewer(request)
    references.attach([item], "organization", user)
    references.attach([item], "subject", user)
    item.can_edit = permissions.can_edit_news(user, item).allowed  # type: ignore[attr-defined]
    item.moves = [move.name for move in permissions.news_moves(user, item)]  # type: ignore[attr-defined]
    return item


def _known_filters(filters: NewsFilters, request: HttpRequest) -> dict[str, Any]:
    """The filters as the page's form takes them: a tag or an organisation the feed does not
    offer is a 422 naming it, never a silently empty list."""
    data = filters.dict(exclude_none=True)
    if "tag" in data and not selectors.news_tags_in_use().filter(slug=data["tag"]).exists():
        raise DomainError(
            _("Проверьте фильтры."), field_errors={"tag": [_("Нет такой метки в ленте.")]}
        )
    if (
        "organization" in data
        and selectors.news_organization(data["organization"], api_viewer(request)) is None
    ):
        raise DomainError(
            _("Проверьте фильтры."),
            field_errors={"organization": [_("Нет такого объекта в списке.")]},
        )
    return data


@router.get(
    "/news",
    response=list[NewsOut],
    auth=OPTIONAL_AUTH,
    summary="The public feed: published news, newest first",
)
@decorate_view(public_page)
@paginate(Pages, page_size=selectors.NEWS_PAGE, links=["organization", "subject"])
def list_news(request: HttpRequest, filters: Query[NewsFilters]) -> object:
    return selectors.public_news(_known_filters(filters, request))


@router.get(
    "/news/desk",
    response=list[NewsOut],
    summary="The items whose side I am on (authors, moderators), latest changed first",
)
@paginate(Pages, page_size=selectors.NEWS_PAGE, links=["organization", "subject"])
def news_desk(request: HttpRequest, filters: Query[DeskFilters]) -> object:
    return selectors.news_desk(api_user(request), status=filters.status or "")


@router.get(
    "/news/{int:pk}",
    response=NewsDetailOut,
    auth=OPTIONAL_AUTH,
    summary="A news item (unpublished ones to their editors and coordinators only)",
)
def get_news(request: HttpRequest, pk: int) -> NewsItem:
    item = permissions.get_news_for_user(api_viewer(request), pk)
    return _detail(item, request)


@router.post("/news", response={201: NewsDetailOut}, summary="Write a news item (a draft)")
def create_news(request: HttpRequest, payload: NewsIn) -> Status[NewsItem]:
    item = services.news_create(author=api_user(request), fields=_fields(payload.dict()))
    return Status(201, _detail(item, request))


@router.patch("/news/{int:pk}", response=NewsDetailOut, summary="Edit a news item")
def update_news(request: HttpRequest, pk: int, payload: NewsPatch) -> NewsItem:
    user = api_user(request)
    item = permissions.get_news_for_user(user, pk, action="edit")
    fields = _fields(sent_fields(payload, nullable={"publish_at", "organization", "subject"}))
    services.news_update(actor=user, item=item, fields=fields)
    return _detail(item, request)


@router.post(
    "/news/{int:pk}/cover",
    response=NewsDetailOut,
    summary="Set the cover: a PNG, JPEG or WebP picture and what it shows (multipart)",
)
def set_news_cover(
    request: HttpRequest, pk: int, cover: File[UploadedFile], cover_alt: Form[CoverAlt]
) -> NewsItem:
    user = api_user(request)
    item = permissions.get_news_for_user(user, pk, action="edit")
    services.news_update(actor=user, item=item, fields={"cover_alt": cover_alt}, cover=cover)
    return _detail(item, request)


@router.delete("/news/{int:pk}/cover", response=NewsDetailOut, summary="Remove the cover")
def remove_news_cover(request: HttpRequest, pk: int) -> NewsItem:
    user = api_user(request)
    item = permissions.get_news_for_user(user, pk, action="edit")
    services.news_update(actor=user, item=item, fields={}, remove_cover=True)
    return _detail(item, request)


def _move_news(request: HttpRequest, pk: int, move: str, reason: str = "") -> NewsItem:
    user = api_user(request)
    item = permissions.get_news_for_user(user, pk)
    services.news_move(actor=user, item=item, move=move, reason=reason)
    return _detail(item, request)


# The buttons of an item's page, one operation each: `POST /news/{pk}/<move>` (operation id
# `dobry_communications_news_api_<move>_news`); only «return» takes a body, its reason.
register_moves(
    router,
    "/news/{int:pk}",
    NEWS_WORKFLOW,
    _move_news,
    noun="news",
    response=NewsDetailOut,
    reason_in=ReasonIn,
    summaries={
        "submit": "Send an organisation's item to moderation (its editors)",
        "withdraw": "Take an item back from moderation to drafts (its editors)",
        "publish": "Publish now (the city's authors; a coordinator after moderation)",
        "schedule": "Publish at its `publish_at` (a time in the future)",
        "return": "Return an item on moderation to its authors with what to fix (coordinator)",
        "unpublish": "Take a published or scheduled item down",
        "redraft": "Bring a taken-down item back to drafts",
    },
)
