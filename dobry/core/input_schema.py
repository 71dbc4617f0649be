"""The base of every request body schema of the API (`dobry/*/api.py`), here below every app
so that each app's router may use it (`dobry.api.fields` sits above `accounts`)."""

from typing import Any, get_args

from ninja import Schema
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError


def _takes_bool(annotation: Any) -> bool:
    """Whether a field's type admits true/false anywhere (bool, Any, a nested object)."""
    if annotation is bool or annotation is Any:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True  # the nested object checks its own fields
    return any(_takes_bool(arg) for arg in get_args(annotation))


def _holds_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, list | tuple):
        return any(isinstance(item, bool) for item in value)
    if isinstance(value, dict):
        return any(isinstance(item, bool) for item in value.values())
    return False


class InputSchema(Schema):
    """Every request body of the API (and each object inside one): a field it does not
    declare — unknown, misspelt or read-only (`is_staff`, `requested_amount` of an
    application) — is a 422 naming it («Такого поля нет.»), never silently dropped.
    `dobry/api/tests/test_schema.py` checks every body of the OpenAPI document.

    true/false where a number or an id is expected is a 422 too: pydantic reads true as 1,
    so `{"score": true}` rated a project one star and `{"options": [true]}` marked option 1."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_for_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name is None or not _holds_bool(value):
            return value
        field = cls.model_fields.get(info.field_name)
        if field is None or _takes_bool(field.annotation):
            return value
        raise PydanticCustomError("int_type", "Input should be a valid integer")
