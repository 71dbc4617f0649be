"""An id in an API path is digits only, as on the pages (Django's `int` converter): `GET
/api/v1/work-calendar/2026.0` answered the year 2026, and `/competitions/1.0`, `+1` or `1_0`
were read as competition 1 — pydantic's lax integers take them. Every integer parameter of
every path of the OpenAPI document is walked: such a value matches no address (404)."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

PLACEHOLDER = re.compile(r"\{(\w+)\}")
NOT_DIGITS = ["1.0", "+1", "1_0", "٢", "1e3"]


def _operations() -> list[tuple[str, str, dict[str, str]]]:
    """(path, method, {parameter: type}) of every operation of the document."""
    schema: dict[str, Any] = Client().get("/api/v1/openapi.json").json()
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            kinds = {
                parameter["name"]: parameter.get("schema", {}).get("type", "")
                for parameter in operation.get("parameters", [])
                if parameter["in"] == "path"
            }
            found.append((path, method, kinds))
    return found


OPERATIONS = _operations()


def _filled(path: str, kinds: dict[str, str], odd: str, value: str) -> str:
    def fill(found: re.Match[str]) -> str:
        name = found.group(1)
        if name == odd:
            return value
        return "1" if kinds.get(name) == "integer" else "x"

    return PLACEHOLDER.sub(fill, path)


def test_the_walk_finds_integer_paths():
    integer_paths = {path for path, _method, kinds in OPERATIONS if "integer" in kinds.values()}
    assert "/api/v1/work-calendar/{year}" in integer_paths
    assert "/api/v1/competitions/{pk}" in integer_paths
    assert len(integer_paths) > 100


@pytest.mark.parametrize("value", NOT_DIGITS)
def test_an_integer_path_parameter_takes_digits_only(value):
    loose = []
    for path, _method, kinds in OPERATIONS:
        for name, kind in kinds.items():
            if kind != "integer":
                continue
            url = _filled(path, kinds, name, value)
            try:
                resolve(url)
            except Resolver404:
                continue
            loose.append(f"{path} ({name})")
        # Negative control: the same address with digits resolves.
        if "integer" in kinds.values():
            resolve(_filled(path, kinds, "", ""))
    assert not loose, sorted(set(loose))


@pytest.mark.django_db
def test_a_year_that_is_not_digits_is_not_found():
    assert Client().get("/api/v1/work-calendar/2026").status_code == 200
    response = Client().get("/api/v1/work-calendar/2026.0")
    assert response.status_code == 404
    assert response.json()["message"].startswith("В API нет такого адреса")
