"""The JSON API at /api/v1/: the one `NinjaAPI` and its error handlers.

Each domain app has its router in its own `api.py` (or `api/` package); `dobry.site.api`
mounts them.
"""

import re
from datetime import UTC, datetime
from typing import Any

import ninja.openapi.schema
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.schema import NinjaGenerateJsonSchema
from pydantic.json_schema import CoreModeRef, CoreRef, DefsRef

from dobry.api.auth import AUTH, anonymous
from dobry.api.errors import ErrorOut, JsonParser, field_errors
from dobry.api.queries import refuse_unknown_query
from dobry.core.clock import city_zone
from dobry.core.errors import DomainError, json_error
from dobry.core.idempotency import document_header

_NESTED = re.compile(r"\b([A-Z]\w*)\.(?=[A-Z])")


class _JsonSchema(NinjaGenerateJsonSchema):
    """Components named by the class with its enclosing classes: `HelpRequestStatus`,
    `EventKind`, `OrganizationKind`. pydantic keeps only the last part of the qualified
    name (`Status`, `Kind`), and ninja builds each operation's schema apart and merges the
    components, so the choices nested in different models overwrote one another."""

    @staticmethod
    def qualified(core_ref: str) -> str:
        """`dobry.events.models.Event.Kind:123` → `dobry.events.models.EventKind:123`."""
        while _NESTED.search(core_ref):
            core_ref = _NESTED.sub(r"\1", core_ref)
        return core_ref

    def get_defs_ref(self, core_mode_ref: CoreModeRef) -> DefsRef:
        core_ref, mode = core_mode_ref
        return super().get_defs_ref((CoreRef(self.qualified(core_ref)), mode))


# ninja generates every operation's schema with this class; the one place to name it.
ninja.openapi.schema.NinjaGenerateJsonSchema = _JsonSchema  # type: ignore[misc]


class MomentEncoder(NinjaJSONEncoder):
    """Every moment the API answers is in UTC with `Z`: `2025-03-10T05:30:00Z` (milliseconds
    `.123` when there are any). Values read back from the database were UTC already, but a
    moment a service computed on the city's clock (room bookings) came out `+07:00`."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime):
            moment = o if timezone.is_aware(o) else timezone.make_aware(o, city_zone())
            return super().default(moment.astimezone(UTC))
        return super().default(o)


class MomentRenderer(JSONRenderer):
    encoder_class = MomentEncoder


class _Schema(OpenAPISchema):
    """Public endpoints (`OPTIONAL_AUTH`) list an empty requirement: credentials optional."""

    def operation_security(self, operation: Operation) -> list[dict[str, Any]] | None:
        result = super().operation_security(operation)
        if result is not None and anonymous in operation.auth_callbacks:
            result.append({})
        return result


# `dobry.grants.api.reviews` → `dobry.grants.api`: the submodule of an app's `api/` package
_API_SUBMODULE = re.compile(r"^(dobry\.\w+(?:\.\w+)*?\.api)\.\w+$")


class DobryAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """`dobry_<app>_api_<function>`, whether the app's API is one `api.py` or an `api/`
        package of submodules: splitting a module renames no operation (clients generate
        code from these ids; `api/tests/test_schema.py` keeps them unique)."""
        module = operation.view_func.__module__
        if not module.startswith("dobry.api."):
            module = _API_SUBMODULE.sub(r"\1", module)
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        """The generated document, with the Idempotency-Key header on every POST and public
        operations marked as needing no credentials."""
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return document_errors(document_header(_Schema(self, path_prefix)))


def document_errors(schema: Any) -> Any:
    """Every operation may answer an error in the one shape (`dobry.api.errors`)."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = (
        ErrorOut.model_json_schema()
    )
    response = {
        "description": "An error: `message` in the request's language, `errors` by field",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            operation.setdefault("responses", {}).setdefault("4XX", response)
    return schema


api = DobryAPI(
    title="Добрый город API",
    version="1",
    description=(
        "JSON API of the Dobry platform. Authenticate with the browser session or a personal "
        "token: `Authorization: Bearer dobry_…`. Every error, whatever its status, is "
        '`{"message": …, "errors": {field: [messages]}}` in the request\'s language '
        "(`Accept-Language`; Russian by default); writing without credentials is a 401. "
        "Every moment in an answer is ISO 8601 in UTC with `Z` (`2025-03-10T05:30:00Z`); a "
        "moment sent without an offset is read on the city's clock. A body field or a query "
        "parameter the operation does not declare is a 422 naming it."
    ),
    renderer=MomentRenderer(),
    auth=AUTH,
    parser=JsonParser(),
    urls_namespace="api",
    docs_url="/docs",
)
# A query parameter an operation does not read is a 422 naming it (`dobry.api.queries`).
api.add_decorator(refuse_unknown_query, mode="operation")


def _error(
    request: HttpRequest, status: int, message: str, errors: dict | None = None
) -> HttpResponse:
    return json_error(status, message, errors)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return _error(request, error.status, error.message, error.field_errors)


@api.exception_handler(ValidationError)
def model_validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return _error(request, 422, _("Проверьте данные."), errors)


@api.exception_handler(SchemaValidationError)
def schema_validation_error(request: HttpRequest, error: SchemaValidationError) -> HttpResponse:
    return _error(request, 422, _("Проверьте данные."), field_errors(error.errors))


# ninja's own refusals carry English text: each is said here by its status. A body that is
# not JSON comes as a 400 caused by `UnreadableBody`, which says where it breaks.
_HTTP_MESSAGES = {
    400: gettext_lazy("Запрос не читается."),
    401: gettext_lazy("Нужна авторизация: войдите или передайте API-токен."),
    403: gettext_lazy("Недостаточно прав."),
    429: gettext_lazy("Слишком много запросов: повторите позже."),
}


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    if isinstance(error.__cause__, DomainError):
        return domain_error(request, error.__cause__)
    message = _HTTP_MESSAGES.get(error.status_code, gettext_lazy("Запрос отклонён."))
    return _error(request, error.status_code, str(message))


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return _error(request, 401, str(_HTTP_MESSAGES[401]))


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(error) or _("Недостаточно прав."))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return _error(request, 404, _("Не найдено."))


@api.exception_handler(RawPostDataException)
def form_body_for_json(request: HttpRequest, error: RawPostDataException) -> HttpResponse:
    """A form (urlencoded or multipart) sent to an operation that reads a JSON body: the
    form was already read as fields (`core.middleware.RequestValuesMiddleware` checks every
    form value), so the body cannot be read again — a 415 saying what to send, not a 500."""
    return _error(
        request,
        415,
        _("Тело запроса должно быть JSON: отправьте его с Content-Type: application/json."),
        {"__all__": [_("Нужен JSON.")]},
    )
