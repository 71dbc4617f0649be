"""A donor chooses a sum on a campaign's page and sees the QR code for it (no JavaScript
needed: a GET form); the organisation's editor uploads the bank statement in which that
payment arrived, commits the preview, and the campaign's progress moves; the editor records
what the money bought with its receipt, publishes the receipt, and anyone sees it on the
campaign's page and in the organisation's public report for the year; a resident pledges to
a need. Every page passes axe."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from dobry.accounts.tests.factories import PASSWORD, UserFactory
from dobry.charity.demo import ACCOUNT, onec_statement, receipt_pdf
from dobry.charity.models import Donation, Pledge, SpendingItem
from dobry.charity.tests.factories import NeedFactory, charity_ready
from dobry.core.clock import local_today

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_qr_with_a_chosen_sum_then_a_statement_moves_the_progress(page, tmp_path):
    campaign, editor = charity_ready(title="Тренажёры для центра", goal=Decimal("10000"))

    page.goto(campaign.get_absolute_url())
    assert_accessible(page)
    expect(page.locator("#progress-text")).to_contain_text("Собрано 0")
    page.get_by_label("Сумма, ₽").fill("2500")
    page.get_by_role("button", name="Показать QR-код").click()
    expect(page.locator("img.payment-qr")).to_have_attribute(
        "src", f"/donate/{campaign.pk}/qr/?sum=2500.00"
    )
    assert_accessible(page)

    statement = tmp_path / "kl_to_1c.txt"
    day = local_today().strftime("%d.%m.%Y")
    statement.write_bytes(
        onec_statement(
            ACCOUNT,
            [
                {
                    "Номер": "9",
                    "Дата": day,
                    "Сумма": "2500.00",
                    "Плательщик": "Соколова Мария",
                    "НазначениеПлатежа": f"Пожертвование {campaign.code}",
                }
            ],
        )
    )
    log_in(page, editor.email, PASSWORD)
    page.goto(f"/donate/organization/{campaign.organization_id}/statements/")
    assert_accessible(page)
    page.get_by_label("Файл выписки").set_input_files(str(statement))
    page.get_by_role("button", name="Загрузить и проверить").click()
    page.get_by_text("Поступлений: 1; новых: 1, из них со сборами сопоставлено 1").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Загрузить платежи").click()
    page.get_by_text("Записано платежей: 1").wait_for()
    assert_accessible(page)
    assert Donation.objects.get().amount == Decimal("2500.00")

    page.goto(campaign.get_absolute_url())
    expect(page.locator("#progress-text")).to_contain_text("(25 %)")
    expect(page.locator("progress.campaign-progress")).to_have_attribute("value", "2500.00")
    assert_accessible(page)

    _spend_and_publish_the_receipt(page, campaign, tmp_path)


def _spend_and_publish_the_receipt(page, campaign, tmp_path):
    """… → the editor records what was bought with its receipt and publishes the receipt →
    the campaign's page and the public report of the year show it."""
    receipt = tmp_path / "chek.pdf"
    receipt.write_bytes(receipt_pdf(["Tovarny chek No 7", "Itogo: 2 000.00 rub."]))
    page.goto(f"/donate/organization/{campaign.organization_id}/spending/")
    assert_accessible(page)
    page.get_by_label("Дата расхода").fill(local_today().isoformat())
    page.get_by_label("Сумма, ₽").fill("2000")
    page.get_by_label("Что оплачено").fill("Гантели для занятий")
    page.get_by_label("Сбор").select_option(str(campaign.pk))
    page.get_by_label("Подтверждающий документ").set_input_files(str(receipt))
    page.get_by_role("button", name="Записать расход").click()
    page.get_by_text("Расход записан.").wait_for()
    assert_accessible(page)
    item = SpendingItem.objects.get()
    assert (item.amount, item.receipt_published) == (Decimal("2000"), False)
    page.get_by_role("button", name="Опубликовать документ").click()
    page.get_by_text("Документ опубликован.").wait_for()
    assert_accessible(page)

    page.context.clear_cookies()  # a visitor, not the editor
    page.goto(campaign.get_absolute_url())
    expect(page.locator("#spent-text")).to_contain_text("Получено 2")
    expect(page.locator("#spent-text")).to_contain_text("потрачено 2")
    receipt_link = page.locator(
        f'#how-spent a[href="/files/charity.spendingitem.receipt/{item.pk}/"]'
    )
    expect(receipt_link).to_contain_text("документ")
    assert_accessible(page)
    page.get_by_role("link", name="Отчёт организации о пожертвованиях и расходах").click()
    expect(page.locator("#money-by-campaign")).to_contain_text("Тренажёры для центра")
    assert_accessible(page)
    page.get_by_role("link", name=f"Отчёт за {local_today().year} год").click()
    expect(page.locator("#spending-items")).to_contain_text("Гантели для занятий")
    expect(page.locator("#report-summary")).to_contain_text("2 500")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать DOCX").click()
    assert download.value.suggested_filename.endswith(".docx")


def test_a_resident_pledges_to_a_need(page):
    need = NeedFactory(title="Подгузники для центра", quantity=10, unit="уп.")
    resident = UserFactory(email="anna@example.org")
    log_in(page, resident.email, PASSWORD)
    page.goto("/donate/needs/")
    assert_accessible(page)
    page.get_by_role("link", name="Подгузники для центра").click()
    page.get_by_label("Сколько принесёте").fill("3")
    page.get_by_role("button", name="Пообещать").click()
    page.get_by_text("Спасибо! Организация увидит ваше обещание").wait_for()
    expect(page.locator("#need-progress")).to_contain_text("Обещано: 3 из 10")
    assert_accessible(page)
    assert Pledge.objects.get().pledger == resident
    assert need.pledges.count() == 1
