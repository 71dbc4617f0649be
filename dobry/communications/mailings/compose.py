"""What a mailing says: safe HTML, the starting templates, an events digest, and the
message as every recipient gets it (the same body; the headers are per recipient)."""

from dataclasses import dataclass
from datetime import timedelta

import nh3
from django.apps import apps
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from dobry.communications.models import Mailing, NewsItem
from dobry.communications.rich_text import own_image_filter
from dobry.core.clock import local_time
from dobry.core.errors import DomainError
from dobry.core.site import absolute_url, site_origin

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "a", "ul", "ol", "li", "h2", "h3",
    "blockquote", "hr", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}}


def safe_html(html: str) -> str:
    """The HTML a mailing may carry: text formatting, links and images of the site itself
    (`rich_text.own_image_filter`: an external image, a tracking pixel, loses its address);
    no scripts, styles, event handlers or forms (nh3, the Rust ammonia sanitiser)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=own_image_filter,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


@dataclass(frozen=True)
class Template:
    key: str
    label: str | Promise
    subject: str | Promise
    body: str | Promise


TEMPLATES: dict[str, Template] = {
    t.key: t
    for t in (
        Template("blank", _("Пустое письмо"), "", ""),
        Template(
            "announcement",
            _("Анонс"),
            _("Приглашаем: "),
            _("Здравствуйте!\n\nПриглашаем вас …\n\nКогда: …\nГде: …\n\nДо встречи!"),
        ),
        Template(
            "digest",
            _("Дайджест событий"),
            _("События ближайших двух недель"),
            _("Здравствуйте! Вот что ждёт вас в ближайшие две недели.\n\n{events}"),
        ),
    )
}


EVENTS_DAYS_MAX = 90


def _upcoming(days: int, limit: int) -> list[tuple[str, str, str]]:
    """(local moment, title, absolute link) of the published events of verified
    organisations starting in the next `days`."""
    event_model = apps.get_model("events", "Event")
    now = timezone.now()
    events = (
        event_model.objects.public()
        .filter(starts_at__gte=now, starts_at__lte=now + timedelta(days=days))
        .order_by("starts_at", "pk")[:limit]
    )
    return [
        (
            local_time(event.starts_at).strftime("%d.%m %H:%M"),
            event.title,
            absolute_url(event.get_absolute_url()),
        )
        for event in events
        if event.starts_at is not None  # filtered out above; a draft may be undated
    ]


def events_digest(days: int = 14, limit: int = 20) -> str:
    """The published events of verified organisations starting in the next `days`, one
    line each with its link: text to insert into a mailing."""
    return "\n".join(
        f"• {moment} — {title}\n  {link}" for moment, title, link in _upcoming(days, limit)
    )


def events_digest_html(days: int, limit: int = 20) -> str:
    """The same as a list for the HTML part (every title escaped); "" with no events."""
    items = format_html_join(
        "",
        '<li>{} — <a href="{}">{}</a></li>',
        ((m, link, t) for m, t, link in _upcoming(days, limit)),
    )
    return format_html("<ul>{}</ul>", items) if items else ""


@dataclass(frozen=True)
class Insert:
    """What staff chose to insert into a mailing when composing it: a published news item
    and/or the events of the next `events_days` days."""

    news: NewsItem | None = None  # a published one (`published_news`)
    events_days: int | None = None

    def text(self) -> str:
        parts = []
        if self.news is not None:
            news = self.news
            link = absolute_url(news.get_absolute_url())
            parts.append("\n".join(p for p in (news.title, news.lead, link) if p))
        if self.events_days:
            parts.append(events_digest(self.events_days) or str(_("Событий пока нет.")))
        return "\n\n".join(parts)

    def html(self) -> str:
        parts: list[str] = []
        if self.news is not None:
            news = self.news
            parts.append(
                format_html(
                    '<h2>{}</h2>{}<p><a href="{}">{}</a></p>',
                    news.title,
                    format_html("<p>{}</p>", news.lead) if news.lead else "",
                    absolute_url(news.get_absolute_url()),
                    _("Читать на сайте"),
                )
            )
        if self.events_days:
            parts.append(
                events_digest_html(self.events_days)
                or format_html("<p>{}</p>", _("Событий пока нет."))
            )
        return "".join(parts)


def published_news(pk: int | None) -> NewsItem | None:
    """The published news item to insert, None for none; a draft, an unpublished or a
    missing one is refused naming the field."""
    if pk is None:
        return None
    news = NewsItem.objects.published().filter(pk=pk).first()
    if news is None:
        message = str(_("Выберите опубликованную новость."))
        raise DomainError(message, field_errors={"news_id": [message]})
    return news


def with_insert(body_text: str, body_html: str, insert: Insert) -> tuple[str, str]:
    """The bodies with the insert at their end: the text always, the HTML part when the
    mailing has one (sanitised again by `mailing_save` with the rest)."""
    text = insert.text()
    if not text:
        return body_text, body_html
    body_text = f"{body_text.rstrip()}\n\n{text}"
    if body_html.strip():
        body_html = body_html + insert.html()
    return body_text, body_html


def template_body(key: str) -> tuple[str, str]:
    """The subject and text a new mailing starts from; the digest has its events in."""
    template = TEMPLATES.get(key, TEMPLATES["blank"])
    body = str(template.body)
    if "{events}" in body:
        body = body.replace("{events}", events_digest() or str(_("Событий пока нет.")))
    return str(template.subject), body


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(mailing: Mailing) -> Rendered:
    """The message every recipient of the mailing gets: the text and the safe HTML, each
    with the footer that says why it came and how to stop it."""
    context = {
        "mailing": mailing,
        "site_url": site_origin(),
        "html": safe_html(mailing.body_html) if mailing.body_html else "",
        "consents_url": absolute_url(reverse("accounts:consents")),
    }
    text = render_to_string("communications/mailings/email.txt", context).strip()
    html = (
        render_to_string("communications/mailings/email.html", context) if mailing.body_html else ""
    )
    return Rendered(subject=" ".join(mailing.subject.split()), text=text, html=html)
