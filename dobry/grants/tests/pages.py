"""What the grant pages' tests share: the messages a request left, datetime inputs."""

from datetime import datetime

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.utils import timezone


def said(response: HttpResponse) -> list[str]:
    """The messages this response's request added (not those left by earlier requests)."""
    storage = get_messages(response.wsgi_request)  # type: ignore[attr-defined]
    return [str(message) for message in storage._queued_messages]


def local_input(moment: datetime) -> str:
    """A moment as a `datetime-local` input shows it (the active time zone)."""
    return moment.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%dT%H:%M")
