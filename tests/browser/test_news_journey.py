"""An organisation's editor writes a news item → sends it to moderation → a coordinator
publishes it → it appears in the public feed, on the organisation's page and in the RSS
feed; every page passes axe."""

import re

import feedparser
import pytest
from playwright.sync_api import expect

from dobry.accounts.tests.factories import PASSWORD, UserFactory
from dobry.communications.models import NewsItem
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

from .conftest import assert_accessible, follow_menu, log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)


def test_write_submit_moderate_and_the_item_is_in_the_feed(page, live_server, settings):
    settings.DOBRY_SITE_URL = live_server.url
    organization = OrganizationFactory(short_name="Тёплый дом")
    editor = UserFactory(email="editor@example.org", first_name="Елена")
    MembershipFactory(organization=organization, user=editor, role=Membership.Role.EDITOR)
    coordinator = UserFactory(email="rc@example.org", first_name="Ольга", is_coordinator=True)

    log_in(page, editor.email, PASSWORD)
    page.goto(organization.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("region", name="Новости").get_by_role("link", name="Написать новость").click()
    assert_accessible(page)
    page.get_by_label("Вид:", exact=True).select_option("announcement")
    page.get_by_label("Заголовок:", exact=True).fill("Собираем тёплые вещи")
    page.get_by_label("Коротко:", exact=True).fill(
        "Пункт сбора открыт до пятницы в Молодёжном центре."
    )
    page.get_by_label("Текст:", exact=True).fill(
        "<p>Нужны <strong>куртки и варежки</strong>.</p><script>alert(1)</script>"
    )
    page.get_by_label("Организация:", exact=True).select_option(label="Тёплый дом")
    page.get_by_label("Метки:", exact=True).fill("помощь, зима")
    page.get_by_role("button", name="Сохранить черновик").click()
    page.get_by_text("Черновик сохранён").wait_for()
    assert_accessible(page)
    expect(page.get_by_role("button", name="Опубликовать сейчас")).to_have_count(0)
    page.get_by_role("button", name="Отправить на модерацию").click()
    page.get_by_text("Новость отправлена на модерацию").first.wait_for()
    assert_accessible(page)
    item = NewsItem.objects.get()
    assert item.status == NewsItem.Status.MODERATION
    log_out(page)

    page.goto("/news/")
    expect(page.get_by_text("Собираем тёплые вещи")).to_have_count(0)

    log_in(page, coordinator.email, PASSWORD)
    follow_menu(page, "Модерация новостей")
    assert_accessible(page)
    page.get_by_role("link", name="Собираем тёплые вещи").click()
    assert_accessible(page)
    page.get_by_role("button", name="Опубликовать сейчас").click()
    page.get_by_text("Новость опубликована.").wait_for()
    assert_accessible(page)
    log_out(page)

    page.goto("/")
    follow_menu(page, "Новости")
    page.wait_for_url(re.compile(r"/news/$"))
    assert_accessible(page)
    page.get_by_label("Метка").select_option(label="зима")
    page.get_by_role("button", name="Найти").click()
    page.get_by_role("link", name="Собираем тёплые вещи").click()
    page.wait_for_url(re.compile(rf"/news/{item.pk}/$"))
    assert_accessible(page)
    expect(page.locator("strong", has_text="куртки и варежки")).to_be_visible()
    assert page.locator('meta[property="og:title"]').get_attribute("content") == (
        "Собираем тёплые вещи"
    )
    page.goto(organization.get_absolute_url())
    expect(
        page.get_by_role("region", name="Новости").get_by_text("Собираем тёплые вещи")
    ).to_be_visible()

    rss = page.request.get(f"{live_server.url}/news/organizations/{organization.pk}/rss/")
    feed = feedparser.parse(rss.body())
    assert feed.bozo == 0
    assert [entry.title for entry in feed.entries] == ["Собираем тёплые вещи"]
    assert feed.entries[0].link == f"{live_server.url}/news/{item.pk}/"
