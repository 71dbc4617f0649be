"""A grant competition end to end in the browser: the applicant submits → staff admit →
two experts score → ranking → final allocation → the commission → protocol downloaded →
public results; every page passes axe."""

import pytest
from django.utils import timezone

from dobry.accounts.tests.factories import PASSWORD, UserFactory
from dobry.grants.models import Application, Competition
from dobry.grants.services import assignments
from dobry.grants.tests.factories import (
    applicant_organization,
    close_applications,
    open_competition,
)

from .conftest import assert_accessible, log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)


def test_from_application_to_public_results(page):
    official = UserFactory(email="official@example.org", first_name="Сергей", is_official=True)
    competition = open_competition(official, title="Добрые дворы", budget=500_000)
    _organization, leader = applicant_organization(short_name="Тёплый дом")
    experts = [
        UserFactory(email=f"expert{n}@example.org", first_name=f"Эксперт{n}") for n in (1, 2)
    ]
    for person in experts:
        assignments.expert_add(actor=official, competition=competition, user=person, sector="nko")

    log_in(page, leader.email, PASSWORD)
    page.get_by_role("link", name="Конкурсы").click()
    assert_accessible(page)
    page.get_by_role("link", name="Добрые дворы").click()
    assert_accessible(page)
    page.get_by_role("link", name="Подать заявку").click()
    assert_accessible(page)
    page.get_by_label("От имени организации").select_option(label="Тёплый дом")
    page.get_by_role("button", name="Начать заявку").click()
    page.get_by_text("Черновик заявки создан").wait_for()
    assert_accessible(page)
    page.get_by_label("Название проекта").fill("Скамейки у подъездов")
    page.get_by_label("Краткое описание").fill("Ставим скамейки для пожилых жителей.")
    page.get_by_label("Проблема, которую решает проект").fill("Пожилым негде присесть.")
    page.get_by_label("Целевая группа").fill("Пожилые жители дворов.")
    page.get_by_label("Цель проекта").fill("Удобные дворы.")
    page.get_by_label("Задачи проекта").fill("Купить и поставить 10 скамеек.")
    page.get_by_label("Команда проекта").fill("Председатель и 5 волонтёров.")
    page.get_by_label("Мероприятие 1").fill("Установка скамеек")
    page.locator("#calendar-0-starts_on").fill("2027-05-01")
    page.locator("#calendar-0-ends_on").fill("2027-06-30")
    page.get_by_label("Показатель 1").fill("Скамейки")
    page.locator("#indicators-0-unit").fill("шт.")
    page.locator("#indicators-0-target").fill("10")
    page.get_by_label("Статья 1").fill("Скамейки")
    page.locator("#budget-0-quantity").fill("10")
    page.locator("#budget-0-unit_cost").fill("15000")
    page.locator("#budget-0-requested").fill("150000")
    page.get_by_role("button", name="Подать заявку").click()
    page.get_by_text("Заявка подана").wait_for()
    assert_accessible(page)
    application = Application.objects.get()
    assert application.status == Application.Status.SUBMITTED
    log_out(page)

    log_in(page, official.email, PASSWORD)
    page.goto(competition.get_absolute_url())
    page.get_by_role("link", name="Управление конкурсом").click()
    assert_accessible(page)
    page.get_by_role("link", name="Скамейки у подъездов").click()
    assert_accessible(page)
    page.get_by_label("Решение:").select_option("admitted")
    page.get_by_role("button", name="Записать решение").click()
    page.get_by_text("Решение о допуске записано").wait_for()
    page.get_by_role("button", name="Распределить заявки между экспертами").click()
    page.get_by_text("Назначено экспертиз: 2").wait_for()
    assert_accessible(page)
    log_out(page)

    for value, person in zip(("8", "9"), experts, strict=True):
        log_in(page, person.email, PASSWORD)
        page.goto("/grants/reviews/")
        assert_accessible(page)
        page.get_by_role("link", name=f"№ {application.number}").click()
        page.get_by_label("Конфликта интересов нет").check()
        assert_accessible(page)
        page.get_by_role("button", name="Подтвердить").click()
        page.get_by_role("heading", name="Оценка").wait_for()
        assert_accessible(page)
        for select in page.locator("select[name^=score_]").all():
            select.select_option(value)
        page.get_by_role("button", name="Отправить оценку").click()
        page.get_by_text("Оценка отправлена. Спасибо!").wait_for()
        assert_accessible(page)
        log_out(page)

    close_applications(Competition.objects.get(pk=competition.pk))
    log_in(page, official.email, PASSWORD)
    page.goto(f"/grants/{competition.pk}/ranking/")
    assert_accessible(page)
    assert "85" in page.get_by_role("table").first.inner_text()
    page.get_by_role("button", name="Итоговое распределение").click()
    page.get_by_text("Итоговое распределение готово").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Комиссия и итоги").click()
    assert_accessible(page)
    page.get_by_label("Дата и время заседания").fill(
        timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label("Кворум, человек").fill("1")
    page.get_by_label("ФИО").first.fill("Иванова Анна Андреевна")
    page.get_by_role("button", name="Записать заседание").click()
    page.get_by_text("Заседание комиссии записано").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Утвердить решение комиссии").click()
    page.get_by_text("Решение комиссии записано").wait_for()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать протокол (DOCX)").click()
    assert download.value.suggested_filename.endswith(".docx")
    page.get_by_role("button", name="Опубликовать итоги").click()
    page.get_by_text("Итоги опубликованы").wait_for()
    assert_accessible(page)
    log_out(page)

    page.goto(f"/grants/{competition.pk}/results/")
    results = page.get_by_role("table").inner_text()
    assert "Скамейки у подъездов" in results
    assert "150" in results
    assert_accessible(page)
