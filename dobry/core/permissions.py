"""The shape of every permission check: allowed or not, and why not."""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils.functional import Promise

from dobry.core.errors import InvalidTransition, PermissionDenied

# Whoever makes the request: a user or the anonymous visitor.
Actor = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Decision:
    """Allowed or not, and why not. A refusal is of one of two kinds: `deny` — this person
    may never do it (403 in the API) — or `not_now` — they may, only not in the state or at
    the time the object is in (409, as a move the workflow's table refuses)."""

    allowed: bool
    reason: str | Promise = ""
    not_now: bool = False

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


def deny(reason: str | Promise) -> Decision:
    """Refused to this person whatever the object's state: 403."""
    return Decision(False, reason)


def not_now(reason: str | Promise) -> Decision:
    """Refused now to a person who may do it at another state or time: 409."""
    return Decision(False, reason, not_now=True)


def allow_if(condition: bool, reason: str | Promise) -> Decision:
    """ALLOW when `condition` holds, else a refusal that says `reason`."""
    return ALLOW if condition else deny(reason)


def require(decision: Decision) -> None:
    """Raise a service's refusal: `deny` → PermissionDenied (403), `not_now` →
    InvalidTransition (409)."""
    if decision:
        return
    if decision.not_now:
        raise InvalidTransition(str(decision.reason))
    raise PermissionDenied(str(decision.reason))
