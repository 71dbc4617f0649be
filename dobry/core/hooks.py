"""Named hooks: a lower app announces a fact, a higher app acts on it.

An app may import only the apps below it (the layers in `pyproject.toml`). When a lower
app's service must cause a write in a higher app (a seminar attended is support recorded
in `resources`), it sends a hook; `dobry.site` connects the higher app's service to it at
start-up. Receivers run synchronously, in the sender's transaction, in the order connected,
so their writes commit or roll back with the sender's. Unlike Django signals a hook has
one explicit sender and its receivers are listed in one place (`dobry/site/apps.py`).
"""

from collections.abc import Callable
from typing import Any

Receiver = Callable[..., None]


class Hook:
    """A named point where receivers connected by `dobry.site` are called with keywords."""

    def __init__(self, name: str, *, arguments: str) -> None:
        self.name = name
        self.arguments = arguments  # what `send` passes, for the reader
        self._receivers: list[Receiver] = []

    def connect(self, receiver: Receiver) -> None:
        """Add `receiver`; connecting the same function twice keeps one (idempotent)."""
        if receiver not in self._receivers:
            self._receivers.append(receiver)

    def disconnect(self, receiver: Receiver) -> None:
        self._receivers.remove(receiver)

    @property
    def receivers(self) -> tuple[Receiver, ...]:
        return tuple(self._receivers)

    def send(self, **arguments: Any) -> None:
        """Call every receiver with these keywords; an exception propagates to the sender."""
        for receiver in self._receivers:
            receiver(**arguments)

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._receivers)} receivers>"
