"""The registry of notification kinds. Each app registers its own in `notifications.py`.

A kind's subject and body are templates `notifications/<key>/subject.txt` and `body.txt`,
rendered in the recipient's language.
"""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: str | Promise
    email_by_default: bool = True

    @property
    def subject_template(self) -> str:
        return f"notifications/{self.key}/subject.txt"

    @property
    def body_template(self) -> str:
        return f"notifications/{self.key}/body.txt"


KINDS: dict[str, NotificationKind] = {}


def register_kind(key: str, label: str | Promise, *, email_by_default: bool = True) -> str:
    KINDS[key] = NotificationKind(key=key, label=label, email_by_default=email_by_default)
    return key


def get_kind(key: str) -> NotificationKind:
    try:
        return KINDS[key]
    except KeyError:
        raise LookupError(f"Unknown notification kind {key!r}; register it first.") from None
