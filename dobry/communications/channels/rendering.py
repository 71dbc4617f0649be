"""A news item as each channel shows it. VK: plain text — the title, the lead, then the
one link to the item on the site. Telegram: HTML — the title in bold, the lead and the
text, then the link; with a cover it is a photo whose caption holds 1,024 characters, else
a message of 4,096. What does not fit is cut at a word with «…»; the title and the link
always stay.

An event (`ChannelItem`, kept on the post when it was proposed) reads the same way: its
title, when (the city's local time) and where, its summary, then the link."""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

import nh3
from django.utils.translation import gettext as _

from dobry.communications.models import ChannelPost, NewsItem
from dobry.communications.rich_text import DROPPED_WITH_CONTENT
from dobry.communications.telegram.bot import CAPTION_LIMIT, TEXT_LIMIT
from dobry.core.site import absolute_url

# VK takes about 16,000 characters; a community post reads best short.
VK_LIMIT = 4000
ELLIPSIS = "…"


@dataclass(frozen=True)
class ChannelItem:
    """What a post of an object other than a news item shows, as plain text made by the
    app that owns the object: `when` already in the city's local time («5 декабря,
    10:00–14:00»), `url` and `photo_url` absolute."""

    title: str
    url: str
    lead: str = ""
    when: str = ""
    place: str = ""
    photo_url: str = ""

    def as_json(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @classmethod
    def from_json(cls, data: dict[str, str]) -> "ChannelItem":
        return cls(**{name: str(data.get(name, "")) for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Rendered:
    text: str
    link: str
    photo_url: str = ""


def telegram_length(text: str) -> int:
    """Telegram counts UTF-16 code units; the markup counted too keeps us on the safe side."""
    return len(text.encode("utf-16-le")) // 2


def cut_at_word(whole: str, fits: Callable[[str], bool]) -> str:
    """The longest start of `whole`, ending at a word with «…», for which `fits` holds;
    all of it if it fits, "" if not even a word does."""
    if fits(whole):
        return whole
    low, high = 0, len(whole)
    while low < high:  # the longest prefix that fits, by halves
        middle = (low + high + 1) // 2
        if fits(whole[:middle] + ELLIPSIS):
            low = middle
        else:
            high = middle - 1
    prefix = whole[:low]
    if low < len(whole) and not whole[low].isspace() and " " in prefix.strip():
        prefix = prefix.rstrip().rsplit(maxsplit=1)[0]
    prefix = prefix.rstrip(" ,.;:—-\n")
    return prefix + ELLIPSIS if prefix else ""


def fitting(
    build: Callable[[str], str], limit: int, measure: Callable[[str], int]
) -> Callable[[str], bool]:
    """Whether the post built around a middle part stays within the limit."""
    return lambda middle: measure(build(middle)) <= limit


# Where a block of the stored rich text starts or ends: a line break in the plain text.
BLOCK = re.compile(r"<(?:/?(?:p|h2|h3|h4|blockquote|ul|ol)|br\s*/?)\b[^>]*>", re.IGNORECASE)
ITEM = re.compile(r"<li\b[^>]*>", re.IGNORECASE)


def readable_text(fragment: str) -> str:
    """The sanitised rich text as plain lines: a paragraph, a heading, a list item each on
    its own line («• » before an item), inline markup dropped without a gap."""
    marked = ITEM.sub("\n• ", BLOCK.sub("\n", fragment))
    text = html.unescape(
        nh3.clean(marked, tags=set(), clean_content_tags=set(DROPPED_WITH_CONTENT))
    )
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _story(item: NewsItem) -> str:
    body = readable_text(item.body).strip()
    return f"{item.lead.strip()}\n\n{body}".strip() if body else item.lead.strip()


def render_vk(item: NewsItem) -> Rendered:
    link = absolute_url(item.get_absolute_url())
    title = item.title.strip()

    def build(middle: str) -> str:
        return f"{title}\n\n{middle}\n\n{link}" if middle else f"{title}\n\n{link}"

    middle = cut_at_word(item.lead.strip(), fitting(build, VK_LIMIT, len))
    return Rendered(text=build(middle), link=link)


def render_telegram(item: NewsItem) -> Rendered:
    link = absolute_url(item.get_absolute_url())
    photo = absolute_url(item.cover.url) if item.cover else ""
    limit = CAPTION_LIMIT if photo else TEXT_LIMIT
    head = f"<b>{escape(item.title.strip())}</b>"
    label = escape(_("Читать на сайте"))
    tail = f'<a href="{escape(link)}">{label}</a>'

    def build(middle: str) -> str:
        return f"{head}\n\n{escape(middle)}\n\n{tail}" if middle else f"{head}\n\n{tail}"

    middle = cut_at_word(_story(item), fitting(build, limit, telegram_length))
    return Rendered(text=build(middle), link=link, photo_url=photo)


def render(channel: str, item: NewsItem) -> Rendered:
    if channel == ChannelPost.Channel.TELEGRAM:
        return render_telegram(item)
    return render_vk(item)


def _facts(item: ChannelItem) -> str:
    """«Когда: …» and «Где: …», a line each, for the lines that are known."""
    lines = []
    if item.when:
        lines.append(_("Когда: %(when)s") % {"when": item.when})
    if item.place:
        lines.append(_("Где: %(place)s") % {"place": item.place})
    return "\n".join(lines)


def render_item_vk(item: ChannelItem) -> Rendered:
    head = "\n\n".join(part for part in (item.title.strip(), _facts(item)) if part)

    def build(middle: str) -> str:
        return "\n\n".join(part for part in (head, middle, item.url) if part)

    middle = cut_at_word(item.lead.strip(), fitting(build, VK_LIMIT, len))
    return Rendered(text=build(middle), link=item.url)


def render_item_telegram(item: ChannelItem) -> Rendered:
    limit = CAPTION_LIMIT if item.photo_url else TEXT_LIMIT
    facts = escape(_facts(item))
    head = "\n\n".join(part for part in (f"<b>{escape(item.title.strip())}</b>", facts) if part)
    tail = f'<a href="{escape(item.url)}">{escape(_("Подробнее на сайте"))}</a>'

    def build(middle: str) -> str:
        return "\n\n".join(part for part in (head, escape(middle), tail) if part)

    middle = cut_at_word(item.lead.strip(), fitting(build, limit, telegram_length))
    return Rendered(text=build(middle), link=item.url, photo_url=item.photo_url)


def render_post(post: ChannelPost) -> Rendered:
    """The post as its channel will show it: a news item's as the item is now, another
    object's from what was kept when it was proposed."""
    if post.news is not None:
        return render(post.channel, post.news)
    item = ChannelItem.from_json(post.item)
    if post.channel == ChannelPost.Channel.TELEGRAM:
        return render_item_telegram(item)
    return render_item_vk(item)
