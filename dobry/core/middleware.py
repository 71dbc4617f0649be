import json
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
    """Refuses what no page or endpoint can store or read, naming the parameter: a NUL
    character in the path, a query value, a form field's name or a JSON string (PostgreSQL
    text cannot hold it), and a body over `DATA_UPLOAD_MAX_MEMORY_SIZE` (413). Turns
    `InvalidParameter` (raised by `dobry.core.request_values`) into a 400 page with its
    message. The API answers JSON (422/413); its own parameters are validated by its schemas
    (`dobry.api.fields`).

    A NUL in a value a person typed into a page's form is left to the form: every text field
    refuses it at the field (Django's `ProhibitNullCharactersValidator` on each `CharField`)
    and the page is shown again with what was typed — a 400 page lost it. So that nothing
    read past a form can store it, such a request runs with `refusing_nul_in_queries`: a
    query sending a NUL raises `InvalidParameter` (the 400 page) instead."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            name = _name_with_nul(request)
        except RequestDataTooBig:
            return _too_large(request)
        if name is not None:
            error = InvalidParameter(name, nul_refused())
            return _bad_request(request, error)
        typed = _form_value_with_nul(request)
        if typed is not None:
            with refusing_nul_in_queries(typed):
                return self.get_response(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, InvalidParameter):
            return _bad_request(request, exception)
        return None


def nul_refused() -> str:
    return _("недопустимый символ NUL (\\0).")


@contextmanager
def refusing_nul_in_queries(name: str) -> Iterator[None]:
    """While inside, a database query with a NUL character in any of its values raises
    `InvalidParameter(name, …)` before it runs (on every connection): the request's form
    value `name` got past the forms that should have refused it."""

    def refuse(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if _holds_nul(params):
            raise InvalidParameter(name, nul_refused())
        return execute(sql, params, many, context)

    with ExitStack() as stack:
        for connection in connections.all():
            stack.enter_context(connection.execute_wrapper(refuse))
        yield


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_nul(item) for item in value)
    return False


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _name_with_nul(request: HttpRequest) -> str | None:
    if "\x00" in request.path_info:
        return "path"
    for key, items in request.GET.lists():
        if "\x00" in key or any("\x00" in item for item in items):
            return key.replace("\x00", "\\0")
    for key in _form_values(request):
        if "\x00" in key:
            return key.replace("\x00", "\\0")
    if _is_api(request):
        typed = _form_value_with_nul(request)
        if typed is not None:
            return typed
    if _is_api(request) and request.content_type != "multipart/form-data":
        body = request.body  # over the limit: RequestDataTooBig, a 413
        if request.content_type == "application/json" and (b"\\u0000" in body or b"\x00" in body):
            try:
                return _json_path_with_nul(json.loads(body))
            except ValueError:
                return None  # not JSON: the API's parser answers that
    return None


def _form_value_with_nul(request: HttpRequest) -> str | None:
    for key, items in _form_values(request).lists():
        if any("\x00" in item for item in items):
            return key
    return None


def _form_values(request: HttpRequest) -> QueryDict:
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return request.POST
    return QueryDict()


def _json_path_with_nul(value: Any, path: str = "") -> str | None:
    if isinstance(value, str):
        return (path or "__all__") if "\x00" in value else None
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        name = f"{path}.{key}" if path else str(key)
        if isinstance(key, str) and "\x00" in key:
            return name.replace("\x00", "\\0")
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
