"""Rich text that people type into news: sanitised once, when saved, by `nh3` (the Rust
`ammonia` sanitiser), with an allow-list rather than a deny-list.

What may stay: paragraphs and line breaks, lists, links (http, https, mailto, and links
within the site), headings h2–h4 (the page's h1 is the title), emphasis, quotations.
Everything else goes: `<script>` and `<style>` with their content, every attribute but a
link's `href` and `title` (so no `on*` handlers, no `style`, no `class`), `javascript:` and
`data:` URLs, comments. Every link gets `rel="nofollow noopener"`: the city's site lends no
search ranking to links people type, and an opened page cannot reach back into ours.

Images: news carry none in their text (the cover is their picture). Wherever sanitised HTML
may hold an `<img>` (a mailing's body, `mailings.compose.safe_html`), it is shown only from
the site itself (`own_image_filter`): an image from elsewhere is a tracking pixel — the
reader's mail client would tell a stranger's server who opened the letter and when (issue
11). One rule for all the HTML people type: no external images.

The stored text is what pages show (`|safe` after this and only this function), what the
API returns and what the feeds carry.
"""

import html
import re

import nh3
from django.utils.html import linebreaks, urlize

from dobry.core.site import site_origin

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "ul",
        "ol",
        "li",
        "a",
        "h2",
        "h3",
        "h4",
        "strong",
        "em",
        "b",
        "i",
        "blockquote",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"
# Removed with everything inside them, not just the tags.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "noscript"})
# A text with no tag at all was typed as plain text.
MARKUP = re.compile(r"<[a-zA-Z/!]")


def sanitize(text: str) -> str:
    """The fragment of HTML `text` with only the allowed tags, attributes and URLs. Text
    typed without any markup becomes paragraphs (a blank line between them, a line break
    within), its addresses links — most people do not write HTML."""
    if not MARKUP.search(text):
        text = urlize(linebreaks(text, autoescape=True))
    return nh3.clean(
        text,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


def own_image_filter(element: str, attribute: str, value: str) -> str | None:
    """An `nh3.clean` attribute filter: an `<img>`'s `src` stays only when it is an address
    on the site itself (`core.site.site_origin`); any other attribute is kept as it is."""
    if element == "img" and attribute == "src":
        return value if value.startswith(site_origin() + "/") else None
    return value


def plain_text(text: str) -> str:
    """The words of a fragment without any markup (for search and plain-text channels)."""
    # a space where each tag was, so «<h2>Итоги</h2><p>Спасибо» reads as two words
    spaced = text.replace("<", " <")
    words = nh3.clean(spaced, tags=set(), clean_content_tags=set(DROPPED_WITH_CONTENT))
    return " ".join(html.unescape(words).split())
