"""The coordinator's consultation archive: a consultation given in person (no asker) is
recorded, then found under «закрыта» and «все» beside an online question still open; every
tab and the archived consultation's page load (this archive once answered 500) and pass axe."""

import pytest
from playwright.sync_api import expect

from dobry.accounts.tests.factories import PASSWORD, UserFactory
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.resources import services
from dobry.resources.models import Consultation

from .conftest import assert_accessible, follow_menu, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def _rows(page) -> list[str]:
    return [row.inner_text() for row in page.locator("table tbody tr").all()]


def test_the_coordinator_finds_in_person_and_online_consultations_in_the_archive(page):
    OrganizationFactory(short_name="Тёплый дом")
    asker = UserFactory(first_name="Пётр")
    services.consultation_ask(
        user=asker,
        topic="registration",
        subject="Устав для регистрации",
        text="Как написать устав?",
        organization=None,
        attachment=None,
    )
    consultant = UserFactory(email="argo@example.org", first_name="Ольга", is_coordinator=True)

    log_in(page, consultant.email, PASSWORD)
    follow_menu(page, "Консультации")
    page.get_by_role("link", name="Записать консультацию лично или по телефону").click()
    assert_accessible(page)
    page.get_by_label("Организация").select_option(label="Тёплый дом")
    page.get_by_label("Тема").select_option("reporting")
    page.get_by_label("Как проходила").select_option("in_person")
    page.get_by_label("Вопрос").fill("Отчёт по субсидии")
    page.get_by_label("Итог").fill("Заполнили отчёт вместе")
    page.get_by_role("button", name="Записать").click()
    page.get_by_text("Консультация записана.").wait_for()
    recorded = Consultation.objects.get(subject="Отчёт по субсидии")
    assert recorded.asker is None
    assert recorded.status == Consultation.Status.CLOSED

    follow_menu(page, "Консультации")
    open_rows = _rows(page)
    assert any("Устав для регистрации" in row for row in open_rows)
    assert not any("Отчёт по субсидии" in row for row in open_rows)

    filters = page.get_by_role("navigation", name="Фильтр по статусу")
    filters.get_by_role("link", name="закрыта").click()
    expect(filters.get_by_role("link", name="закрыта")).to_have_attribute("aria-current", "page")
    assert_accessible(page)
    [row] = _rows(page)
    assert "Отчёт по субсидии" in row
    assert "Тёплый дом" in row
    assert "закрыта" in row

    filters.get_by_role("link", name="все").click()
    assert_accessible(page)
    rows = _rows(page)
    assert len(rows) == 2
    assert any("Устав для регистрации" in row for row in rows)

    page.get_by_role("link", name="Отчёт по субсидии").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Отчёт по субсидии")
    expect(page.get_by_text("Заполнили отчёт вместе")).to_be_visible()
    assert_accessible(page)

    # A status that does not exist (an old bookmark) is a clear 400 naming the parameter,
    # as on every list, page and API alike — never a silently empty or unfiltered list.
    response = page.goto("/desk/consultations/queue/?status=answered")
    assert response is not None
    assert response.status == 400
    expect(page.get_by_text("Параметр «status»")).to_be_visible()
