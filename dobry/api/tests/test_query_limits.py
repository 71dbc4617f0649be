"""Hostile query strings are refused, never answered 500 nor quietly ignored (issue 11
hardening §3): for every query parameter of every API read, a string one character over its
limit, a value outside its list, a word where a number or a yes/no belongs, a date that does
not exist and a NUL character each give a 422 naming the parameter (`core/tests/
test_text_limits.py` proves every string parameter has a limit)."""

from typing import Any

import pytest
from django.test import Client

from dobry.accounts.tests.factories import UserFactory
from dobry.api.tests.error_shape import shape_problems

pytestmark = pytest.mark.django_db


def _schema() -> dict[str, Any]:
    return Client().get("/api/v1/openapi.json").json()


def _resolved(spec: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    for option in spec.get("anyOf", [spec]):
        if option.get("type") == "null":
            continue
        if "$ref" in option:
            return components[option["$ref"].rsplit("/", 1)[-1]]
        return option
    return spec


def _hostile(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """(what, value) pairs a parameter of this schema must refuse."""
    kind = spec.get("type")
    if "enum" in spec:
        return [("unknown choice", "no-such-value"), ("long", "x" * 10_000)]
    if kind == "string" and spec.get("format") == "date":
        return [("no such date", "2027-02-30"), ("year 1", "0001-01-01"), ("word", "завтра")]
    if kind == "string":
        limit = spec.get("maxLength")
        cases = [("one over the limit", "я" * (limit + 1))] if limit else []
        if "pattern" in spec:
            cases.append(("outside the pattern", "<script>"))
        return cases
    if kind == "integer":
        return [("word", "abc"), ("fraction", "1.5"), ("huge", "9" * 30), ("odd digits", "٣")]
    if kind == "boolean":
        return [("word", "maybe")]
    return []


def _cases() -> list[tuple[str, str, str, str]]:
    schema = _schema()
    components = schema["components"]["schemas"]
    cases = []
    for path, methods in schema["paths"].items():
        operation = methods.get("get")
        if operation is None:
            continue
        url = path.replace("{pk}", "1").replace("{token}", "x")
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            spec = _resolved(parameter.get("schema", {}), components)
            for what, value in _hostile(spec):
                cases.append((url, parameter["name"], what, value))
    return cases


CASES = _cases()


def test_the_walk_finds_the_hostile_cases():
    named = {(url, name) for url, name, _what, _value in CASES}
    assert ("/api/v1/library", "q") in named
    assert ("/api/v1/events", "district") in named
    assert ("/api/v1/help-requests/public", "category") in named
    assert ("/api/v1/events", "page") in named


@pytest.mark.parametrize(("url", "name", "what", "value"), CASES)
def test_a_hostile_query_value_is_refused_naming_it(url, name, what, value):
    client = Client()
    client.force_login(UserFactory())
    response = client.get(url, {name: value})
    assert 400 <= response.status_code < 500, (what, response.status_code, response.content)
    if response.status_code == 422:
        assert f"query.{name}" in response.json()["errors"], response.json()
    assert shape_problems(response) == []


@pytest.mark.parametrize("url", sorted({url for url, _name, _what, _value in CASES}))
def test_a_nul_in_any_query_is_a_422_naming_it(url):
    client = Client()
    client.force_login(UserFactory())
    response = client.get(url, {"q": "добро\x00"})
    assert response.status_code == 422
    assert "q" in response.json()["errors"], response.json()  # said below the API
    assert shape_problems(response) == []
