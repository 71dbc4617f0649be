"""The agreement's DOCX: the platform's template with every value and table, the
administration's own template (a setting) with placeholders Word split over runs, and text
people typed that would break the file or run as a formula."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from docx import Document

from dobry.env import env_file
from dobry.grants.agreements import document
from dobry.grants.tests.agreements import draft_agreement
from dobry.grants.tests.factories import complete_content

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    parsed = Document(io.BytesIO(content))
    cells = [cell.text for table in parsed.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in parsed.paragraphs] + cells)


def test_the_platforms_template_has_the_terms_and_every_table(official):
    agreement = draft_agreement(official)
    text = _text(document.agreement_docx(agreement))
    assert f"№ {agreement.number}" in text
    assert "100\xa0000,00" in text
    assert agreement.application.title in text
    assert "Чай и канцелярия" in text  # the budget line
    assert "Встречи" in text  # the calendar plan
    assert "Участники" in text  # the indicators
    assert "итоговый отчёт" in text
    assert "{{" not in text


def _template(path: Path) -> None:
    custom = Document()
    paragraph = custom.add_paragraph("Соглашение № ")
    paragraph.add_run("{{ num")  # Word splits a placeholder over runs
    paragraph.add_run("ber }} на сумму {{ amount }} ₽; {{ unknown }}")
    custom.add_paragraph("{{ tranches }}")
    table = custom.add_table(rows=1, cols=1)
    table.rows[0].cells[0].text = "Получатель: {{ grantee }}"
    custom.save(path)


def test_the_administrations_template_is_filled(official, settings, tmp_path):
    path = tmp_path / "shablon.docx"
    _template(path)
    settings.DOBRY_GRANT_AGREEMENT_TEMPLATE = str(path)
    agreement = draft_agreement(official)
    text = _text(document.agreement_docx(agreement))
    assert f"Соглашение № {agreement.number} на сумму 100\xa0000,00 ₽; {{{{ unknown }}}}" in text
    assert f"Получатель: {agreement.application.applicant_name}" in text
    assert "Плановая дата" in text  # the tranches' table where its placeholder was
    assert "Чай и канцелярия" not in text  # a table the template does not place


def test_the_template_setting_must_name_a_file(monkeypatch, tmp_path):
    monkeypatch.setenv("DOBRY_GRANT_AGREEMENT_TEMPLATE", str(tmp_path / "missing.docx"))
    with pytest.raises(ImproperlyConfigured, match="DOBRY_GRANT_AGREEMENT_TEMPLATE"):
        env_file("DOBRY_GRANT_AGREEMENT_TEMPLATE")
    monkeypatch.setenv("DOBRY_GRANT_AGREEMENT_TEMPLATE", "")
    assert env_file("DOBRY_GRANT_AGREEMENT_TEMPLATE") == ""


def test_typed_text_never_breaks_the_file(official):
    # Controls older records may hold (NUL never reaches any database: PostgreSQL's JSON
    # refuses it, and the request guard refuses it at the door).
    content = {
        **complete_content(),
        "budget": [{"item": '=HYPERLINK("x")\x0b\x08', "requested": "100000"}],
        "indicators": [{"name": "Зрители\x1f", "unit": "чел.", "target": "10"}],
    }
    agreement = draft_agreement(official, content=content)
    text = _text(document.agreement_docx(agreement))
    assert '=HYPERLINK("x")' in text
    assert "Зрители" in text


def test_the_calendar_plan_shows_its_days_as_people_read_them(official):
    """The calendar plan's days were printed as the applicant's form stores them, ISO."""
    agreement = draft_agreement(official)
    text = _text(document.agreement_docx(agreement))
    assert "01.02.2027" in text
    assert "31.05.2027" in text
    assert "2027-02-01" not in text
