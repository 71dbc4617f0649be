"""The menu folds on a phone and opens by touch, keyboard and without JavaScript (issue 11
§6); a form that failed puts a focused summary of its errors at the top (issue 19)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dobry.accounts.tests.factories import UserFactory
from dobry.events.tests.factories import volunteer
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 640}


def _menu(page):
    return page.get_by_role("navigation", name="Основное меню", include_hidden=True)


def test_on_a_phone_the_menu_folds_and_opens_by_touch_and_keyboard(browser, live_server):
    coordinator = UserFactory(is_coordinator=True)
    context = browser.new_context(locale="ru-RU", base_url=live_server.url, viewport=PHONE)
    sign_in(context, live_server.url, coordinator)
    page = context.new_page()
    page.goto("/")
    header = page.locator("header.site-header").bounding_box()
    assert header["height"] <= 150  # was 360–504 px with the menu in rows
    events = _menu(page).get_by_role("link", name="Мероприятия", include_hidden=True)
    expect(events).to_be_hidden()
    assert_accessible(page)

    page.get_by_text("Меню", exact=True).click()
    expect(events).to_be_visible()
    review = _menu(page).get_by_role("link", name="Проверка", include_hidden=True)
    expect(review).to_be_hidden()  # role groups stay folded until asked for
    page.get_by_text("Координатору", exact=True).click()
    expect(review).to_be_visible()
    assert_accessible(page)
    page.get_by_text("Координатору", exact=True).click()
    page.get_by_text("Меню", exact=True).click()
    expect(events).to_be_hidden()

    page.get_by_text("Меню", exact=True).focus()
    page.keyboard.press("Enter")
    expect(events).to_be_visible()
    # Tab through the public links and the folded groups, in order, to «Координатору»
    stops = []
    while stops[-1:] != ["Координатору"] and len(stops) < 20:
        page.keyboard.press("Tab")
        stops.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert stops[-3:] == ["Моё", "Для НКО", "Координатору"]  # closed groups are one stop each
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Проверка"
    page.keyboard.press("Escape")
    expect(review).to_be_hidden()
    assert page.evaluate("document.activeElement.textContent") == "Координатору"
    context.close()


def test_the_menu_works_without_javascript(browser, live_server):
    person = volunteer()
    context = browser.new_context(
        locale="ru-RU", base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    sign_in(context, live_server.url, person)
    page = context.new_page()
    page.goto("/")
    page.get_by_text("Меню", exact=True).click()
    page.get_by_text("Моё", exact=True).click()
    _menu(page).get_by_role("link", name="Мои смены").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Мои смены")
    context.close()


def test_on_a_wide_screen_the_menu_is_open_and_groups_by_role(page, live_server):
    official = UserFactory(is_official=True)
    sign_in(page.context, live_server.url, official)
    page.goto("/")
    menu = _menu(page)
    expect(menu.get_by_role("link", name="Организации")).to_be_visible()
    expect(page.get_by_text("Меню", exact=True)).to_be_hidden()
    expect(page.get_by_text("Администрации", exact=True)).to_be_visible()
    expect(page.get_by_text("Координатору", exact=True)).to_have_count(0)
    page.get_by_text("Администрации", exact=True).click()
    menu.get_by_role("link", name="Отчёты").click()
    page.wait_for_url("**/reports/**")


def _assert_summary_leads_to_fields(page, field_label: str) -> None:
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text(
        "Форма не отправлена: исправьте, пожалуйста, ошибки"
    )
    summary.get_by_role("link", name=field_label).first.click()
    expect(page.get_by_label(field_label).first).to_be_focused()
    assert_accessible(page)


def test_registration_after_a_failed_submit_focuses_the_summary_of_errors(page):
    page.goto("/accounts/signup/")
    page.get_by_role("button", name="Зарегистрироваться").click()
    page.wait_for_load_state("load")
    _assert_summary_leads_to_fields(page, "Фамилия:")
    ids = page.eval_on_selector_all("[id]", "nodes => nodes.map(n => n.id)")
    assert len(ids) == len(set(ids)), "no id repeats (id_consent_terms_error was doubled)"


def test_the_consultation_question_and_the_hours_claim_guide_the_same_way(page, live_server):
    leader = volunteer()
    MembershipFactory(user=leader, role=Membership.Role.OWNER)
    sign_in(page.context, live_server.url, leader)
    page.goto(reverse("resources:ask"))
    page.get_by_role("button", name="Отправить вопрос").click()
    page.wait_for_load_state("load")
    _assert_summary_leads_to_fields(page, "Ваш вопрос")

    page.goto(reverse("volunteering:claim"))
    page.get_by_role("button", name="Отправить на подтверждение").click()
    page.wait_for_load_state("load")
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert page.locator("[data-error-summary] a").count() >= 1
    assert_accessible(page)
