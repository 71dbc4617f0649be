"""register → confirm email → log in → propose an organisation → coordinator verifies it
→ it appears in the catalogue; every page passes axe."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from dobry.accounts.tests.factories import PASSWORD, UserFactory
from dobry.organizations.demo import demo_inn, demo_ogrn
from dobry.organizations.models import Organization

from .conftest import assert_accessible, follow_menu, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_resident_registers_proposes_and_coordinator_verifies(page, live_server):
    coordinator = UserFactory(is_coordinator=True, first_name="Ольга")

    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Добрый Железногорск"
    assert_accessible(page)

    page.get_by_role("link", name="Регистрация").click()
    assert_accessible(page)
    page.get_by_label("Имя:", exact=True).fill("Мария")
    page.get_by_label("Фамилия:").fill("Волонтёрова")
    page.get_by_label("Адрес электронной почты:").fill("maria@example.org")
    page.get_by_label("Пароль:", exact=True).fill("Sibir-2026-dobro")
    page.get_by_label("Пароль (ещё раз):").fill("Sibir-2026-dobro")
    page.get_by_label("Я даю согласие на обработку моих персональных данных").check()
    page.get_by_label("Я принимаю правила пользования платформой").check()
    page.get_by_role("button", name="Зарегистрироваться").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    assert_accessible(page)

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(live_server.url + "/accounts/confirm-email/" + link.split("/confirm-email/")[1])
    assert_accessible(page)
    page.get_by_role("button", name="Подтвердить").click()
    page.wait_for_url(f"{live_server.url}/")

    follow_menu(page, "Добавить организацию")
    assert_accessible(page)
    page.get_by_label("Вид").select_option("sonko")
    page.get_by_label("Полное название").fill("АНО «Тёплый дом»")
    page.get_by_label("Краткое название").fill("Тёплый дом")
    page.get_by_label("ИНН").fill(demo_inn(4242))
    page.get_by_label("ОГРН").fill(demo_ogrn(4242))
    page.get_by_label("Старшее поколение").check()
    page.get_by_role("button", name="Отправить на проверку").click()
    page.wait_for_url(re.compile(r"/organizations/\d+/$"))
    expect(page.get_by_text("ожидает проверки").first).to_be_visible()
    assert_accessible(page)
    organization = Organization.objects.get(short_name="Тёплый дом")

    page.get_by_role("button", name="Выйти").click()
    log_in(page, coordinator.email, PASSWORD)
    follow_menu(page, "Проверка")
    assert_accessible(page)
    page.get_by_role("link", name="Тёплый дом").click()
    assert_accessible(page)
    page.get_by_role("button", name="Подтвердить: организация проверена").click()
    page.get_by_text("Организация проверена и отмечена значком.").wait_for()
    assert_accessible(page)
    organization.refresh_from_db()
    assert organization.is_verified

    page.get_by_role("link", name="Организации", exact=True).click()
    expect(page.get_by_role("link", name="Тёплый дом")).to_be_visible()
    assert_accessible(page)


def test_low_vision_mode_is_accessible_and_remembered(page):
    page.goto("/organizations/")
    page.get_by_role("button", name="Версия для слабовидящих").click()
    assert "low-vision" in page.locator("body").get_attribute("class")
    assert_accessible(page)
    page.get_by_role("button", name="белым по чёрному").click()
    page.goto("/")
    assert "lv-scheme-wb" in page.locator("body").get_attribute("class")
    assert_accessible(page)
