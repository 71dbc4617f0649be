"""A festival's programme on a phone: a resident filters it by track, puts a session into
«моё расписание», registers for a master class, opens «моё расписание»; the organiser
moves the session and publishes a version, and the resident is told once. Every page
passes axe, on a phone-sized screen."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from dobry.accounts.tests.factories import UserFactory
from dobry.communications.models import Notification
from dobry.festivals.models import SessionRegistration
from dobry.festivals.services import programme as services
from dobry.festivals.tests.factories import festival

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


def _as(browser, live_server, user):
    context = browser.new_context(locale="ru-RU", base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(15000)
    sign_in(context, live_server.url, user)
    return context.new_page()


def test_a_resident_builds_my_schedule_and_hears_of_a_change(browser, live_server):
    f = festival(capacity=10)
    resident = UserFactory()
    page = _as(browser, live_server, resident)
    page.goto(f.programme.get_absolute_url())
    expect(
        page.get_by_role("heading", name="Программа: Фестиваль «Добрый Железногорск»")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Направление").select_option(label="НКО и власть")
    page.get_by_role("button", name="Показать").click()
    expect(page.get_by_role("heading", name="Как стать волонтёром")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Сбросить").click()
    first = page.locator(f"#session-{f.sessions[0].pk}")
    first.get_by_role("button", name="В моё расписание").click()
    page.get_by_text("Сессия добавлена в ваше расписание.").wait_for()
    second = page.locator(f"#session-{f.sessions[1].pk}")
    second.get_by_role("button", name="Записаться").click()
    page.get_by_text("Вы записаны на сессию.").wait_for()
    assert SessionRegistration.objects.filter(user=resident).count() == 1
    assert_accessible(page)
    page.get_by_role("link", name="Моё расписание").click()
    expect(page.get_by_role("heading", name="Как стать волонтёром")).to_be_visible()
    expect(page.get_by_role("heading", name="Диалог с администрацией")).to_be_visible()
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Убрать из расписания").first).to_be_hidden()
    page.emulate_media(media="screen")

    session = f.sessions[0]
    services.session_save(
        actor=f.organiser, programme=f.programme, session=session,
        values={"starts_at": session.starts_at + timedelta(hours=3),
                "ends_at": session.ends_at + timedelta(hours=3)},
    )  # fmt: skip
    desk = _as(browser, live_server, f.organiser)
    desk.goto(f"/programme/{f.programme.pk}/manage/")
    expect(
        desk.get_by_text("Изменена сессия «Как стать волонтёром»: начало, окончание.")
    ).to_be_visible()
    assert_accessible(desk)
    desk.get_by_role("button", name="Опубликовать новую версию и уведомить участников").click()
    desk.get_by_text("Новая версия программы опубликована.").wait_for()
    assert Notification.objects.filter(user=resident, kind="programme_changed").count() == 1
    page.goto(f.programme.get_absolute_url())
    expect(page.get_by_role("heading", name="Версия 2", exact=False)).to_be_visible()


def test_an_organiser_builds_a_session_publishes_it_and_a_resident_chooses_it(browser, live_server):
    """The organiser adds a session on the page (the public programme does not show it
    yet), gives it a speaker, publishes a version; a resident finds it, puts it into «моё
    расписание» and sees it there. Axe on every page, on a phone-sized screen."""
    f = festival(capacity=10)
    desk = _as(browser, live_server, f.organiser)
    desk.goto(f"/programme/{f.programme.pk}/manage/")
    assert_accessible(desk)
    desk.get_by_role("link", name="Добавить сессию").click()
    expect(desk.get_by_role("heading", name="Новая сессия")).to_be_visible()
    assert_accessible(desk)
    desk.get_by_role("button", name="Сохранить").click()
    expect(desk.locator("[data-error-summary]")).to_be_visible()
    assert_accessible(desk)
    starts = f.event.starts_at + timedelta(hours=4)
    desk.get_by_label("Название").fill("Лаборатория добрых дел")
    desk.get_by_label("Описание").fill("Как придумать и запустить свою акцию.")
    desk.get_by_label("Начало").fill(_local(starts))
    desk.get_by_label("Окончание").fill(_local(starts + timedelta(hours=1)))
    desk.get_by_label("Площадка").select_option(label="Большой зал")
    desk.get_by_label("Направление").select_option(label="Добровольчество")
    desk.get_by_label("Мест по записи").fill("15")
    desk.get_by_role("button", name="Сохранить").click()
    desk.get_by_text("Сессия сохранена.", exact=False).wait_for()
    desk.get_by_label("Имя").fill("Мария Светлова")
    desk.get_by_role("button", name="Добавить").click()
    desk.get_by_text("Добавлено.").wait_for()
    assert_accessible(desk)

    resident = UserFactory()
    page = _as(browser, live_server, resident)
    page.goto(f.programme.get_absolute_url())
    expect(page.get_by_role("heading", name="Как стать волонтёром")).to_be_visible()
    expect(page.get_by_role("heading", name="Лаборатория добрых дел")).to_have_count(0)

    desk.get_by_role("link", name="Управление программой").first.click()
    expect(desk.get_by_text("Добавлена сессия «Лаборатория добрых дел».")).to_be_visible()
    assert_accessible(desk)
    desk.get_by_role("button", name="Опубликовать новую версию и уведомить участников").click()
    desk.get_by_text("Новая версия программы опубликована.").wait_for()

    page.reload()
    session = page.locator(".programme-session", has_text="Лаборатория добрых дел")
    expect(session).to_be_visible()
    expect(session.get_by_text("Мария Светлова", exact=False)).to_be_visible()
    session.get_by_role("button", name="В моё расписание").click()
    page.get_by_text("Сессия добавлена в ваше расписание.").wait_for()
    page.get_by_role("link", name="Моё расписание").click()
    expect(page.get_by_role("heading", name="Лаборатория добрых дел")).to_be_visible()
    assert_accessible(page)


def _local(moment):
    from dobry.core.clock import city_zone

    return moment.astimezone(city_zone()).strftime("%Y-%m-%dT%H:%M")
