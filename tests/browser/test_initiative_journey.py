"""A resident posts a city initiative; two neighbours support it, the second support
reaches the threshold and the resource centre is notified; a coordinator opens the desk,
answers publicly, and anyone reads the answer on the initiative's page. Every page passes
axe."""

import pytest
from playwright.sync_api import expect

from dobry.accounts.tests.factories import UserFactory
from dobry.civic.models import Initiative
from dobry.communications.models import Notification
from dobry.core.models import District

from .conftest import assert_accessible, follow_menu, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _as(browser, live_server, user):
    context = browser.new_context(locale="ru-RU", base_url=live_server.url)
    context.set_default_timeout(15000)
    sign_in(context, live_server.url, user)
    return context.new_page()


def _support(browser, live_server, initiative) -> None:
    page = _as(browser, live_server, UserFactory())
    page.goto(initiative.get_absolute_url())
    page.get_by_role("button", name="Поддержать").click()
    page.get_by_text("Спасибо за поддержку!").wait_for()
    assert_accessible(page)
    page.context.close()


def test_resident_posts_neighbours_support_and_the_centre_answers(browser, live_server, settings):
    settings.DOBRY_INITIATIVE_SUPPORT_THRESHOLD = 2
    District.objects.create(name="Ленинградский", slug="leningradsky")
    staff = UserFactory(is_coordinator=True)
    page = _as(browser, live_server, UserFactory())
    page.goto("/initiatives/")
    assert_accessible(page)
    page.get_by_role("link", name="Предложить инициативу").click()
    assert_accessible(page)
    page.get_by_label("Название").fill("Каток во дворе")
    page.get_by_label("Проблема").fill("Детям негде кататься зимой.")
    page.get_by_label("Идея: как решить").fill("Залить каток и дежурить по графику.")
    page.get_by_label("Район").select_option(label="Ленинградский")
    page.get_by_label("Нужны люди с навыками").fill("заливка льда, дежурство")
    page.get_by_role("button", name="Опубликовать").click()
    expect(page.get_by_role("heading", name="Каток во дворе")).to_be_visible()
    assert_accessible(page)
    initiative = Initiative.objects.get(title="Каток во дворе")

    _support(browser, live_server, initiative)
    assert not Notification.objects.filter(kind="initiative_threshold").exists()
    _support(browser, live_server, initiative)
    assert Notification.objects.filter(user=staff, kind="initiative_threshold").count() == 1

    desk = _as(browser, live_server, staff)
    desk.goto("/")
    follow_menu(desk, "Инициативы: ответы и жалобы")
    assert_accessible(desk)
    desk.get_by_role("link", name="Каток во дворе").click()
    desk.get_by_role("textbox", name="Ответ ресурсного центра").fill(
        "Приглашаем на консультацию в среду."
    )
    desk.get_by_role("button", name="Опубликовать ответ").click()
    desk.get_by_text("Ответ опубликован.").wait_for()
    assert_accessible(desk)

    page.goto(initiative.get_absolute_url())
    expect(page.get_by_text("Приглашаем на консультацию в среду.")).to_be_visible()
    expect(page.locator("#support-count")).to_contain_text("2")
    assert_accessible(page)
    page.goto("/initiatives/")
    assert_accessible(page)
