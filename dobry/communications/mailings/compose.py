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
from django.utils.translation import gettext_lazy as _

from dobry.communications.models import Mailing
from dobry.core.clock import local_time
from dobry.core.site import absolute_url, site_origin

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "a", "ul", "ol", "li", "h2", "h3",
    "blockquote", "hr", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}}


def safe_html(html: str) -> str:
    """The HTML a mailing may carry: text formatting, links and images; no scripts,
    styles, event handlers or forms (nh3, the Rust ammonia sanitiser)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
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


def events_digest(days: int = 14, limit: int = 20) -> str:
    """The published events of verified organisations starting in the next `days`, one
    line each with its link: text to insert into a mailing."""
    event_model = apps.get_model("events", "Event")
    now = timezone.now()
    events = (
        event_model.objects.public()
        .filter(starts_at__gte=now, starts_at__lte=now + timedelta(days=days))
        .order_by("starts_at", "pk")[:limit]
    )
    lines = []
    for event in events:
        if event.starts_at is None:  # filtered out above; the model allows an undated draft
            continue
        moment = local_time(event.starts_at).strftime("%d.%m %H:%M")
        lines.append(f"• {moment} — {event.title}\n  {absolute_url(event.get_absolute_url())}")
    return "\n".join(lines)


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
