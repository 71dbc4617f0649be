"""A coordinator composes a mailing from a template → sends it to themself to check →
schedules it → follows the progress bar while the worker sends → reads the statistics;
every page passes axe."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from dobry.accounts.tests.factories import PASSWORD, UserFactory
from dobry.communications.mailings import delivery, services
from dobry.communications.models import Mailing
from dobry.communications.tests.mailing_factories import segment, subscriber

from .conftest import assert_accessible, follow_menu, log_in

pytestmark = pytest.mark.django_db(transaction=True)
READERS = 4


def test_compose_test_send_schedule_progress_and_statistics(page, live_server, settings):
    settings.DOBRY_SITE_URL = live_server.url
    settings.DOBRY_MAILING_RATE = 0
    settings.DOBRY_MAILING_BATCH = 2
    settings.DOBRY_MAILING_WORKERS = 0  # the test plays the worker, a batch at a time
    for number in range(READERS):
        subscriber(email=f"reader{number}@example.org")
    segment(name="Все подписчики")
    coordinator = UserFactory(email="rc@example.org", first_name="Ольга", is_coordinator=True)

    log_in(page, coordinator.email, PASSWORD)
    follow_menu(page, "Рассылки")
    page.wait_for_url(re.compile(r"/mailings/$"))
    assert_accessible(page)
    page.get_by_role("link", name="Новая рассылка").click()
    assert_accessible(page)
    page.get_by_label("Начать с шаблона:").select_option(label="Анонс")
    page.get_by_role("button", name="Взять шаблон").click()
    expect(page.get_by_label("Текст письма:")).to_have_value(re.compile("Приглашаем"))
    assert_accessible(page)
    page.get_by_label("Тема:").fill("Субботник на набережной")
    page.get_by_label("Текст письма:").fill("Приходите в субботу к 10:00, перчатки выдадим.")
    page.get_by_label("Кому:").select_option(label="Все подписчики")
    page.get_by_role("button", name="Сохранить черновик").click()
    page.get_by_role("heading", name="Субботник на набережной").wait_for()
    assert_accessible(page)
    expect(page.get_by_text("4 получателя сейчас")).to_be_visible()
    mailing = Mailing.objects.get()

    page.get_by_role("button", name="Отправить себе на проверку").click()
    page.get_by_text("Проверочное письмо отправлено на rc@example.org.").wait_for()
    assert_accessible(page)
    assert [message.to for message in mail.outbox] == [["rc@example.org"]]
    assert mail.outbox[0].subject == "[Проверка] Субботник на набережной"

    # a wrong time is shown on the form with the summary, nothing scheduled
    page.get_by_label("Когда отправить (время города):").fill("1900-01-01T09:00")
    page.get_by_role("button", name="Запланировать").click()
    page.locator("[data-error-summary]").wait_for()
    assert_accessible(page)
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DRAFT

    page.get_by_label("Когда отправить (время города):").fill("2031-05-01T09:00")
    page.get_by_role("button", name="Запланировать").click()
    page.get_by_text("Рассылка запланирована.").wait_for()
    assert_accessible(page)
    expect(page.get_by_text("запланирована", exact=True)).to_be_visible()
    expect(page.get_by_text("1 мая 2031, 09:00")).to_be_visible()

    # its time comes: the job starts it and the worker sends a batch
    Mailing.objects.filter(pk=mailing.pk).update(scheduled_at=timezone.now() - timedelta(minutes=1))
    assert services.mailing_start(mailing.pk) == Mailing.Status.SENDING
    delivery.run(mailing.pk, max_batches=1)
    page.reload()
    page.get_by_role("heading", name="Ход отправки").wait_for()
    bar = page.get_by_role("progressbar", name="Ход отправки")
    expect(bar).to_have_attribute("aria-valuenow", "50")
    assert_accessible(page)
    delivery.run(mailing.pk)
    # the bar asks for its progress every three seconds and stops once all is sent
    expect(bar).to_have_attribute("aria-valuenow", "100", timeout=10000)
    expect(page.get_by_text("Обработано 4 из 4")).to_be_visible()

    page.reload()
    page.get_by_role("heading", name="Статистика").wait_for()
    assert_accessible(page)
    expect(page.get_by_text("отправлена", exact=True)).to_be_visible()
    sent = [message.to[0] for message in mail.outbox[1:]]
    assert sorted(sent) == [f"reader{number}@example.org" for number in range(READERS)]
