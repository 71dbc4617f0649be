"""Every free-text field a person writes has a limit (issue 11 §2: a consultation of 3 MB
through the API, 5 MB through the form, was saved): each TextField of the models, each text
field of every form, each string of every API input schema (`dobry.core.text_limits`) — and
a text over its limit is refused, never cut to fit (an application's text was cut at 20,000
characters without a word)."""

import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.test import Client

from dobry.core.tests.test_form_fields import _project_forms

# Written by the platform, never typed by a person into a form or the API.
SYSTEM_TEXT = {
    "communications.notification.stored_body": "a notification rendered before issue 11",
    "communications.outboundemail.body_text": "rendered email",
    "communications.outboundemail.body_html": "rendered email",
    "communications.outboundemail.last_error": "the mail server's answer",
    "communications.outboundtelegram.text": "a rendered notification",
    "communications.outboundtelegram.last_error": "the Bot API's answer",
    "communications.channelpost.text": "a news item as rendered for its channel",
    "communications.channelpost.last_error": "the channel's answer",
    "core.idempotentrequest.content": "a stored API answer",
}


def test_every_text_field_a_person_writes_has_a_max_length():
    ours = {config.label for config in apps.get_app_configs() if config.name.startswith("dobry.")}
    unlimited = {
        f"{model._meta.label_lower}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in ours
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and field.editable and not field.max_length
    }
    assert len(ours) > 8
    assert sorted(unlimited - set(SYSTEM_TEXT)) == []


def test_every_form_text_field_has_a_max_length():
    unlimited = [
        f"{form_class.__module__}.{form_class.__name__}.{name}"
        for form_class in _project_forms()
        for name, field in getattr(form_class, "base_fields", {}).items()
        if type(field) in (forms.CharField,) and not field.max_length
    ]
    assert unlimited == [], "\n".join(unlimited)


def _input_schemas(schema: dict) -> set[str]:
    names: set[str] = set()
    for methods in schema["paths"].values():
        for operation in methods.values():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                ref = content.get("schema", {}).get("$ref")
                if ref:
                    names.add(ref.rsplit("/", 1)[-1])
    return names


def _unlimited_strings(schema: dict) -> list[str]:
    components = schema["components"]["schemas"]
    found: list[str] = []
    seen: set[str] = set()

    def walk(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        for field, spec in components[name].get("properties", {}).items():
            options = spec.get("anyOf", [spec])
            if any(option.get("type") == "number" for option in options):
                continue  # an amount: a number, or digits in a string (`fields.Amount`)
            for option in options:
                # a dict's values (`dict[str, str]`) are strings a person writes too
                values = option.get("additionalProperties")
                for inner, suffix in ((option, ""), (values, ".*")):
                    if not isinstance(inner, dict):
                        continue
                    ref = inner.get("$ref") or inner.get("items", {}).get("$ref")
                    if ref:
                        walk(ref.rsplit("/", 1)[-1])
                    elif inner.get("type") == "string" and not (
                        {"maxLength", "format", "enum", "pattern"} & set(inner)
                    ):
                        found.append(f"{name}.{field}{suffix}")

    for name in sorted(_input_schemas(schema)):
        walk(name)
    return found


@pytest.mark.django_db
def test_every_string_an_api_body_takes_has_a_max_length():
    schema = Client().get("/api/v1/openapi.json").json()
    assert _unlimited_strings(schema) == [], "\n".join(_unlimited_strings(schema))


def _unlimited_parameters(schema: dict) -> list[str]:
    """Query and path parameters that are strings (directly, in a list, or a referenced
    schema) with no maxLength, format, enum or pattern."""
    components = schema["components"]["schemas"]
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] not in ("query", "path"):
                    continue
                spec = parameter.get("schema", {})
                for option in spec.get("anyOf", [spec]):
                    option = option.get("items", option)
                    if "$ref" in option:
                        option = components[option["$ref"].rsplit("/", 1)[-1]]
                    if option.get("type") == "string" and not (
                        {"maxLength", "format", "enum", "pattern"} & set(option)
                    ):
                        found.append(f"{method.upper()} {path} {parameter['name']}")
    return found


@pytest.mark.django_db
def test_every_string_an_api_query_or_path_takes_has_a_limit():
    """A list's filters and search words are strings a person types too: a 10 MB `q` or
    district went to the database (`dobry.api.fields.SearchText`, `DistrictSlug`)."""
    schema = Client().get("/api/v1/openapi.json").json()
    parameters = [
        p["name"]
        for methods in schema["paths"].values()
        for operation in methods.values()
        for p in operation.get("parameters", [])
        if p["in"] == "query"
    ]
    assert {"q", "district", "kind", "page"} <= set(parameters)  # the walk sees them
    assert _unlimited_parameters(schema) == [], "\n".join(_unlimited_parameters(schema))


# Text the platform itself cuts, not what a person typed: file and line fragment → why.
CUTS_ALLOWED = {
    ("dobry/core/documents.py", "text[:XLSX_MAX_TEXT]"): "an Excel cell holds 32,767 characters",
    ("dobry/core/idempotency.py", '.get("Content-Type", "")[:100]'): "a stored response header",
    ("dobry/events/calendar.py", "event.description[:500]"): "a calendar entry's preview",
    ("dobry/grants/demo.py", "str(organization)[:140]"): "demo data",
    ("dobry/resources/models/consultations.py", "self.text[:60]"): "a message's label in lists",
    ("dobry/resources/models/groups.py", "self.text[:80]"): "a decision's label in lists",
    ("dobry/core/documents.py", "name[: SHEET_TITLE_MAX"): "Excel's sheet names: 31 characters",
    ("dobry/charity/models/campaigns.py", "self.text[:60]"): "an update's label in lists",
    ("dobry/site/hooks.py", "event.description[:1000]"): "a channel post's lead from an event "
    "without a summary: the channel's renderer cuts it again at a word",
    ("dobry/core/files.py", "name[:limit]"): "an uploaded file's own name kept for its "
    "download, cut inside the stem to keep the extension (`fit_file_name`); nothing typed",
    ("dobry/charity/payment_qr.py", "text[: MAX_LENGTHS[key]]"): "a payment QR's values within "
    "ГОСТ Р 56042-2014's lengths: generated from checked details, the code first",
}
TYPED_CUT = re.compile(
    r"(\.strip\(\)|\.get\([^()]*\)|\bstr\([^()]*\)|\b(?:[a-z_]*name|title|subject|"
    r"text|reason|note|description|purpose|comments?|message|q|summary|task|content))\[:"
)


def test_no_typed_text_is_cut_to_fit():
    """A service, view or form that slices a text to a limit loses what was typed past it:
    refuse it with `text_limits.require_within_limits` instead."""
    found = []
    for path in sorted(Path("dobry").rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for match in TYPED_CUT.finditer(line):
                fragment = line[match.start() : line.index("]", match.end()) + 1].strip()
                if not any(str(path) == file and cut in line for file, cut in CUTS_ALLOWED):
                    found.append(f"{path}:{number}: {fragment}")
    assert found == [], "\n".join(found)
