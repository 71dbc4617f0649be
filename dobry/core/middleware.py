import json
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import connections
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found

from dobry.core.errors import json_error
from dobry.core.request_values import InvalidParameter
from dobry.core.validators import (
    FORBIDDEN_TEXT_CHARACTERS,
    character_code,
    forbidden_character,
    forbidden_character_message,
)

# No inline scripts anywhere: every script is a static file. Inline styles are allowed
# because Bootstrap's JS and the API docs set them.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    )
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=()")
        return response


class RequestValuesMiddleware:
    """Refuses what no page or endpoint can store or read, naming the parameter: a character
    the platform does not keep (`core.validators.FORBIDDEN_TEXT_CHARACTERS`: NUL, which
    PostgreSQL text cannot hold, the other C0 controls but tab and line breaks, DEL, bidi
    overrides) in the path, a query value, a form field's name or a JSON string, and a body
    over `DATA_UPLOAD_MAX_MEMORY_SIZE` (413). Turns `InvalidParameter` (raised by
    `dobry.core.request_values`) into a 400 page with its message. The API answers JSON
    (422/413); its own parameters are validated by its schemas (`dobry.api.fields`).

    Such a character in a value a person typed into a page's form is left to the form:
    every text field refuses it at the field (Django's `ProhibitNullCharactersValidator`
    and `core.form_fields.refuse_forbidden_characters_in_every_text_field` on each
    `CharField`) and the page is shown again with what was typed — a 400 page lost it. So
    that nothing read past a form can store it, such a request runs with
    `refusing_nul_in_queries`: a query sending one raises `InvalidParameter` (the 400 page)
    instead."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            found = _name_with_nul(request)
        except RequestDataTooBig:
            return _too_large(request)
        if found is not None:
            name, character = found
            return _bad_request(request, InvalidParameter(name, refused(character)))
        typed = _form_value_with_nul(request)
        if typed is not None:
            with refusing_nul_in_queries(typed[0]):
                return self.get_response(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, InvalidParameter):
            return _bad_request(request, exception)
        return None


def nul_refused() -> str:
    return refused("\x00")


def refused(character: str) -> str:
    """The sentence after «Параметр «x»:» for a refused character."""
    return forbidden_character_message(character)


@contextmanager
def refusing_nul_in_queries(name: str) -> Iterator[None]:
    """While inside, a database query with a forbidden character (NUL, a control, a bidi
    override) in any of its values raises `InvalidParameter(name, …)` before it runs (on
    every connection): the request's form value `name` got past the forms that should have
    refused it."""

    def refuse(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        character = _held(params)
        if character is not None:
            raise InvalidParameter(name, refused(character))
        return execute(sql, params, many, context)

    with ExitStack() as stack:
        for connection in connections.all():
            stack.enter_context(connection.execute_wrapper(refuse))
        yield


def _held(value: Any) -> str | None:
    """The first forbidden character in a query's values (text, dicts, lists), or None."""
    if isinstance(value, str):
        return forbidden_character(value)
    items = value.values() if isinstance(value, dict) else value
    if isinstance(items, list | tuple) or isinstance(value, dict):
        for item in items:
            character = _held(item)
            if character is not None:
                return character
    return None


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _shown(name: str) -> str:
    """A parameter's name as a message may print it: its forbidden characters as codes."""
    return FORBIDDEN_TEXT_CHARACTERS.sub(
        lambda found: "\\0" if found.group() == "\x00" else character_code(found.group()),
        name,
    )


def _name_with_nul(request: HttpRequest) -> tuple[str, str] | None:
    """(parameter, character) for the first forbidden character a request sends outside
    a page form's values, or None."""
    character = forbidden_character(request.path_info)
    if character is not None:
        return "path", character
    for key, items in request.GET.lists():
        for text in (key, *items):
            character = forbidden_character(text)
            if character is not None:
                return _shown(key), character
    for key in _form_values(request):
        character = forbidden_character(key)
        if character is not None:
            return _shown(key), character
    if _is_api(request):
        return _api_value_with_nul(request)
    return None


def _api_value_with_nul(request: HttpRequest) -> tuple[str, str] | None:
    typed = _form_value_with_nul(request)
    if typed is not None:
        return typed
    if request.content_type == "application/json":
        body = request.body  # over the limit: RequestDataTooBig, a 413
        try:
            text = body.decode()
        except UnicodeDecodeError:
            return None  # the API's parser answers that
        if _ESCAPED_FORBIDDEN.search(text) or forbidden_character(text):
            try:
                return _json_path_with_nul(json.loads(body))
            except ValueError:
                return None  # not JSON: the API's parser answers that
    return None


def _form_value_with_nul(request: HttpRequest) -> tuple[str, str] | None:
    for key, items in _form_values(request).lists():
        for item in items:
            character = forbidden_character(item)
            if character is not None:
                return key, character
    return None


def _form_values(request: HttpRequest) -> QueryDict:
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return request.POST
    return QueryDict()


# A JSON escape that may be a forbidden character (`\\u000b`, `\\b`, `\\u200b`, `\\ufffe`, a
# surrogate pair of a noncharacter beyond the first plane); parsed to find the field it is in.
_ESCAPED_FORBIDDEN = re.compile(
    r"\\(u(00[01][0-9a-fA-F]|007[fF]|061[cC]|20[0-6][0-9a-fA-F]|[fF][dDeEfF][0-9a-fA-F]{2}"
    r"|[dD][89a-fA-F][0-9a-fA-F]{2})|[bf])"
)


def _json_path_with_nul(value: Any, path: str = "") -> tuple[str, str] | None:
    if isinstance(value, str):
        character = forbidden_character(value)
        return ((path or "__all__"), character) if character is not None else None
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        name = f"{path}.{key}" if path else str(key)
        if isinstance(key, str):
            character = forbidden_character(key)
            if character is not None:
                return _shown(name), character
        found = _json_path_with_nul(item, name)
        if found:
            return found
    return None


def _bad_request(request: HttpRequest, error: InvalidParameter) -> HttpResponse:
    if _is_api(request):
        return json_error(422, error.message, error.field_errors)
    return render(request, "400.html", {"message": error.message}, status=400)


def _too_large(request: HttpRequest) -> HttpResponse:
    message = _("Запрос слишком большой: не больше %(size)s.") % {
        "size": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    }
    if _is_api(request):
        return json_error(413, message)
    return render(request, "400.html", {"message": message}, status=413)


class DevelopmentErrorPagesMiddleware:
    """With ``DEBUG`` on, Django answers a 404 with its English technical page (URL
    patterns and all); a developer trying the site as a user should see the platform's
    Russian page, as in production. Only Django's technical 404 page is replaced: a view's
    own 404 (the API's JSON) stays, 403 already uses ``403.html``, and a 500 keeps its
    traceback. Production never sees the technical page, so this does nothing there."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404 and _is_technical_404(response):
            return page_not_found(request, Http404())
        return response


def _is_technical_404(response: HttpResponse) -> bool:
    return (
        response.get("Content-Type", "").startswith("text/html")
        and not response.streaming
        and TECHNICAL_404_MARK in response.content
    )


# django/views/templates/technical_404.html; none of our templates has it.
TECHNICAL_404_MARK = b'<meta name="robots" content="NONE,NOARCHIVE">'
