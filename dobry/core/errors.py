"""Domain errors: raised by services, turned into messages by views and 409/422 by the API."""

import sqlite3
from collections.abc import Mapping

import psycopg
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse


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


class TooMany(DomainError):
    """A limit of how often a person may do something (new help requests a day): 429."""

    status = 429


class StorageFull(DomainError):
    """The disk for uploads is full: nothing was stored; try again later (503)."""

    status = 503


def json_error(
    status: int, message: str, errors: Mapping[str, list[str]] | None = None
) -> JsonResponse:
    """The API's one error shape (`dobry.api.errors`): `{"message", "errors": {field: [..]}}`.
    Middleware below the API (bad values, sizes, two-factor login) answers with it too."""
    return JsonResponse({"message": str(message), "errors": dict(errors or {})}, status=status)


# The database drivers' own classes count too: Django does not wrap every call (closing a
# server-side cursor of `.iterator()` on a dead connection raises psycopg's error as it is).
_CONNECTION_LOST = (InterfaceError, psycopg.InterfaceError, sqlite3.InterfaceError)
_CANNOT_ANSWER = (OperationalError, psycopg.OperationalError, sqlite3.OperationalError)


def database_unavailable(error: BaseException | None) -> bool:
    """Whether an exception means the database cannot answer for now — PostgreSQL
    restarting or unreachable, a connection it closed, SQLite locked — rather than a fault
    of the code: the site answers 503 «try again shortly» instead of a 500 (the error is
    logged either way). SQLite reports a missing table or column as an OperationalError
    too; that is a fault (migrations not applied), so it stays a 500."""
    if isinstance(error, _CONNECTION_LOST):
        return True
    return isinstance(error, _CANNOT_ANSWER) and not str(error).startswith("no such ")
