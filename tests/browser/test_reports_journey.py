"""An official opens the reports, changes the period, reads an indicator's method,
downloads the passport's table as DOCX; the public version shows the same figures; every
page passes axe (charts included)."""

from datetime import date

import pytest

from dobry.accounts.tests.factories import PASSWORD, UserFactory
from dobry.helprequests.tests.factories import ProgrammeFactory

from .conftest import assert_accessible, follow_menu, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_official_reads_the_indicators_for_a_quarter(page):
    official = UserFactory(email="official@example.org", is_official=True)
    ProgrammeFactory(starts_on=date(2025, 2, 1))
    log_in(page, official.email, PASSWORD)
    follow_menu(page, "Отчёты")
    page.get_by_role("heading", name="Отчёты: показатели паспорта практики").wait_for()
    assert_accessible(page)
    page.get_by_label("Период:").select_option("quarter")
    page.get_by_label("Год:").fill("2025")
    page.get_by_label("Квартал:").select_option("1")
    page.get_by_role("button", name="Показать").click()
    page.get_by_text("Период: 1 квартал 2025").wait_for()
    programmes = page.get_by_role("region", name="5. Программы добровольческой")
    assert "1" in programmes.inner_text()
    programmes.get_by_text("Как считается").click()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Таблица паспорта (DOCX)").click()
    assert download.value.suggested_filename == "passport-2025-01-01-2025-03-31.docx"
    page.get_by_role("link", name="Публичная версия").click()
    page.get_by_role("heading", name="Показатели практики «Добрый Железногорск»").wait_for()
    assert_accessible(page)
