"""The JSON API at /api/v1/: the one `NinjaAPI` and its error handlers.

Each domain app has its router in its own `api.py`; `dobry.site.api` mounts them.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from dobry.api.auth import AUTH, anonymous
from dobry.core.errors import DomainError
from dobry.core.idempotency import document_header


class _Schema(OpenAPISchema):
    """Public endpoints (`OPTIONAL_AUTH`) list an empty requirement: credentials optional."""

    def operation_security(self, operation: Operation) -> list[dict[str, Any]] | None:
        result = super().operation_security(operation)
        if result is not None and anonymous in operation.auth_callbacks:
            result.append({})
        return result


class DobryAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        """The generated document, with the Idempotency-Key header on every POST and public
        operations marked as needing no credentials."""
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return document_header(_Schema(self, path_prefix))


api = DobryAPI(
    title="Добрый город API",
    version="1",
    description=(
        "JSON API of the Dobry platform. Authenticate with the browser session or a personal "
        "token: `Authorization: Bearer dobry_…`. Errors are `{message, errors}`."
    ),
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
)


def _error(
    request: HttpRequest, status: int, message: str, errors: dict | None = None
) -> HttpResponse:
    return api.create_response(request, {"message": message, "errors": errors or {}}, status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return _error(request, error.status, error.message, error.field_errors)


@api.exception_handler(ValidationError)
def model_validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return _error(request, 422, _("Проверьте данные."), errors)


@api.exception_handler(SchemaValidationError)
def schema_validation_error(request: HttpRequest, error: SchemaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for item in error.errors:
        location = [str(part) for part in item.get("loc", ()) if part not in ("body", "payload")]
        errors.setdefault(".".join(location) or "__all__", []).append(str(item.get("msg", "")))
    return _error(request, 422, _("Проверьте данные."), errors)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return _error(request, 401, _("Нужна авторизация: войдите или передайте API-токен."))


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(error) or _("Недостаточно прав."))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return _error(request, 404, _("Не найдено."))
