"""The registry of notification kinds. Each app registers its own in `notifications.py`.

A kind's subject and body are templates `notifications/<key>/subject.txt` and `body.txt`,
rendered in the recipient's language.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

# Who a kind is sent to, when not to anyone (`NotificationKind.audience`).
COORDINATORS = "coordinators"  # the resource centre's staff (`User.is_coordinator`)
EXPERTS = "experts"  # competition experts (`User.is_expert`)
ORGANISERS = "organisers"  # owners and editors of an organisation
AUDIENCES = (COORDINATORS, EXPERTS, ORGANISERS)


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: str | Promise
    email_by_default: bool = True
    audience: str = ""  # empty: anyone may receive it; else one of AUDIENCES

    @property
    def subject_template(self) -> str:
        return f"notifications/{self.key}/subject.txt"

    @property
    def body_template(self) -> str:
        return f"notifications/{self.key}/body.txt"


KINDS: dict[str, NotificationKind] = {}


def register_kind(
    key: str, label: str | Promise, *, email_by_default: bool = True, audience: str = ""
) -> str:
    if audience and audience not in AUDIENCES:
        raise ValueError(f"Unknown audience {audience!r} of notification kind {key!r}.")
    KINDS[key] = NotificationKind(
        key=key, label=label, email_by_default=email_by_default, audience=audience
    )
    return key


def audiences_of(user: Any) -> set[str]:
    """The audiences a person belongs to by their roles now (one query for the
    organisations they run); nothing for None (an address with no account)."""
    if user is None:
        return set()
    found = set()
    if getattr(user, "is_coordinator", False):
        found.add(COORDINATORS)
    if getattr(user, "is_expert", False):
        found.add(EXPERTS)
    if user.memberships.filter(role__in=("owner", "editor")).exists():
        found.add(ORGANISERS)
    return found


def kinds_received_by(user: Any) -> list[NotificationKind]:
    """The kinds a person's roles receive: those for anyone, and those of their audiences —
    what a page that lists kinds to a person (the unsubscribe page) offers them."""
    audiences = audiences_of(user)
    return [k for k in KINDS.values() if not k.audience or k.audience in audiences]


def get_kind(key: str) -> NotificationKind:
    try:
        return KINDS[key]
    except KeyError:
        raise LookupError(f"Unknown notification kind {key!r}; register it first.") from None
