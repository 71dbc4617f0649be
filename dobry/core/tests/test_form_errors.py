"""Forms that guide (WCAG 3.3.1, 3.3.3): every form shows its errors through one include,
a summary at the top that takes the focus and links to each field in error."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.template.loader import render_to_string

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# What renders a Django form's fields: a whole form, a field group, a loop over fields.
RENDERS_FIELDS = re.compile(r"\.as_div|\.as_p\b|\.as_field_group|\{% for field in \w*form")


def _summarised_by_includers(partial: Path) -> bool:
    """A partial (`_row.html`) that renders fields is fine when every template naming it
    shows the summary of its form."""
    name = str(partial.relative_to(TEMPLATES))
    includers = [
        text for path in TEMPLATES.rglob("*.html") if f'"{name}"' in (text := path.read_text())
    ]
    return bool(includers) and all("includes/form_errors.html" in text for text in includers)


def test_every_template_that_renders_form_fields_includes_the_error_summary():
    missing = [
        str(path.relative_to(TEMPLATES))
        for path in sorted(TEMPLATES.rglob("*.html"))
        if RENDERS_FIELDS.search(text := path.read_text())
        and "includes/form_errors.html" not in text
        and not (path.name.startswith("_") and _summarised_by_includers(path))
    ]
    assert not missing, missing


class _Form(forms.Form):
    name = forms.CharField(label="Имя")
    areas = forms.MultipleChoiceField(
        label="Направления", choices=[("a", "А")], widget=forms.CheckboxSelectMultiple
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("Проверьте даты.")


def test_the_summary_takes_the_focus_and_links_to_each_field_in_error():
    form = _Form(data={})
    html = render_to_string("includes/form_errors.html", {"form": form})
    assert 'tabindex="-1" autofocus data-error-summary' in html
    assert "<li>Проверьте даты.</li>" in html
    assert '<a href="#id_name">Имя: Обязательное поле.</a>' in html
    assert '<a href="#id_areas">Направления: Обязательное поле.</a>' in html
    assert "<li>Обязательное поле.</li>" in html  # the hidden field: no link to nowhere


def test_a_valid_or_unbound_form_shows_no_summary():
    assert "data-error-summary" not in render_to_string(
        "includes/form_errors.html", {"form": _Form()}
    )


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [str(value) for name, value in attrs if name == "id"]


@pytest.mark.django_db
def test_failed_registration_repeats_no_id_and_summarises_the_consents(client):
    response = client.post("/accounts/signup/", {})
    assert response.status_code == 200
    parser = _Ids()
    parser.feed(response.content.decode())
    assert len(parser.ids) == len(set(parser.ids))
    assert parser.ids.count("id_consent_personal_data_error") == 1
    assert parser.ids.count("id_consent_terms_error") == 1
    assert 'href="#id_consent_terms"' in response.content.decode()
