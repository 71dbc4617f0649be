"""НКО asks a consultation → consultant answers → closes → the asker rates → the support
entry is visible on the organisation's page and in the registry; every page passes axe."""

import re

import pytest
from playwright.sync_api import expect

from dobry.accounts.tests.factories import PASSWORD, UserFactory
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.resources.models import Consultation

from .conftest import assert_accessible, follow_menu, log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)


def test_consultation_from_question_to_support_entry(page):
    organization = OrganizationFactory(short_name="Тёплый дом")
    leader = UserFactory(email="leader@example.org", first_name="Елена", last_name="Заботина")
    MembershipFactory(organization=organization, user=leader, role=Membership.Role.OWNER)
    consultant = UserFactory(email="argo@example.org", first_name="Ольга", is_coordinator=True)

    log_in(page, leader.email, PASSWORD)
    follow_menu(page, "Вопрос в ресурсный центр")
    assert_accessible(page)
    page.get_by_role("link", name="Задать вопрос").click()
    assert_accessible(page)
    page.get_by_label("Тема").select_option("reporting")
    page.get_by_label("Коротко о вопросе").fill("Отчёт в Минюст")
    page.get_by_label("Ваш вопрос").fill("Какие формы сдавать?")
    page.get_by_label("От имени организации (необязательно)").select_option(label="Тёплый дом")
    page.get_by_role("button", name="Отправить вопрос").click()
    page.get_by_text("Вопрос отправлен в ресурсный центр").wait_for()
    assert_accessible(page)
    consultation = Consultation.objects.get()
    log_out(page)

    log_in(page, consultant.email, PASSWORD)
    follow_menu(page, "Консультации")
    assert_accessible(page)
    page.get_by_role("link", name="Отчёт в Минюст").click()
    page.get_by_label("Сообщение").fill("Форма ОН0001 до 15 апреля.")
    page.get_by_role("button", name="Отправить", exact=True).click()
    page.get_by_text("Форма ОН0001 до 15 апреля.").wait_for()
    assert_accessible(page)
    page.get_by_label("Итог консультации").fill("Разобрали формы отчётности")
    page.get_by_role("button", name="Закрыть консультацию").click()
    page.get_by_text("Консультация закрыта").first.wait_for()
    assert_accessible(page)
    log_out(page)

    log_in(page, leader.email, PASSWORD)
    page.goto(consultation.get_absolute_url())
    page.get_by_label(re.compile("5 — очень помог")).check()
    page.get_by_role("button", name="Оценить").click()
    page.get_by_text("Спасибо за оценку!").wait_for()
    assert_accessible(page)
    page.goto(organization.get_absolute_url())
    support = page.get_by_role("region", name="Полученная поддержка")
    assert "Консультация — Консультация «Отчёт в Минюст»" in support.inner_text()
    assert_accessible(page)
    log_out(page)

    log_in(page, consultant.email, PASSWORD)
    follow_menu(page, "Реестр поддержки")
    expect(page.get_by_role("cell", name="Тёплый дом").first).to_be_visible()
    assert_accessible(page)
