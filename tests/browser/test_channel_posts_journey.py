"""A coordinator opens the queue of posts to the city's channels from the menu, reads the
preview of a proposed post and approves it; the platform posts it to the (fake) VK
community and the page shows it published; every page passes axe."""

import pytest
from playwright.sync_api import expect

from dobry.accounts.tests.factories import PASSWORD, UserFactory
from dobry.communications.models import ChannelPost
from dobry.communications.tests import fake_apis as fake_server
from dobry.communications.tests.channel_factories import proposed, published

from .conftest import assert_accessible, follow_menu, log_in

pytestmark = pytest.mark.django_db(transaction=True)

# the fake VK API and Bot API server (dobry/communications/tests/fake_apis.py)
channel_apis = fake_server.fake_apis


def test_a_coordinator_approves_a_post_and_it_goes_to_vk(page, live_server, settings, channel_apis):
    settings.DOBRY_SITE_URL = live_server.url
    coordinator = UserFactory(email="rc@example.org", first_name="Ольга", is_coordinator=True)
    post = proposed(published("Ярмарка добрых дел"), channel="vk")
    proposed(published("Уже отклонённая"), channel="telegram", status=ChannelPost.Status.REJECTED)

    log_in(page, coordinator.email, PASSWORD)
    follow_menu(page, "Публикации в каналах")
    page.get_by_role("heading", name="Публикации в каналах города").wait_for()
    assert_accessible(page)
    card = page.get_by_role("article", name="Ярмарка добрых дел")
    card.get_by_text("Как будет выглядеть").click()
    expect(card.locator("pre")).to_contain_text(f"/news/{post.news_id}/")
    card.get_by_role("button", name="Одобрить публикацию").click()
    page.get_by_text("Публикация одобрена и поставлена в очередь.").wait_for()
    assert_accessible(page)
    card = page.get_by_role("article", name="Ярмарка добрых дел")
    expect(card).to_contain_text("опубликован")
    expect(card.get_by_role("button")).to_have_count(0)
    [call] = channel_apis.calls("wall.post")
    assert call["message"].startswith("Ярмарка добрых дел")
    post.refresh_from_db()
    assert (post.status, post.remote_id) == (ChannelPost.Status.SENT, "-4242_101")
