"""An organisation's editor records a month of their programme — a mistake first, told at
the field — and, once a coordinator confirmed it, the residents helped in the reports grow
by those people; axe on every page."""

from datetime import date

import pytest
from playwright.sync_api import expect

from dobry.accounts.tests.factories import PASSWORD, UserFactory
from dobry.helprequests.services import programmes
from dobry.helprequests.tests.factories import ProgrammeFactory
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_editor_records_people_helped_and_the_reports_count_them(page):
    programme = ProgrammeFactory(name="Продуктовые наборы", starts_on=date(2025, 1, 1))
    Organization.objects.filter(pk=programme.organization_id).update(
        status=Organization.Status.VERIFIED
    )
    editor = MembershipFactory(
        organization=programme.organization,
        role=Membership.Role.EDITOR,
        user=UserFactory(email="editor@example.org"),
    ).user
    log_in(page, editor.email, PASSWORD)
    page.goto("/help/programmes/")
    assert_accessible(page)
    page.get_by_role("link", name="Получатели помощи по месяцам — Продуктовые наборы").click()
    page.get_by_role("heading", name="Получатели помощи: Продуктовые наборы").wait_for()
    assert_accessible(page)
    page.get_by_label("Месяц:", exact=True).fill("2025-03")
    page.get_by_label("Получили помощь в этом месяце, человек").fill("30")
    page.get_by_label("Из них впервые в этой программе").fill("31")
    page.get_by_role("button", name="Сохранить месяц").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_text("не может быть больше, чем всех получивших")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Из них впервые в этой программе").fill("12")
    page.get_by_role("button", name="Сохранить месяц").click()
    expect(page.get_by_text("Запись сохранена")).to_be_visible()
    expect(page.get_by_role("cell", name="03.2025", exact=True)).to_be_visible()
    expect(page.get_by_text("ждёт подтверждения координатора")).to_be_visible()
    page.goto("/reports/public/?kind=month&year=2025&month=3")
    helped = page.get_by_role("region", name="6. Жители, получившие помощь")
    expect(helped.locator(".display-6")).to_have_text("0")  # an organisation's entry waits
    # a coordinator confirms it (issue 11: an organisation's figure counts once checked)
    programmes.programme_record_confirm(
        actor=UserFactory(is_coordinator=True), programme=programme, month=date(2025, 3, 1)
    )
    page.reload()
    helped = page.get_by_role("region", name="6. Жители, получившие помощь")
    expect(helped.locator(".display-6")).to_have_text("30")
    assert_accessible(page)
