"""A confirmed resident votes in a budget vote — the page counts what is left of the budget
as boxes are marked — and gets a receipt; the receipt checks as counted; after the vote's
last day a coordinator publishes the tally and anyone reads it. Every page passes axe."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dobry.civic.models import Vote
from dobry.civic.tests.factories import coordinator, running_vote, verified_resident

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _as(browser, live_server, user):
    context = browser.new_context(locale="ru-RU", base_url=live_server.url)
    context.set_default_timeout(15000)
    if user is not None:
        sign_in(context, live_server.url, user)
    return context.new_page()


def test_resident_votes_checks_the_receipt_and_reads_the_published_tally(browser, live_server):
    costs = [Decimal(150_000), Decimal(100_000), Decimal(60_000)]
    vote = running_vote(
        kind="budget", budget=Decimal(250_000), costs=costs, title="Народный бюджет двора"
    )
    page = _as(browser, live_server, verified_resident())
    page.goto("/votes/")
    assert_accessible(page)
    page.get_by_role("link", name="Народный бюджет двора").click()
    status = page.get_by_role("status").filter(has_text="Выбрано на")
    expect(status).to_contain_text("осталось 250")
    assert_accessible(page)
    page.get_by_label("Проект 1").check()
    expect(status).to_contain_text("осталось 100")
    page.get_by_label("Проект 2").check()
    page.get_by_label("Проект 3").check()
    expect(status).to_contain_text("больше бюджета")
    page.get_by_label("Проект 3").uncheck()
    expect(status).to_contain_text("осталось 0")
    page.get_by_role("button", name="Проголосовать").click()
    expect(page.get_by_role("heading", name="Ваш голос принят")).to_be_visible()
    assert_accessible(page)
    receipt = page.locator("[data-receipt]").inner_text()
    page.get_by_role("link", name="Проверить квитанцию").click()
    expect(page.get_by_text("учтён в голосовании")).to_be_visible()
    assert_accessible(page)
    page.context.close()

    Vote.objects.filter(pk=vote.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    desk = _as(browser, live_server, coordinator())
    desk.goto(vote.get_absolute_url())
    desk.get_by_role("button", name="Подвести и опубликовать итоги").click()
    expect(desk.get_by_role("heading", name="Итоги голосования")).to_be_visible()
    desk.context.close()

    anyone = _as(browser, live_server, None)
    anyone.goto(vote.get_absolute_url())
    expect(anyone.get_by_role("heading", name="Итоги голосования")).to_be_visible()
    expect(anyone.get_by_text("Подан 1 бюллетень")).to_be_visible()
    assert_accessible(anyone)
    anyone.goto(f"/votes/receipt/?code={receipt}")
    expect(anyone.get_by_text("учтён в голосовании")).to_be_visible()
    anyone.context.close()
