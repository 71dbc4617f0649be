"""Sending a short text by SMS through a provider: the adapter residents' confirmation codes
go through (`civic.services.verification`).

A provider is any class with `send(phone, text)` that raises `SmsFailed` when the message
was not accepted; `DOBRY_SMS_PROVIDER` names it by dotted path. None configured means there
is no SMS confirmation at all: residents are confirmed to vote by coordinators only.
`FakeSmsProvider` keeps what it sent in memory (tests read `FakeSmsProvider.sent`) and
writes it to the log (development)."""

import logging
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsFailed(Exception):
    """The provider did not accept the message."""


class SmsProvider(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class FakeSmsProvider:
    """Sends nothing: keeps (phone, text) pairs for tests and logs them for development."""

    sent: ClassVar[list[tuple[str, str]]] = []

    def send(self, phone: str, text: str) -> None:
        self.sent.append((phone, text))
        logger.info("SMS to %s: %s", phone, text)


def sms_provider() -> SmsProvider | None:
    """The configured provider, or None when SMS confirmation is off."""
    path = settings.DOBRY_SMS_PROVIDER
    if not path:
        return None
    provider: SmsProvider = import_string(path)()
    return provider
