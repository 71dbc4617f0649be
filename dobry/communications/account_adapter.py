import uuid
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from dobry.communications.services import email_queue
from dobry.core.client_ip import client_ip
from dobry.core.redirects import local_url


class AccountAdapter(DefaultAccountAdapter):
    """allauth's mail goes through our outbox and the task worker, like every other email."""

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
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
        )

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
