"""The lists that pages and the API share: notifications, and news."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from dobry.accounts.models import User
from dobry.communications import permissions
from dobry.communications.kinds import kinds_received_by
from dobry.communications.models import (
    NewsItem,
    NewsItemQuerySet,
    NewsTag,
    Notification,
    NotificationPreference,
)
from dobry.communications.models.news import ORGANIZATION_KIND
from dobry.core import references
from dobry.core.permissions import Actor
from dobry.core.references import Reference


def notifications_for(user: User, *, unread: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first; only the unread ones when `unread`."""
    notifications = Notification.objects.filter(user=user)
    if unread:
        notifications = notifications.unread()
    return notifications.order_by("-created_at", "-id")


@dataclass(frozen=True)
class Preference:
    """One kind of notification and whether the user gets it by email and by Telegram too
    (the in-app notification is always made)."""

    kind: str
    label: str
    email: bool
    email_by_default: bool
    telegram: bool = False


def notification_preferences(user: User) -> list[Preference]:
    """Every kind the user's roles receive (`kinds.kinds_received_by`: no coordinators' kinds
    for a volunteer) with their choice, or the kind's default where they made none
    (Telegram: off), in the order of their labels — the preferences page and its API."""
    saved = {
        kind: (email, telegram)
        for kind, email, telegram in NotificationPreference.objects.filter(user=user).values_list(
            "kind", "email", "telegram"
        )
    }
    preferences = [
        Preference(
            kind=kind.key,
            label=str(kind.label),
            email=saved.get(kind.key, (kind.email_by_default, False))[0],
            email_by_default=kind.email_by_default,
            telegram=saved.get(kind.key, (kind.email_by_default, False))[1],
        )
        for kind in kinds_received_by(user)
    ]
    return sorted(preferences, key=lambda preference: preference.label)


# --- news ---------------------------------------------------------------------------------

# Items on a page of the public feed and of the desk; on the home page; on an
# organisation's page; in a feed (RSS, Atom).
NEWS_PAGE = 20
HOME_NEWS = 3
ORGANIZATION_PAGE_NEWS = 3
FEED_ITEMS = 30


def public_news(data: Mapping[str, Any]) -> NewsItemQuerySet:
    """Published items, newest first, with the public feed's filters — for the feed page,
    the API, the home page, the organisation's page and the RSS/Atom feeds alike.

    `data` keys (all optional): q (words), tag (a tag's slug), organization (an
    organisation's id), kind (`NewsItem.Kind`)."""
    items = NewsItem.objects.published().search(data.get("q") or "")
    if data.get("tag"):
        items = items.filter(tags__slug=data["tag"])
    if data.get("organization"):
        items = items.of_organization(int(data["organization"]))
    if data.get("kind"):
        items = items.filter(kind=data["kind"])
    return items.for_list().newest_first()


def news_desk(user: Actor, *, status: str = "") -> QuerySet[NewsItem]:
    """The items whose side `user` is on (`permissions.editable_news`), one status or all,
    the latest changed first: the authors' and moderators' desk."""
    items = permissions.editable_news(user)
    if status:
        items = items.filter(status=status)
    return items.prefetch_related("tags").order_by("-updated_at", "-pk")


def news_tags_in_use() -> QuerySet[NewsTag]:
    """The tags of published items: the feed's tag filter offers these."""
    # a test per tag that stops at its first published item; a join and DISTINCT read every
    # published item's tags (a region's 30,000 items) on each visit
    published = NewsItem.tags.through.objects.filter(
        newstag=OuterRef("pk"), newsitem__status=NewsItem.Status.PUBLISHED
    )
    return NewsTag.objects.filter(Exists(published)).order_by("name", "pk")


def news_organization(pk: int, user: Actor) -> tuple[int, str] | None:
    """(id, name) of the organisation `pk` if it published items `user` may see and `user`
    may see it, else None (two queries): the feed's organisation filter, chosen by a link
    from the organisation's page; a select of every publisher would list thousands at a
    region's scale."""
    published = (
        NewsItem.objects.published()
        .filter(organization_kind=ORGANIZATION_KIND, organization_pk=pk)
        .exists()
    )
    link = references.resolve(Reference(ORGANIZATION_KIND, pk), user) if published else None
    return (link.pk, link.title) if link is not None else None


def organization_news(organization_pk: int, user: Actor) -> dict[str, Any] | None:
    """The organisation page's «Новости»: its latest published items exactly as the feed
    filtered by it shows them (the same selector), whether there are more, and whether
    `user` may write one (`None` when there is nothing to show or offer)."""
    latest = references.attach(
        public_news({"organization": organization_pk})[: ORGANIZATION_PAGE_NEWS + 1],
        "organization",
        user,
    )
    may_write = bool(user.is_authenticated) and (
        permissions.is_city_author(user) or permissions.writes_for(user, organization_pk)
    )
    if not latest and not may_write:
        return None
    return {
        "items": latest[:ORGANIZATION_PAGE_NEWS],
        "more": len(latest) > ORGANIZATION_PAGE_NEWS,
        "organization_pk": organization_pk,
        "may_write": may_write,
    }
