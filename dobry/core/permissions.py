"""The shape of every permission check: allowed or not, and why not."""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils.functional import Promise

# Whoever makes the request: a user or the anonymous visitor.
Actor = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str | Promise = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


def deny(reason: str | Promise) -> Decision:
    return Decision(False, reason)


def allow_if(condition: bool, reason: str | Promise) -> Decision:
    """ALLOW when `condition` holds, else a refusal that says `reason`."""
    return ALLOW if condition else deny(reason)
