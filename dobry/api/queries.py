"""A query parameter an operation does not read is refused, naming it (issue 12): a typo —
`GET /events?distrct=centre` — used to answer the whole unfiltered list as if it had been
read. Every operation of the API is checked the one way: `api.add_decorator` in
`dobry.api.api` wraps each operation with `refuse_unknown_query`, after authentication and
after its declared parameters were read.

The names an operation reads are those ninja reads for it and documents in the OpenAPI
document: its query parameters, the filters of a `Query[...]` schema flattened, and the
pagination's `page` and `page_size` (`dobry.api.fields.Pages`). Nothing else is shared by
every operation: the language comes in `Accept-Language`, credentials and `Idempotency-Key`
in headers.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from dobry.core.errors import DomainError


class UnknownQueryParameter(DomainError):
    """A 422 naming each parameter the operation does not read (`query.<name>`)."""

    def __init__(self, unknown: list[str], known: list[str]) -> None:
        if known:
            problem = _("операция не читает этот параметр; она читает: %(known)s.") % {
                "known": ", ".join(known)
            }
        else:
            problem = _("операция не читает параметров в строке запроса.")
        super().__init__(
            _("Неизвестный параметр запроса: %(names)s.") % {"names": ", ".join(unknown)},
            field_errors={f"query.{name}": [problem] for name in unknown},
        )


def query_names(operation: Any) -> frozenset[str]:
    """The query parameters `operation` (a ninja `Operation`) reads, by the names clients
    send (aliases: `from`, not `from_`)."""
    names: set[str] = set()
    for model in operation.models:
        if model.__ninja_param_source__ == "query":
            names.update(model.__ninja_flatten_map__)
    return frozenset(names)


def refuse_unknown_query(view_func: Callable[..., Any]) -> Callable[..., Any]:
    """Wraps an operation's function (ninja's «operation» decorator mode): a request with a
    query parameter the operation does not read raises `UnknownQueryParameter`."""
    known = query_names(view_func._ninja_operation)  # type: ignore[attr-defined]

    @wraps(view_func)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        unknown = sorted(set(request.GET) - known)
        if unknown:
            raise UnknownQueryParameter(unknown, sorted(known))
        return view_func(request, *args, **kwargs)

    return checked
