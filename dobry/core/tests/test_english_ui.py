"""The English UI shows no Russian from the code (issue 11 §6: «пн, утро» on the English
volunteer profile). Labels built from translated parts at import time (f-strings, `+`,
`str()` of a lazy text) freeze in Russian; they must stay lazy (`format_lazy`)."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db.models.fields import Field
from django.utils import translation

from dobry.core.tests.test_form_fields import _project_forms

ROOT = Path(__file__).resolve().parents[3]
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# Texts that are Russian on purpose whatever the UI language: a language named in itself,
# a proper name.
RUSSIAN_ON_PURPOSE = {
    "Русский",
    "For example: the circulation of the newspaper «Город и горожане», the statistics of a "
    "VK community.",
}


def _russian(text: object) -> bool:
    return bool(text) and bool(CYRILLIC.search(str(text))) and str(text) not in RUSSIAN_ON_PURPOSE


def _choice_labels(choices: object) -> list[object]:
    labels: list[object] = []
    for _value, label in choices or []:  # type: ignore[attr-defined]
        if isinstance(label, (list, tuple)):  # an optgroup
            labels.extend(inner for _v, inner in label)
        else:
            labels.append(label)
    return labels


@pytest.mark.django_db
def test_every_form_label_help_text_and_fixed_choice_is_english():
    found = []
    with translation.override("en"):
        for form_class in _project_forms():
            for name, field in getattr(form_class, "base_fields", {}).items():
                where = f"{form_class.__module__}.{form_class.__name__}.{name}"
                texts = [field.label, field.help_text]
                if not hasattr(field, "queryset"):  # choices from data are data
                    texts += _choice_labels(getattr(field, "choices", None))
                found += [f"{where}: {text}" for text in texts if _russian(text)]
    assert found == []


def test_every_model_name_field_name_and_choice_is_english():
    found = []
    with translation.override("en"):
        for model in apps.get_models():
            if not model.__module__.startswith("dobry."):
                continue
            meta = model._meta
            found += [
                f"{meta.label}: {text}"
                for text in (meta.verbose_name, meta.verbose_name_plural)
                if _russian(text)
            ]
            for field in meta.get_fields():
                if not isinstance(field, Field):
                    continue
                texts = [field.verbose_name, field.help_text, *_choice_labels(field.choices)]
                found += [f"{meta.label}.{field.name}: {t}" for t in texts if _russian(t)]
    assert found == []


@pytest.mark.django_db
def test_the_english_volunteer_profile_names_weekdays_and_parts_of_day_in_english(
    login_as, resident
):
    client = login_as(resident)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/volunteer/profile/").content.decode()
    assert "Mon, morning" in body
    assert "Sun, evening" in body
    assert "пн, утро" not in body


# Everything a template says is inside {% translate %} / {% blocktranslate %}; these stay as
# they are: the server-error and database-away pages (bilingual, rendered without the
# translation machinery), a language named in itself, the names of social networks.
TEMPLATE_TEXT_ON_PURPOSE = {"Русский", "ВКонтакте", "Одноклассники"}
UNTRANSLATED_TEMPLATES = {"500.html", "503.html"}
NOT_TEXT = [
    re.compile(r"\{% blocktranslate.*?\{% endblocktranslate %\}", re.S),
    re.compile(r"\{% comment %\}.*?\{% endcomment %\}", re.S),
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%.*?%\}", re.S),
    re.compile(r"\{\{.*?\}\}", re.S),
    re.compile(r"<[^>]*>"),
]


def test_templates_say_nothing_in_russian_outside_translate_tags():
    found = []
    for path in sorted((ROOT / "templates").rglob("*")):
        name = str(path.relative_to(ROOT / "templates"))
        if path.suffix not in {".html", ".txt"} or name in UNTRANSLATED_TEMPLATES:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in NOT_TEXT:
            text = pattern.sub("\n", text)
        found += [
            f"{name}: {line.strip()}"
            for line in text.splitlines()
            if CYRILLIC.search(line) and line.strip() not in TEMPLATE_TEXT_ON_PURPOSE
        ]
    assert found == []
