"""request → triage → offer → accept → done → feedback; every page passes axe."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dobry.accounts.tests.factories import PASSWORD, UserFactory
from dobry.core.clock import local_today
from dobry.events.tests.factories import volunteer
from dobry.helprequests.models import HelpOffer, HelpRequest
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory
from dobry.volunteering.models import HoursEntry, VolunteerProfile

from .conftest import assert_accessible, follow_menu, log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)


def test_from_a_request_for_help_to_feedback(page):
    requester = UserFactory(email="daughter@example.org", first_name="Светлана")
    coordinator = UserFactory(email="argo@example.org", first_name="Ольга", is_coordinator=True)
    MembershipFactory(user=coordinator, role=Membership.Role.OWNER)
    helper = volunteer(email="helper@example.org", first_name="Дмитрий", last_name="Добров")
    VolunteerProfile.objects.filter(user=helper).update(skills="вожу машину")

    log_in(page, requester.email, PASSWORD)
    follow_menu(page, "Нужна помощь")
    assert_accessible(page)
    page.get_by_role("link", name="Попросить о помощи").click()
    assert_accessible(page)
    page.get_by_label("Чем помочь").select_option("delivery")
    page.get_by_label("Коротко (видят все, без имён и адреса)").fill(
        "Привезти продукты пожилому человеку"
    )
    page.get_by_label("Что именно нужно").fill("Хлеб, молоко, лекарства")
    page.get_by_label("Кому помочь: имя").fill("Анна Петровна")
    page.get_by_label("Телефон").fill("8 913 123 45 67")
    page.get_by_label("Как можно скорее").check()
    page.get_by_role("button", name="Отправить просьбу").click()
    page.get_by_text("Просьба принята").wait_for()
    assert_accessible(page)
    request = HelpRequest.objects.get()
    log_out(page)

    log_in(page, coordinator.email, PASSWORD)
    follow_menu(page, "Просьбы о помощи")
    assert_accessible(page)
    page.get_by_role("link", name="Привезти продукты пожилому человеку").click()
    assert_accessible(page)
    page.get_by_label("Новый статус").select_option("verified")
    page.get_by_role("button", name="Изменить статус").click()
    page.get_by_role("link", name="Изменить просьбу").click()
    # the form holds the recipient's data: a coordinator opens it with a POST, audited
    assert_accessible(page)
    page.get_by_role("button", name="Показать").click()
    assert_accessible(page)
    page.get_by_label("Что именно нужно").fill("Хлеб, молоко, лекарства; позвонить за час")
    page.get_by_role("button", name="Сохранить").click()
    page.get_by_text("Просьба сохранена").wait_for()
    page.get_by_label(re.compile("Дмитрий Добров")).check()
    page.get_by_role("button", name="Предложить выбранным").click()
    page.get_by_text("Предложение отправлено").wait_for()
    assert_accessible(page)
    log_out(page)

    log_in(page, helper.email, PASSWORD)
    page.goto(request.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("button", name="Помогу").click()
    page.get_by_text("Вы взялись помочь").wait_for()
    expect(page.get_by_text("Анна Петровна")).to_be_visible()
    # the help was given yesterday, the request made and taken before: a report holds no
    # more hours than have passed since the task was taken (issue 11)
    earlier = timezone.now() - timedelta(days=2)
    HelpRequest.objects.filter(pk=request.pk).update(created_at=earlier)
    HelpOffer.objects.filter(request=request, volunteer=helper).update(answered_at=earlier)
    page.get_by_label("Что сделано").fill("Купил и привёз продукты")
    page.get_by_label("Сколько часов").fill("1.5")
    page.get_by_label("Когда помогали").fill((local_today() - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Отправить отчёт").click()
    page.get_by_text("Отчёт получен").wait_for()
    assert_accessible(page)
    log_out(page)

    log_in(page, coordinator.email, PASSWORD)
    page.goto(request.get_absolute_url())
    page.get_by_role("button", name="Помощь оказана — закрыть просьбу").click()
    page.get_by_text("Просьба выполнена").wait_for()
    assert_accessible(page)
    assert HoursEntry.objects.get(user=helper).status == HoursEntry.Status.CONFIRMED
    page.goto("/help/queue/")
    page.get_by_role("link", name="Сводка").click()
    page.get_by_role("heading", name="Помощь: сводка").wait_for()
    assert_accessible(page)
    page.goto("/help/queue/")
    page.get_by_role("link", name="Распределить просьбы дня").click()
    assert_accessible(page)
    log_out(page)

    log_in(page, requester.email, PASSWORD)
    page.goto(request.get_absolute_url())
    page.get_by_label(re.compile("5 — отлично")).check()
    page.get_by_role("button", name="Оценить").click()
    page.get_by_text("Спасибо за отзыв!").wait_for()
    assert_accessible(page)
    expect(page.get_by_role("link", name="Стать добровольцем")).to_be_visible()
    request.refresh_from_db()
    assert (request.status, request.rating) == (HelpRequest.Status.DONE, 5)
    assert request.details.endswith("позвонить за час")
