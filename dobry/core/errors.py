"""Domain errors: raised by services, turned into messages by views and 409/422 by the API."""

from collections.abc import Mapping


class DomainError(Exception):
    """A rule of the domain refused the action. `status` is the HTTP status for the API."""

    status = 422

    def __init__(self, message: str, *, field_errors: Mapping[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.field_errors = dict(field_errors or {})


class InvalidTransition(DomainError):
    """A workflow was asked to move to a state its transition table does not allow."""

    status = 409


class PermissionDenied(DomainError):
    status = 403
