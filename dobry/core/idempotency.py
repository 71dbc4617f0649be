"""`Idempotency-Key` for the API's POSTs: a client that retries a request (a lost answer,
a double tap) with the same key gets the first answer again instead of a second object.

One mechanism for every operation (a middleware, so no create operation can miss it):
the first request with a key reserves the key for its caller and path (a unique row), runs,
and a successful (2xx) answer is stored with its status; a repeat with the same key and
the same body gets that answer back (`Idempotent-Replayed: true`), with a different body a
422, and while the first is still running a 409. Failed answers are not stored, so a
corrected retry may reuse the key. Stored answers are kept `DOBRY_IDEMPOTENCY_HOURS`.
The caller is the session's user or, for bearer tokens, a hash of the token (the token is
checked later, by the API's own authentication), never the token itself.
"""

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext as _

from dobry.core.errors import json_error
from dobry.core.models import IdempotentRequest

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200


def _caller(request: HttpRequest) -> str:
    authorization = request.headers.get("Authorization", "")
    if authorization:
        return "token:" + hashlib.sha256(authorization.encode()).hexdigest()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    session = getattr(request, "session", None)
    return "anonymous:" + (session.session_key or "" if session is not None else "")


def _account_pk(request: HttpRequest) -> int | None:
    """The account the API authenticated (token or session: `request.auth`), else the
    session's user."""
    for user in (getattr(request, "auth", None), getattr(request, "user", None)):
        if user is not None and getattr(user, "is_authenticated", False):
            return int(user.pk)
    return None


def _refuse(status: int, message: str) -> JsonResponse:
    return json_error(status, message, {HEADER: [message]})


class IdempotencyKeyMiddleware:
    """Applies `Idempotency-Key` to every POST under the API's prefix (see module doc)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None or not request.path.startswith("/api/"):
            return self.get_response(request)
        key = key.strip()
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            return _refuse(422, _("Ключ идемпотентности: от 1 до 200 печатных символов."))
        caller, body_hash = _caller(request), hashlib.sha256(request.body).hexdigest()
        cutoff = timezone.now() - timedelta(hours=settings.DOBRY_IDEMPOTENCY_HOURS)
        IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
        try:
            with transaction.atomic():
                record = IdempotentRequest.objects.create(
                    caller=caller, key=key, path=_stored_path(request), body_hash=body_hash
                )
        except IntegrityError:
            return self._replay(caller, key, _stored_path(request), body_hash)
        response = self.get_response(request)
        if 200 <= response.status_code < 300 and not response.streaming:
            record.user_id = _account_pk(request)
            record.status = response.status_code
            record.content_type = response.get("Content-Type", "")[:100]
            record.content = response.content.decode("utf-8", errors="replace")
            record.save(update_fields=["user", "status", "content_type", "content"])
        else:
            record.delete()
        return response

    def _replay(self, caller: str, key: str, path: str, body_hash: str) -> HttpResponse:
        record = IdempotentRequest.objects.filter(caller=caller, key=key, path=path).first()
        if record is None:  # the first one failed and was forgotten meanwhile
            return _refuse(409, _("Запрос с этим ключом ещё обрабатывается: повторите позже."))
        if record.body_hash != body_hash:
            return _refuse(
                422, _("Этот ключ идемпотентности уже использован с другим содержимым запроса.")
            )
        if record.status is None:
            return _refuse(409, _("Запрос с этим ключом ещё обрабатывается: повторите позже."))
        response = HttpResponse(
            record.content, status=record.status, content_type=record.content_type
        )
        response["Idempotent-Replayed"] = "true"
        return response


def document_header(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the optional `Idempotency-Key` header to every POST operation of an OpenAPI
    document (the middleware honours it on each)."""
    parameter = {
        "in": "header",
        "name": HEADER,
        "required": False,
        "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH},
        "description": (
            "Retry safely: the same key returns the first answer with its status; the same "
            "key with a different body is a 422."
        ),
    }
    for operations in schema.get("paths", {}).values():
        post = operations.get("post")
        if post is not None:
            post.setdefault("parameters", []).append(parameter)
    return schema


def _stored_path(request: HttpRequest) -> str:
    """The request's path as the key's row keeps it: percent-encoded (a path may carry a
    line break or other characters no one-line field takes), at most 500 characters."""
    return iri_to_uri(request.path)[:500]
