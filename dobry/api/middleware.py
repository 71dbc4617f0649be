"""Under /api/, Django's own error answers in the API's one shape (`dobry.api.errors`)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from dobry.core.errors import json_error


class ApiErrorShapeMiddleware:
    """What never reaches the API's handlers answers in its JSON shape too: an unknown path
    (Django's 404 page), a method the path does not take (ninja's plain-text 405, its `Allow`
    header kept), a server error (the 500 page; with `DEBUG` the traceback stays). The status
    is never changed: only its body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not request.path.startswith("/api/")
            or response.status_code < 400
            or response.get("Content-Type", "").startswith("application/json")
            or (settings.DEBUG and response.status_code >= 500)
        ):
            return response
        shaped = json_error(response.status_code, _message(request, response))
        for header in ("Allow", "Retry-After"):
            if response.has_header(header):
                shaped[header] = response[header]
        return shaped


def _message(request: HttpRequest, response: HttpResponse) -> str:
    status = response.status_code
    if status == 404:
        return _("В API нет такого адреса: %(path)s.") % {"path": request.path}
    if status == 405:
        return _("Этот адрес не принимает метод %(method)s; можно: %(allowed)s.") % {
            "method": request.method,
            "allowed": response.get("Allow", ""),
        }
    if status == 503:
        return _("Сервис временно недоступен: повторите запрос через несколько секунд.")
    if status >= 500:
        return _("Ошибка на сервере: мы уже знаем о ней, повторите позже.")
    if status == 403:
        return _("Недостаточно прав.")
    return _("Запрос отклонён.")
