"""A grant after the award end to end in the browser: the winner's agreement is signed →
the first tranche paid → the report due reminder reaches the grantee → the final report is
submitted with the figures the platform counted → returned with a comment → resubmitted →
accepted, closing the project → a resident rates it on its public page, linked from the
competition's results. Every page passes axe."""

from datetime import time, timedelta

import pytest

from dobry.accounts.tests.factories import PASSWORD, UserFactory
from dobry.core.clock import local_moment, local_today
from dobry.events.tests.factories import EventFactory, RegistrationFactory, ShiftFactory
from dobry.grants import notifications as kinds
from dobry.grants.models import Agreement, Competition, GrantReport, ProjectRating, ReportDue
from dobry.grants.services import agreements, reports
from dobry.grants.tests.agreements import draft_agreement, grantee_of

from .conftest import assert_accessible, log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)


def _project_event(agreement: Agreement) -> None:
    """One of the organisation's events inside the project's dates with a confirmed
    registration: the report's «Данные платформы» count it."""
    event = EventFactory(organization=agreement.application.organization)
    start = local_moment(agreement.starts_on + timedelta(days=10), time(10))
    shift = ShiftFactory(event=event, starts_at=start, ends_at=start + timedelta(hours=3))
    RegistrationFactory(shift=shift)
    reports.project_links_set(
        actor=grantee_of(agreement.application), agreement=agreement, events=[event], programmes=[]
    )


def _sign_and_pay(page, agreement: Agreement) -> None:
    page.goto(f"/grants/agreements/{agreement.pk}/")
    assert_accessible(page)
    page.get_by_label("Дата подписания").fill(local_today().isoformat())
    page.get_by_label("Скан подписанного соглашения").set_input_files(
        files=[{"name": "soglashenie.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}]
    )
    page.get_by_role("button", name="Отметить подписание").click()
    page.get_by_text("Подписание отмечено, скан приложен.").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Запросить транш").first.click()
    page.get_by_text("Транш № 1: запрошен.").wait_for()
    page.get_by_label("Номер платёжного поручения").first.fill("1207")
    page.get_by_label("Дата перечисления").first.fill(local_today().isoformat())
    page.get_by_role("button", name="Отметить перечисление").first.click()
    page.get_by_text("п/п № 1207").wait_for()
    assert_accessible(page)


def _fill_and_submit(page) -> None:
    for box in page.locator("input[type=checkbox][name$='-done']").all():
        box.check()
    for cell in page.locator("input[name$='-achieved']").all():
        cell.fill("10")
    for cell in page.locator("input[name$='-spent']").all():
        cell.fill("1000")
    page.get_by_label("Участники, человек").fill("40")
    page.get_by_label("Благополучатели, человек").fill("12")
    page.get_by_role("button", name="Сохранить и сдать").click()
    page.get_by_text("Отчёт сдан на проверку.").wait_for()
    assert_accessible(page)


def test_from_the_signature_to_a_residents_rating(page):
    official = UserFactory(email="official@example.org", is_official=True)
    agreement = draft_agreement(official)
    Competition.objects.filter(pk=agreement.application.competition_id).update(
        status=Competition.Status.RESULTS
    )
    grantee = grantee_of(agreement.application)
    resident = UserFactory(email="resident@example.org")

    log_in(page, official.email, PASSWORD)
    _sign_and_pay(page, agreement)
    log_out(page)

    agreement = Agreement.objects.get(pk=agreement.pk)
    _project_event(agreement)
    due = agreement.reports_due.get(kind=ReportDue.Kind.FINAL)
    assert (
        agreements.remind_report_deadlines(
            now=local_moment(due.due_on - timedelta(days=14), time(12))
        )
        == 1
    )
    log_in(page, grantee.email, PASSWORD)
    page.goto("/notifications/")
    assert_accessible(page)
    assert grantee.notifications.filter(kind=kinds.REPORT_DUE).count() == 1
    page.goto(f"/grants/agreements/{agreement.pk}/")
    page.get_by_role("button", name="Заполнить отчёт").click()
    page.get_by_role("heading", name="Данные платформы").wait_for()
    assert_accessible(page)
    figures = page.get_by_role("region", name="Данные платформы").inner_text().lower()
    assert "подтверждено платформой" in figures
    assert "записи на мероприятия проекта" in figures
    _fill_and_submit(page)
    report = GrantReport.objects.get()
    assert reports.current_version(report).figures["values"]["registrations"] == "1"
    log_out(page)

    log_in(page, official.email, PASSWORD)
    page.goto(f"/grants/reports/{report.pk}/")
    assert_accessible(page)
    page.get_by_role("textbox", name="Расходы по статьям бюджета:").fill("Приложите чеки.")
    page.get_by_role("button", name="Вернуть на доработку").click()
    page.get_by_text("Отчёт возвращён на доработку.").wait_for()
    assert_accessible(page)
    log_out(page)

    log_in(page, grantee.email, PASSWORD)
    page.goto(f"/grants/reports/{report.pk}/")
    page.get_by_text("Приложите чеки.").first.wait_for()
    assert_accessible(page)
    _fill_and_submit(page)
    log_out(page)

    log_in(page, official.email, PASSWORD)
    page.goto(f"/grants/reports/{report.pk}/")
    page.get_by_label("Оценка проекта").select_option("successful")
    page.get_by_role("button", name="Принять отчёт").click()
    page.get_by_text("Отчёт принят.").wait_for()
    assert_accessible(page)
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.CLOSED
    log_out(page)

    log_in(page, resident.email, PASSWORD)
    page.goto(f"/grants/{agreement.application.competition_id}/results/")
    assert_accessible(page)
    page.goto(f"/grants/projects/{agreement.pk}/")
    page.get_by_role("heading", name="Оценки жителей").wait_for()
    assert_accessible(page)
    page.get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Оценить").click()
    page.get_by_text("Спасибо, ваша оценка сохранена.").wait_for()
    assert_accessible(page)
    assert page.locator("#rating-average").inner_text().startswith("4")
    page.get_by_role("textbox", name="Комментарий:").fill("Хороший проект, спасибо!")
    page.get_by_role("button", name="Отправить").click()
    page.get_by_text("Комментарий опубликован.").wait_for()
    assert_accessible(page)
    assert list(ProjectRating.objects.values_list("author", "score")) == [(resident.pk, 4)]
