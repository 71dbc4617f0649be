"""Every error of the API in one shape and in the request's language (Russian by default):

    {"message": "Проверьте данные.", "errors": {"<field>": ["<what is wrong>", …]}}

`message` says what happened; `errors` names each field at fault (`query.<name>` for a query
parameter, the body's own field names for a body, `__all__` for the request as a whole) and
is `{}` when no field is to blame. Validation problems found by pydantic are written here from
the error's `type` and its `ctx` values (`PYDANTIC_MESSAGES`), never from pydantic's English
`msg`; `dobry.api.middleware` gives Django's own answers under `/api/` (an unknown path, a
method not allowed) the same shape."""

import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from ninja.parser import Parser
from pydantic import BaseModel, Field

from dobry.core.errors import DomainError
from dobry.core.text_limits import too_long


class ErrorOut(BaseModel):
    """The one shape of every error answer (documented in the OpenAPI document)."""

    message: str = Field(description="what happened, in the request's language")
    errors: dict[str, list[str]] = Field(
        default_factory=dict,
        description="the fields at fault (`query.<name>` for query parameters, `__all__` for "
        "the whole request), each with its messages; empty when no field is to blame",
    )


class UnreadableBody(DomainError):
    """The body is not JSON in UTF-8: a 400 naming where it breaks."""

    status = 400


class JsonParser(Parser):
    """ninja's JSON body parser, refusing in words a body it cannot read."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise UnreadableBody(
                _("Тело запроса не в кодировке UTF-8."),
                field_errors={"__all__": [_("Нужен JSON в кодировке UTF-8.")]},
            ) from error
        try:
            return json.loads(text)
        except ValueError as error:
            line, column = getattr(error, "lineno", 1), getattr(error, "colno", 1)
            raise UnreadableBody(
                _("Тело запроса — не JSON: ошибка в строке %(line)s, позиция %(column)s.")
                % {"line": line, "column": column},
                field_errors={"__all__": [_("Нужен JSON.")]},
            ) from error


def _quoted_values(expected: str) -> str:
    """pydantic's `expected` for enums and literals is `'a', 'b' or 'c'`: the values alone,
    listed the way the message's language lists them."""
    values = re.findall(r"'((?:[^'\\]|\\.)*)'", expected)
    return ", ".join(values) if values else expected


def _string_too_short(ctx: Mapping[str, Any], item: Mapping[str, Any]) -> str:
    n = int(ctx.get("min_length", 1))
    return ngettext(
        "Слишком короткий текст: нужно не меньше %(n)s символа.",
        "Слишком короткий текст: нужно не меньше %(n)s символов.",
        n,
    ) % {"n": n}


def _string_too_long(ctx: Mapping[str, Any], item: Mapping[str, Any]) -> str:
    return too_long(int(ctx.get("max_length", 0)))


def _too_short(ctx: Mapping[str, Any], item: Mapping[str, Any]) -> str:
    n = int(ctx.get("min_length", 1))
    return ngettext(
        "Слишком мало элементов: нужен хотя бы %(n)s.",
        "Слишком мало элементов: нужно хотя бы %(n)s.",
        n,
    ) % {"n": n}


def _too_long(ctx: Mapping[str, Any], item: Mapping[str, Any]) -> str:
    n = int(ctx.get("max_length", 0))
    return ngettext(
        "Слишком много элементов: не больше %(n)s.",
        "Слишком много элементов: не больше %(n)s.",
        n,
    ) % {"n": n}


def _own_message(ctx: Mapping[str, Any], item: Mapping[str, Any]) -> str:
    """Our validators (`dobry.api.fields`) raise ValueError with a message already in the
    request's language."""
    error = ctx.get("error")
    return str(error) if error else _("Недопустимое значение.")


Message = Promise | Callable[[Mapping[str, Any], Mapping[str, Any]], str]

_NUMBER = gettext_lazy("Нужно число.")
_INTEGER = gettext_lazy("Нужно целое число.")
_OBJECT = gettext_lazy("Нужен объект JSON ({…}).")
_LIST = gettext_lazy("Нужен список ([…]).")
_TEXT = gettext_lazy("Нужна строка.")
_DATE = gettext_lazy("Нужна дата в формате ГГГГ-ММ-ДД.")
_MOMENT = gettext_lazy("Нужны дата и время в формате ГГГГ-ММ-ДДTЧЧ:ММ.")
_TIME = gettext_lazy("Нужно время в формате ЧЧ:ММ.")
_URL = gettext_lazy("Нужна ссылка (URL).")
_INVALID = gettext_lazy("Недопустимое значение.")
_BYTES = gettext_lazy("Нужна строка байтов.")
_ALLOWED = gettext_lazy("Допустимые значения: %(expected)s.")

# Every error type of pydantic-core (`pydantic_core.core_schema.ErrorType`): a message, or a
# function of the error's ctx and item. A type missing here fails `test_error_messages.py`.
PYDANTIC_MESSAGES: dict[str, Message] = {
    "missing": gettext_lazy("Обязательное поле."),
    "json_invalid": gettext_lazy("Тело запроса — не JSON."),
    "json_type": gettext_lazy("Нужен текст в формате JSON."),
    "extra_forbidden": gettext_lazy("Такого поля нет."),
    "none_required": gettext_lazy("Здесь допустимо только null."),
    "greater_than": gettext_lazy("Должно быть больше %(gt)s."),
    "greater_than_equal": gettext_lazy("Должно быть не меньше %(ge)s."),
    "less_than": gettext_lazy("Должно быть меньше %(lt)s."),
    "less_than_equal": gettext_lazy("Должно быть не больше %(le)s."),
    "multiple_of": gettext_lazy("Должно быть кратно %(multiple_of)s."),
    "finite_number": gettext_lazy("Нужно конечное число."),
    "too_short": _too_short,
    "too_long": _too_long,
    "string_type": _TEXT,
    "string_unicode": gettext_lazy("Строка не читается как Unicode."),
    "string_too_short": _string_too_short,
    "string_too_long": _string_too_long,
    "string_pattern_mismatch": gettext_lazy("Значение не подходит под формат."),
    "string_not_ascii": gettext_lazy("Допустимы только латинские буквы, цифры и знаки ASCII."),
    "enum": _ALLOWED,
    "literal_error": _ALLOWED,
    "bool_type": gettext_lazy("Нужно true или false."),
    "bool_parsing": gettext_lazy("Нужно true или false."),
    "int_type": _INTEGER,
    "int_parsing": _INTEGER,
    "int_parsing_size": gettext_lazy("Число слишком большое."),
    "int_from_float": gettext_lazy("Нужно целое число, без дробной части."),
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "decimal_max_digits": gettext_lazy("Слишком много цифр: допустимо не больше %(max_digits)s."),
    "decimal_max_places": gettext_lazy(
        "Слишком много цифр после запятой: допустимо не больше %(decimal_places)s."
    ),
    "decimal_whole_digits": gettext_lazy(
        "Слишком много цифр до запятой: допустимо не больше %(whole_digits)s."
    ),
    "fraction_type": _NUMBER,
    "fraction_parsing": _NUMBER,
    "complex_type": _NUMBER,
    "complex_str_parsing": _NUMBER,
    "value_error": _own_message,
    "assertion_error": _own_message,
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": gettext_lazy("Нужна дата без времени."),
    "date_past": gettext_lazy("Дата должна быть в прошлом."),
    "date_future": gettext_lazy("Дата должна быть в будущем."),
    "time_type": _TIME,
    "time_parsing": _TIME,
    "datetime_type": _MOMENT,
    "datetime_parsing": _MOMENT,
    "datetime_object_invalid": _MOMENT,
    "datetime_from_date_parsing": _MOMENT,
    "datetime_past": gettext_lazy("Момент должен быть в прошлом."),
    "datetime_future": gettext_lazy("Момент должен быть в будущем."),
    "timezone_naive": gettext_lazy("Нужно время без часового пояса."),
    "timezone_aware": gettext_lazy("Нужно время с часовым поясом."),
    "timezone_offset": gettext_lazy("Неверный часовой пояс."),
    "time_delta_type": gettext_lazy("Нужна продолжительность."),
    "time_delta_parsing": gettext_lazy("Нужна продолжительность."),
    "url_type": _URL,
    "url_parsing": _URL,
    "url_syntax_violation": _URL,
    "url_too_long": gettext_lazy("Ссылка слишком длинная."),
    "url_scheme": gettext_lazy("Ссылка должна начинаться с одной из схем: %(expected_schemes)s."),
    "uuid_type": gettext_lazy("Нужен UUID."),
    "uuid_parsing": gettext_lazy("Нужен UUID."),
    "uuid_version": gettext_lazy("Нужен UUID версии %(expected_version)s."),
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "dataclass_type": _OBJECT,
    "dataclass_exact_type": _OBJECT,
    "dict_type": _OBJECT,
    "frozen_dict_type": _OBJECT,
    "ordered_dict_type": _OBJECT,
    "mapping_type": _OBJECT,
    "counter_type": _OBJECT,
    "arguments_type": _OBJECT,
    "invalid_key": gettext_lazy("Недопустимый ключ."),
    "list_type": _LIST,
    "tuple_type": _LIST,
    "set_type": _LIST,
    "frozen_set_type": _LIST,
    "deque_type": _LIST,
    "iterable_type": _LIST,
    "named_tuple_type": _LIST,
    "set_item_not_hashable": gettext_lazy("Элемент списка не может быть объектом или списком."),
    "iteration_error": _LIST,
    "bytes_type": _BYTES,
    "bytes_too_short": _BYTES,
    "bytes_too_long": _BYTES,
    "bytes_invalid_encoding": _BYTES,
    "union_tag_invalid": gettext_lazy("Неизвестный вариант: %(tag)s."),
    "union_tag_not_found": gettext_lazy("Не указан вариант (поле %(discriminator)s)."),
    "missing_argument": gettext_lazy("Обязательное поле."),
    "missing_keyword_only_argument": gettext_lazy("Обязательное поле."),
    "missing_positional_only_argument": gettext_lazy("Обязательное поле."),
    "unexpected_keyword_argument": gettext_lazy("Такого поля нет."),
    "unexpected_positional_argument": gettext_lazy("Такого поля нет."),
    "multiple_argument_values": gettext_lazy("Поле передано дважды."),
    "frozen_field": gettext_lazy("Это поле изменить нельзя."),
    "frozen_instance": gettext_lazy("Это поле изменить нельзя."),
    # Types a JSON request cannot cause; a plain message should one ever appear.
    "no_such_attribute": _INVALID,
    "needs_python_object": _INVALID,
    "recursion_loop": _INVALID,
    "recursion_depth_exceeded": gettext_lazy("Слишком глубокая вложенность."),
    "get_attribute_error": _INVALID,
    "default_factory_not_called": _INVALID,
    "is_instance_of": _INVALID,
    "is_subclass_of": _INVALID,
    "callable_type": _INVALID,
    "missing_sentinel_error": _INVALID,
    "ellipsis_error": _INVALID,
}


def pydantic_message(item: Mapping[str, Any]) -> str:
    """One pydantic error (`type`, `ctx`, `input`) in words of the active language."""
    ctx = dict(item.get("ctx") or {})
    message = PYDANTIC_MESSAGES.get(str(item.get("type")), _INVALID)
    if callable(message):
        return message(ctx, item)
    values = {key: str(value) for key, value in ctx.items()}
    if "expected" in values:
        values["expected"] = _quoted_values(values["expected"])
    text = str(message)
    try:
        return text % values if "%(" in text else text
    except (KeyError, ValueError):
        return str(_INVALID)


_SOURCES = {"body", "query", "path", "form", "header", "cookie", "file"}


def field_name(location: tuple[Any, ...] | list[Any]) -> str:
    """Where an error is: `query.<name>` for a query parameter, `path.<name>` for a path
    parameter, the field's own path inside a body (without ninja's body parameter name)."""
    parts = [str(part) for part in location]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else []
    elif parts and parts[0] in _SOURCES - {"query", "path"}:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def field_errors(items: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for item in items:
        errors.setdefault(field_name(tuple(item.get("loc", ()))), []).append(pydantic_message(item))
    return errors
