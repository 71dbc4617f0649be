"""RSS 2.0 and Atom feeds of the city's news and of one organisation's, written by
`django.contrib.syndication`. Every link is absolute on the configured site address
(`core.site.absolute_url`): a feed reader is not on our site and must not build links from the `Host` header someone sent. The items
are the public feed's (`selectors.public_news`), so a feed never carries what the page
would not show."""

import mimetypes
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, SyndicationFeed
from django.utils.html import escape
from django.utils.translation import gettext as _

from dobry.communications import selectors
from dobry.communications.models import NewsItem
from dobry.communications.models.news import ORGANIZATION_KIND
from dobry.core import references
from dobry.core.documents import clean_text
from dobry.core.references import Link, Reference
from dobry.core.site import absolute_url, uid_domain
from dobry.core.typography import quoted


def _xml_text(value: Any) -> Any:
    """Text (and lists of texts) without what XML 1.0 forbids; anything else as it is."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list | tuple):
        return type(value)(_xml_text(item) for item in value)
    return value


class _XmlSafe:
    """A feed generator whose texts lose the characters XML 1.0 forbids: a control
    character stored before forms refused them (issue 11) made Django's XML writer raise,
    so the feed answered 500 for everyone."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(
            *(_xml_text(arg) for arg in args),
            **{name: _xml_text(value) for name, value in kwargs.items()},
        )

    def add_item(self, *args: Any, **kwargs: Any) -> None:
        super().add_item(  # type: ignore[misc]
            *(_xml_text(arg) for arg in args),
            **{name: _xml_text(value) for name, value in kwargs.items()},
        )


class XmlSafeRss(_XmlSafe, Rss201rev2Feed):
    pass


class XmlSafeAtom(_XmlSafe, Atom1Feed):
    pass


# Django's Feed is generic only for the type checker.
if TYPE_CHECKING:
    NewsFeed = Feed[NewsItem, Any]
else:
    NewsFeed = Feed


class CityNewsRss(NewsFeed):
    """The city's news: every published item, newest first."""

    feed_type: type[SyndicationFeed] = XmlSafeRss
    feed_name = "news:rss"
    _uid_domain = ""

    def get_feed(self, obj: Any, request: HttpRequest) -> SyndicationFeed:
        # Read once per feed, not once per item; the same for every request.
        self._uid_domain = uid_domain()
        return super().get_feed(obj, request)

    def title(self, obj: Any = None) -> str:
        return _("Новости: %(site)s") % {"site": settings.DOBRY_SITE_NAME}

    def description(self, obj: Any = None) -> str:
        return _("Новости и анонсы ресурсного центра, администрации и организаций города.")

    def link(self, obj: Any = None) -> str:
        return absolute_url(reverse("news:list"))

    def feed_url(self, obj: Any = None) -> str:
        return absolute_url(reverse(self.feed_name))

    def items(self, obj: Any = None) -> list[NewsItem]:
        return list(selectors.public_news({})[: selectors.FEED_ITEMS])

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        # the body was sanitised when saved (`rich_text.sanitize`); the lead is plain text
        return f"<p>{escape(item.lead)}</p>{item.body}"

    def item_link(self, item: NewsItem) -> str:
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item: NewsItem) -> str:
        # Not the link: an id that changes with the site's address makes readers show every
        # item again (`core.site.uid_domain`, kept from the first `migrate`).
        return f"tag:{self._uid_domain},2024:news-{item.pk}"

    def item_guid_is_permalink(self, item: NewsItem) -> bool:
        return False

    def item_pubdate(self, item: NewsItem) -> Any:
        return item.published_at

    def item_updateddate(self, item: NewsItem) -> Any:
        return max(item.updated_at, item.published_at or item.updated_at)

    def item_categories(self, item: NewsItem) -> list[str]:
        return [tag.name for tag in item.tags.all()]

    def item_enclosures(self, item: NewsItem) -> list[Enclosure]:
        if not item.cover:
            return []
        try:
            size = item.cover.size
        except OSError:  # a cover whose file is gone is no reason to fail the whole feed
            return []
        mime_type = mimetypes.guess_type(item.cover.name or "")[0] or "image/png"
        return [Enclosure(absolute_url(item.cover.url), str(size), mime_type)]


class CityNewsAtom(CityNewsRss):
    feed_type = XmlSafeAtom
    feed_name = "news:atom"

    def subtitle(self, obj: Any = None) -> str:
        return self.description(obj)


class OrganizationNewsRss(CityNewsRss):
    """One organisation's news: the public feed filtered by it."""

    feed_name = "news:organization_rss"

    def get_object(self, request: HttpRequest, pk: int) -> Link:
        link = references.resolve(Reference(ORGANIZATION_KIND, pk), AnonymousUser())
        if link is None:
            raise Http404
        return link

    def title(self, obj: Any = None) -> str:
        return _("Новости организации %(name)s") % {"name": quoted(obj.title)}

    def description(self, obj: Any = None) -> str:
        return _("Новости и анонсы организации %(name)s на сайте %(site)s.") % {
            "name": quoted(obj.title),
            "site": settings.DOBRY_SITE_NAME,
        }

    def link(self, obj: Any = None) -> str:
        return absolute_url(f"{reverse('news:list')}?organization={obj.pk}")

    def feed_url(self, obj: Any = None) -> str:
        return absolute_url(reverse(self.feed_name, args=[obj.pk]))

    def items(self, obj: Any = None) -> list[NewsItem]:
        return list(selectors.public_news({"organization": obj.pk})[: selectors.FEED_ITEMS])


class OrganizationNewsAtom(OrganizationNewsRss):
    feed_type = XmlSafeAtom
    feed_name = "news:organization_atom"

    def subtitle(self, obj: Any = None) -> str:
        return self.description(obj)
