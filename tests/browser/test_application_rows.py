"""The grant application's tables in the browser: rows added and removed without saving,
budget totals as the applicant types, the new row announced and focused, then submitted
(issue 11 §6); every state of the page passes axe."""

import pytest

from dobry.grants.models import Application
from dobry.grants.services import applications
from dobry.grants.tests.factories import applicant_organization, open_competition

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
NBSP = "\xa0"


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def press(page, name: str) -> None:
    """Use a row button from the keyboard (the pointer stays put, so no hover colour is
    caught halfway through its transition by axe)."""
    page.get_by_role("button", name=name).press("Enter")


def test_rows_are_added_totalled_removed_and_submitted(page, live_server, official):
    competition = open_competition(official, title="Добрые дворы")
    organization, leader = applicant_organization(short_name="Тёплый дом")
    application = applications.application_create(
        user=leader, competition=competition, organization=organization
    )
    sign_in(page.context, live_server.url, leader)
    # no colour transitions for axe to catch halfway on a slow machine (a button the
    # keyboard just left fades back from its focus colours)
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"/grants/applications/{application.pk}/edit/")
    assert_accessible(page)

    page.get_by_label("Название проекта").fill("Скамейки у подъездов")
    page.get_by_label("Краткое описание").fill("Ставим скамейки для пожилых жителей.")
    page.get_by_label("Проблема, которую решает проект").fill("Пожилым негде присесть.")
    page.get_by_label("Целевая группа").fill("Пожилые жители дворов.")
    page.get_by_label("Цель проекта").fill("Удобные дворы.")
    page.get_by_label("Задачи проекта").fill("Купить и поставить 10 скамеек.")
    page.get_by_label("Команда проекта").fill("Председатель и 5 волонтёров.")

    # the calendar: a second row, announced, its first field focused
    page.get_by_label("Мероприятие 1").fill("Закупка скамеек")
    page.locator("#calendar-0-starts_on").fill("2027-05-01")
    page.locator("#calendar-0-ends_on").fill("2027-05-31")
    press(page, "Добавить строку (Календарный план)")
    assert _focused_id(page) == "calendar-1-title"
    status = page.locator("[data-rows-prefix=calendar] [data-rows-status]")
    status.filter(has_text="Календарный план: добавлена строка 2.").wait_for(state="attached")
    page.keyboard.type("Установка скамеек")
    page.locator("#calendar-1-starts_on").fill("2027-06-01")
    page.locator("#calendar-1-ends_on").fill("2027-06-30")
    assert_accessible(page)

    page.get_by_label("Показатель 1").fill("Скамейки")
    page.locator("#indicators-0-unit").fill("шт.")
    page.locator("#indicators-0-target").fill("10")

    # the budget: totals follow the typing, in roubles, Russian style
    page.get_by_label("Статья 1").fill("Скамейки")
    page.locator("#budget-0-quantity").fill("10")
    page.locator("#budget-0-unit_cost").fill("15 000")
    page.locator("#budget-0-requested").fill("150000")
    press(page, "Добавить строку (Бюджет)")
    assert _focused_id(page) == "budget-1-item"
    page.keyboard.type("Краска")
    page.locator("#budget-1-quantity").fill("2")
    page.locator("#budget-1-unit_cost").fill("2500,50")
    page.locator("#budget-1-requested").fill("4000")
    page.locator("#budget-1-cofinancing").fill("1001")
    page.locator("#budget-1-cofinancing_source").fill("собственные средства")
    totals = page.locator("#budget-totals")
    assert totals.locator("[data-total=cost]").inner_text() == f"155{NBSP}001,00"
    assert totals.locator("[data-total=requested]").inner_text() == f"154{NBSP}000,00"
    assert totals.locator("[data-total=cofinancing]").inner_text() == f"1{NBSP}001,00"
    assert "из 300" in totals.inner_text()
    verdict = totals.locator("[data-verdict]")
    assert verdict.inner_text() == "Запрошенная сумма в пределах конкурса."
    page.locator("#budget-0-requested").fill("400000")
    assert verdict.inner_text() == "Запрошено больше максимального гранта конкурса."
    assert_accessible(page)
    page.locator("#budget-0-requested").fill("150000")

    # a third budget row, then removed: the rows close up and the totals follow
    press(page, "Добавить строку (Бюджет)")
    page.keyboard.type("Лишняя статья")
    page.locator("#budget-2-requested").fill("999")
    assert totals.locator("[data-total=requested]").inner_text() == f"154{NBSP}999,00"
    press(page, "Удалить строку 3 (Бюджет)")
    assert totals.locator("[data-total=requested]").inner_text() == f"154{NBSP}000,00"
    assert page.locator("#budget-2-item").count() == 0
    assert _focused_id(page) == "budget-1-item"
    page.locator("[data-rows-prefix=budget] [data-rows-status]").filter(
        has_text="Бюджет: строка 3 удалена."
    ).wait_for(state="attached")
    # removing the first indicator's neighbour renumbers: remove row 1 of two calendar rows
    press(page, "Добавить строку (Результаты и показатели)")
    page.keyboard.type("Участники")
    page.locator("#indicators-1-unit").fill("чел.")
    page.locator("#indicators-1-target").fill("40")
    assert_accessible(page)

    page.get_by_role("button", name="Подать заявку").click()
    page.get_by_text("Заявка подана").wait_for()
    assert_accessible(page)
    application = Application.objects.get(pk=application.pk)
    assert application.status == Application.Status.SUBMITTED
    assert [row["title"] for row in application.content["calendar"]] == [
        "Закупка скамеек",
        "Установка скамеек",
    ]
    assert [row["item"] for row in application.content["budget"]] == ["Скамейки", "Краска"]
    assert [row["name"] for row in application.content["indicators"]] == ["Скамейки", "Участники"]
    assert application.requested_amount == 154_000


def test_the_required_mark_is_explained_and_the_first_row_can_go(page, live_server, official):
    competition = open_competition(official)
    organization, leader = applicant_organization()
    application = applications.application_create(
        user=leader, competition=competition, organization=organization
    )
    sign_in(page.context, live_server.url, leader)
    page.goto(f"/grants/applications/{application.pk}/edit/")
    page.get_by_text("Поля со знаком * нужно заполнить").wait_for()
    mark = page.evaluate(
        "getComputedStyle(document.querySelector('label[for=id_title]'), '::after').content"
    )
    assert "*" in mark
    assert page.get_by_label("Название проекта").get_attribute("aria-required") == "true"
    page.get_by_label("Мероприятие 1").fill("Первое")
    press(page, "Добавить строку (Календарный план)")
    page.keyboard.type("Второе")
    press(page, "Удалить строку 1 (Календарный план)")
    assert page.locator("#calendar-0-title").input_value() == "Второе"
    assert page.get_by_label("Мероприятие 1").input_value() == "Второе"
    assert _focused_id(page) == "calendar-0-title"
    assert_accessible(page)
