"""A confirmed resident votes in a budget vote — the page counts what is left of the budget
as boxes are marked — and gets a receipt; the receipt checks as counted; after the vote's
last day a coordinator publishes the tally and anyone reads it. And the whole life of a
vote on its pages: a coordinator prepares it (rules, options by hand with a cost and from
an initiative, the counting commission), announces it, a resident votes, a member of the
commission enters a paper ballot, the coordinator closes it and anyone reads the tally.
Every page passes axe."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dobry.accounts.tests.factories import UserFactory
from dobry.civic.models import Vote, VoterMark
from dobry.civic.tests.factories import (
    InitiativeFactory,
    coordinator,
    running_vote,
    verified_resident,
)
from dobry.core.clock import city_zone

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


def _local(moment):
    return moment.astimezone(city_zone()).strftime("%Y-%m-%dT%H:%M")


def _form(page, button: str):
    return page.locator("form").filter(has=page.get_by_role("button", name=button, exact=True))


def test_a_coordinator_prepares_a_vote_on_its_pages_and_it_runs_to_its_tally(browser, live_server):
    """/votes/new/ and /votes/<id>/prepare/: the rules (an error first, then changed),
    an option named by hand with its cost (refused without one), an option from an
    initiative, a member of the counting commission; then the vote announced, its
    preparation closed, a resident's ballot and receipt, a paper ballot, the close and the
    tally."""
    InitiativeFactory(title="Каток во дворе на Ленинградском")
    officer = UserFactory(email="schet@example.org", first_name="Нина", last_name="Счётова")
    paper_voter = verified_resident(email="bumaga@example.org")
    now = timezone.now()
    desk = _as(browser, live_server, coordinator())
    desk.goto("/votes/")
    assert_accessible(desk)
    desk.get_by_role("link", name="Новое голосование").click()
    expect(desk.get_by_role("heading", name="Новое голосование")).to_be_visible()
    assert_accessible(desk)
    desk.get_by_role("button", name="Подготовить голосование").click()
    expect(desk.locator("[data-error-summary]")).to_be_visible()
    assert_accessible(desk)
    desk.get_by_label("Название:", exact=True).fill("Зимние дворы")
    desk.get_by_label("О чём голосование").fill("Какие зимние дела во дворах поддержать.")
    desk.get_by_label("выбрать проекты в пределах бюджета").check()
    desk.get_by_label("Бюджет, ₽").fill("300000")
    desk.get_by_label("Голосование с (время города)").fill(_local(now - timedelta(minutes=5)))
    desk.get_by_label("Голосование до (время города)").fill(_local(now + timedelta(days=7)))
    desk.get_by_role("button", name="Подготовить голосование").click()
    desk.get_by_text("Голосование подготовлено. Добавьте варианты.").wait_for()
    expect(desk.get_by_role("heading", name="Подготовка голосования")).to_be_visible()
    assert_accessible(desk)
    vote = Vote.objects.get(title="Зимние дворы")
    assert vote.status == Vote.Status.DRAFT

    rules = _form(desk, "Сохранить правила")
    rules.get_by_label("Бюджет, ₽").fill("250000")
    rules.get_by_role("button", name="Сохранить правила").click()
    desk.get_by_text("Правила голосования сохранены.").wait_for()
    vote.refresh_from_db()
    assert vote.budget == Decimal(250_000)

    option = _form(desk, "Добавить вариант")
    option.get_by_label("Название варианта").fill("Горка во дворе на Школьной")
    option.get_by_role("button", name="Добавить вариант").click()
    expect(desk.locator("[data-error-summary]")).to_contain_text("Укажите стоимость варианта")
    assert_accessible(desk)
    option = _form(desk, "Добавить вариант")
    option.get_by_label("Стоимость, ₽").fill("150000")
    option.get_by_role("button", name="Добавить вариант").click()
    desk.get_by_text("Вариант добавлен.").wait_for()
    option = _form(desk, "Добавить вариант")
    option.get_by_label("Инициатива").select_option(label="Каток во дворе на Ленинградском")
    option.get_by_label("Стоимость, ₽").fill("100000")
    option.get_by_role("button", name="Добавить вариант").click()
    desk.get_by_text("Вариант добавлен.").wait_for()
    options = desk.get_by_role("region", name="Варианты").get_by_role("listitem")
    expect(options).to_have_count(2)
    expect(options.nth(1)).to_contain_text("Каток во дворе на Ленинградском — 100 000 ₽")
    assert_accessible(desk)

    desk.get_by_label("Email члена счётной комиссии").fill(officer.email)
    desk.get_by_role("button", name="Добавить в комиссию").click()
    desk.get_by_text("Член счётной комиссии добавлен.").wait_for()
    expect(desk.get_by_text("Нина Счётова (schet@example.org)")).to_be_visible()
    assert_accessible(desk)

    desk.get_by_role("link", name="Зимние дворы").first.click()
    desk.get_by_role("button", name="Объявить голосование").click()
    desk.get_by_text("Готово.").wait_for()
    assert_accessible(desk)
    desk.get_by_role("link", name="Подготовка: правила, варианты, счётная комиссия").click()
    expect(desk.get_by_text("Голосование уже началось")).to_be_visible()
    expect(desk.get_by_role("button", name="Добавить вариант")).to_have_count(0)
    assert_accessible(desk)

    page = _as(browser, live_server, verified_resident())
    page.goto("/votes/")
    page.get_by_role("link", name="Зимние дворы").click()
    status = page.get_by_role("status").filter(has_text="Выбрано на")
    page.get_by_label("Горка во дворе на Школьной").check()
    expect(status).to_contain_text("осталось 100")
    page.get_by_label("Каток во дворе на Ленинградском").check()
    expect(status).to_contain_text("осталось 0")
    assert_accessible(page)
    page.get_by_role("button", name="Проголосовать").click()
    expect(page.get_by_role("heading", name="Ваш голос принят")).to_be_visible()
    receipt = page.locator("[data-receipt]").inner_text()
    page.context.close()

    counter = _as(browser, live_server, officer)
    counter.goto(vote.get_absolute_url())
    counter.get_by_role("link", name="Внести бумажный бюллетень").click()
    assert_accessible(counter)
    counter.get_by_label("Участок").fill("Библиотека им. Горького")
    counter.get_by_label("Житель: email или телефон учётной записи").fill(paper_voter.email)
    counter.get_by_label("Каток во дворе на Ленинградском").check()
    counter.get_by_role("button", name="Внести бюллетень").click()
    expect(counter.get_by_role("heading", name="Бумажный бюллетень внесён")).to_be_visible()
    assert_accessible(counter)
    counter.context.close()
    assert VoterMark.objects.filter(vote=vote).count() == 2

    # the vote's last day passes (its closing moment, kept as the residents were told)
    Vote.objects.filter(pk=vote.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    desk.goto(vote.get_absolute_url())
    desk.get_by_role("button", name="Подвести и опубликовать итоги").click()
    expect(desk.get_by_role("heading", name="Итоги голосования")).to_be_visible()
    assert_accessible(desk)
    desk.context.close()

    anyone = _as(browser, live_server, None)
    anyone.goto(vote.get_absolute_url())
    expect(anyone.get_by_text("Подано 2 бюллетеня (из них 1 бумажный)")).to_be_visible()
    rows = anyone.get_by_role("table").get_by_role("row")
    expect(rows.filter(has_text="Горка во дворе на Школьной")).to_contain_text("поддержан")
    assert_accessible(anyone)
    anyone.goto(f"/votes/receipt/?code={receipt}")
    expect(anyone.get_by_text("учтён в голосовании")).to_be_visible()
    assert_accessible(anyone)
    anyone.context.close()
