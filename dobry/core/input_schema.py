"""The base of every request body schema of the API (`dobry/*/api.py`), here below every app
so that each app's router may use it (`dobry.api.fields` sits above `accounts`)."""

from ninja import Schema
from pydantic import ConfigDict


class InputSchema(Schema):
    """Every request body of the API (and each object inside one): a field it does not
    declare — unknown, misspelt or read-only (`is_staff`, `requested_amount` of an
    application) — is a 422 naming it («Такого поля нет.»), never silently dropped.
    `dobry/api/tests/test_schema.py` checks every body of the OpenAPI document."""

    model_config = ConfigDict(extra="forbid")
