"""A real local SMTP server (aiosmtpd) that counts what it received, for the
kill-the-worker test and the mailing benchmark."""

import asyncio
import logging
import socket
import threading
from collections import Counter
from email import message_from_bytes

from aiosmtpd.controller import Controller

# aiosmtpd logs every SMTP command at INFO: thousands of lines in a run.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Counting:
    """Counts each recipient and each message's X-Dobry-Key as the server accepts it."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.recipients: Counter[str] = Counter()
        self.keys: Counter[str] = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if self.delay:
            await asyncio.sleep(self.delay)
        key = message_from_bytes(envelope.content).get("X-Dobry-Key", "")
        with self.lock:
            self.recipients.update(address.lower() for address in envelope.rcpt_tos)
            self.keys[key] += 1
        return "250 OK"

    @property
    def total(self) -> int:
        with self.lock:
            return sum(self.recipients.values())


class Sink:
    """`with Sink() as sink:` — a server on 127.0.0.1:`sink.port` until the block ends."""

    def __init__(self, delay: float = 0.0) -> None:
        self.handler = Counting(delay)
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "Sink":
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
