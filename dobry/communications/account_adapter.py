import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from dobry.communications.services import email_queue
from dobry.core.client_ip import client_ip
from dobry.core.redirects import local_url
from dobry.core.site import absolute_url, site_host


@dataclass(frozen=True)
class ConfiguredSite:
    """What allauth's mail templates read as ``current_site``: the configured brand and
    address, not the ``Host`` header of the request that caused the mail."""

    name: str
    domain: str


def on_site(url: str) -> str:
    """A link allauth built from the request's host, moved onto the configured site
    address (``dobry.core.site``): only its path, query and fragment are kept."""
    parts = urlsplit(url)
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return absolute_url(f"{path}{query}{fragment}")


class AccountAdapter(DefaultAccountAdapter):
    """allauth's mail goes through our outbox and the task worker, like every other email,
    and its links lead to the configured site address like every other email's.

    allauth builds links (``activate_url``, ``password_reset_url``, ``signup_url``) from
    the request's own host, some in flows that no adapter hook reaches (the mail to an
    unknown address), so a request sent with another ``Host`` would mail a link to that
    host: every ``*_url`` value of a mail's context is moved onto the site here, in the one
    place all of allauth's mail passes."""

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        context = {
            "email": email,
            **context,
            "current_site": ConfiguredSite(settings.DOBRY_SITE_NAME, site_host()),
        }
        for name, value in context.items():
            if name.endswith("_url") and isinstance(value, str) and "://" in value:
                context[name] = on_site(value)
        message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = str(content)
        email_queue(
            key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4()}",
            to=email,
            subject=str(message.subject),
            body_text=str(message.body),
            body_html=html,
            kind="account",  # security: sent even to a suppressed address
        )

    def format_email_subject(self, subject: str) -> str:
        return f"[{settings.DOBRY_SITE_NAME}] {subject}"

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user.language = getattr(request, "LANGUAGE_CODE", "ru") or "ru"
        return super().save_user(request, user, form, commit)

    def is_safe_url(self, url: str) -> bool:
        """allauth's `next` (login, signup, logout) follows the site's one rule."""
        return local_url(context.request, url) is not None

    def get_client_ip(self, request: HttpRequest) -> str:
        """Rate limits count by the real client behind the trusted proxies, not the proxy."""
        ip = client_ip(request)
        if ip is None:
            raise PermissionDenied("Unable to determine client IP address")
        return ip
