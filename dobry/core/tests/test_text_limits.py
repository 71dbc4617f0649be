"""Every free-text field a person writes has a limit (issue 11 §2: a consultation of 3 MB
through the API, 5 MB through the form, was saved): each TextField of the models, each text
field of every form, each string of every API input schema (`dobry.core.text_limits`)."""

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.test import Client

from dobry.core.tests.test_form_fields import _project_forms

# Written by the platform, never typed by a person into a form or the API.
SYSTEM_TEXT = {
    "communications.notification.body": "rendered from a notification template",
    "communications.outboundemail.body_text": "rendered email",
    "communications.outboundemail.body_html": "rendered email",
    "communications.outboundemail.last_error": "the mail server's answer",
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
                ref = option.get("$ref") or option.get("items", {}).get("$ref")
                if ref:
                    walk(ref.rsplit("/", 1)[-1])
                elif option.get("type") == "string" and not (
                    {"maxLength", "format", "enum", "pattern"} & set(option)
                ):
                    found.append(f"{name}.{field}")

    for name in sorted(_input_schemas(schema)):
        walk(name)
    return found


@pytest.mark.django_db
def test_every_string_an_api_body_takes_has_a_max_length():
    schema = Client().get("/api/v1/openapi.json").json()
    assert _unlimited_strings(schema) == [], "\n".join(_unlimited_strings(schema))
