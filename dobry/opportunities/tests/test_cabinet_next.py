"""The applicant's cabinet says what to do next for each thing grant work asks — a report due
soon, late or returned, one on review or accepted, the next tranche, an agreement to sign,
a followed call closing — and is reachable from the menu and the grants pages."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from conftest import login
from dobry.core.clock import local_today
from dobry.core.dates import day_text
from dobry.grants.models import Agreement, GrantReport, ReportDue, Tranche
from dobry.grants.services import reports
from dobry.grants.tests.agreements import draft_agreement, grantee_of, signed_agreement
from dobry.grants.tests.reports import submitted_report
from dobry.opportunities import cabinet
from dobry.opportunities.cabinet import cabinet_of
from dobry.opportunities.models import Follow
from dobry.opportunities.tests.factories import OpportunityFactory
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

URL = reverse("opportunities:cabinet")
TODAY = date(2026, 12, 1)
R = GrantReport.Status


def _report_item(official, *, due_in: int):
    agreement = signed_agreement(official)
    ReportDue.objects.filter(agreement=agreement).update(
        due_on=local_today() + timedelta(days=due_in)
    )
    grantee = grantee_of(agreement.application)
    return agreement, grantee, cabinet_of(grantee, today=local_today()).reports


@pytest.mark.parametrize(
    ("due_in", "start", "urgent"),
    [(20, "Сдайте итоговый отчёт до", False), (3, "Сдайте итоговый отчёт до", True)],
)
def test_a_report_due_says_by_when_and_is_urgent_within_fourteen_days(
    official, due_in, start, urgent
):
    _agreement, _grantee, [item] = _report_item(official, due_in=due_in)
    assert item.next_step.startswith(start)
    assert day_text(local_today() + timedelta(days=due_in)) in item.next_step
    assert item.urgent is urgent


def test_a_late_report_says_so(official):
    _agreement, _grantee, [item] = _report_item(official, due_in=-1)
    assert item.next_step == "Срок прошёл: сдайте итоговый отчёт."
    assert item.urgent


def test_a_returned_report_asks_to_correct_and_submit_again(official):
    agreement = signed_agreement(official)
    report = submitted_report(agreement)
    reports.report_return(actor=official, report=report, comments={"people": "Уточните"})
    grantee = grantee_of(agreement.application)
    [item] = cabinet_of(grantee, today=local_today()).reports
    assert item.next_step == (
        "Отчёт возвращён на доработку: исправьте его по комментариям и сдайте снова."
    )
    assert item.urgent
    assert item.obj.report == report
    page = login(grantee).get(URL).content.decode()
    assert report.get_absolute_url() in page
    assert "возвращён на доработку" in page


def test_a_report_on_review_waits_even_when_its_day_has_passed(official):
    agreement = signed_agreement(official)
    submitted_report(agreement)
    ReportDue.objects.filter(agreement=agreement).update(due_on=local_today() - timedelta(days=5))
    [item] = cabinet_of(grantee_of(agreement.application), today=local_today()).reports
    assert item.next_step == "Отчёт на проверке: ждите решения."
    assert not item.urgent


def test_a_draft_report_past_its_day_is_late(official):
    agreement = signed_agreement(official)
    grantee = grantee_of(agreement.application)
    reports.report_open(actor=grantee, agreement=agreement, kind=ReportDue.Kind.FINAL)
    ReportDue.objects.filter(agreement=agreement).update(due_on=local_today() - timedelta(days=1))
    [item] = cabinet_of(grantee, today=local_today()).reports
    assert item.next_step.startswith("Срок прошёл")
    assert item.urgent


@pytest.mark.parametrize(
    ("status", "text", "urgent"),
    [
        (R.RETURNED, "Отчёт возвращён на доработку", True),
        (R.SUBMITTED, "Отчёт на проверке: ждите решения.", False),
        (R.ACCEPTED, "Отчёт принят.", False),
        (R.DRAFT, "Срок прошёл", True),
    ],
)
def test_each_report_state_says_what_next(status, text, urgent):
    due = ReportDue(kind=ReportDue.Kind.INTERIM, due_on=TODAY - timedelta(days=3))
    item = cabinet._report_step(due, TODAY, GrantReport(status=status))
    assert item.next_step.startswith(text)
    assert item.urgent is urgent


def test_the_next_tranche_to_request_is_urgent(official):
    agreement = signed_agreement(official)
    agreement.tranches.update(planned_on=local_today())
    [item] = cabinet_of(grantee_of(agreement.application), today=local_today()).agreements
    assert item.next_step == "Запросите очередной транш."
    assert item.urgent
    agreement.tranches.update(planned_on=local_today() + timedelta(days=30))
    [item] = cabinet_of(grantee_of(agreement.application), today=local_today()).agreements
    assert item.next_step.startswith("Следующий транш — ")
    agreement.tranches.update(status=Tranche.Status.REQUESTED)
    [item] = cabinet_of(grantee_of(agreement.application), today=local_today()).agreements
    assert item.next_step == "Транш запрошен: ждите перечисления."


def test_an_agreement_to_sign_is_urgent_and_shown_on_the_page(official):
    agreement = draft_agreement(official)
    grantee = grantee_of(agreement.application)
    [item] = cabinet_of(grantee, today=local_today()).agreements
    assert (item.next_step, item.urgent) == ("Подпишите соглашение.", True)
    assert "Подпишите соглашение." in login(grantee).get(URL).content.decode()


def test_a_finished_project_asks_nothing(official):
    agreement = signed_agreement(official)
    Agreement.objects.filter(pk=agreement.pk).update(status=Agreement.Status.CLOSED)
    mine = cabinet_of(grantee_of(agreement.application), today=local_today())
    assert mine.agreements[0].next_step == "Ничего не нужно."
    assert mine.reports == []


def test_a_followed_call_closing_soon_is_urgent():
    membership = MembershipFactory(role="member")
    call = OpportunityFactory(opens_on=None, closes_on=local_today() + timedelta(days=2))
    Follow.objects.create(opportunity=call, organization=membership.organization)
    [item] = cabinet_of(membership.user, today=local_today()).calls
    assert item.urgent
    assert day_text(call.closes_on) in item.next_step


def test_the_reports_state_costs_one_query_whatever_the_number(
    official, django_assert_max_num_queries
):
    agreement = signed_agreement(official)
    submitted_report(agreement)
    grantee = grantee_of(agreement.application)
    client = login(grantee)
    with django_assert_max_num_queries(25) as few:
        assert client.get(URL).status_code == 200
    other = signed_agreement(official)
    other.application.organization.memberships.create(user=grantee, role="editor")
    submitted_report(other)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(URL).content.decode()
    assert page.count("Отчёт на проверке") == 2


# --- reachable: the menu and the grants pages ----------------------------------------------


def test_the_menu_links_the_cabinet_for_everyone_signed_in(client, outsider, official):
    assert URL not in client.get(reverse("home")).content.decode()
    for person in (outsider, official):
        assert URL in login(person).get(reverse("home")).content.decode()


def test_the_grants_pages_link_the_cabinet(client, outsider):
    signed_in = login(outsider)
    for name in ("grants:list", "grants:my_applications"):
        assert URL in signed_in.get(reverse(name)).content.decode()
    assert f'href="{URL}"' not in client.get(reverse("grants:list")).content.decode()


def test_the_linked_cabinet_lets_every_signed_in_role_in(client, outsider, official, coordinator):
    assert client.get(URL).status_code == 302
    for person in (outsider, official, coordinator):
        assert login(person).get(URL).status_code == 200
