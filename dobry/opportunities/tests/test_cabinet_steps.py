"""The applicant's cabinet: «what next» for each state of an application, an agreement,
a report deadline and a followed call, and who is urgent."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse

from conftest import login
from dobry.core.clock import local_moment, local_today
from dobry.core.dates import day_text
from dobry.grants.models import Agreement, Application, Competition, ReportDue, Tranche
from dobry.opportunities import cabinet
from dobry.opportunities.models import Follow
from dobry.opportunities.tests.factories import OpportunityFactory
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)
S = Application.Status


def _application(status, *, close=date(2026, 12, 10), result=""):
    competition = Competition(applications_close=local_moment(close, datetime.min.time()))
    return Application(status=status, result=result, competition=competition)


@pytest.mark.parametrize(
    ("status", "result", "text", "urgent"),
    [
        (S.DRAFT, "", "Допишите и подайте заявку до {close}.", False),
        (S.WITHDRAWN, "", "Допишите и подайте заявку до {close}.", False),
        (S.RETURNED, "", "Допишите и подайте заявку до {close}.", True),
        (S.SUBMITTED, "", "Ждите решения о допуске заявки.", False),
        (S.NOT_ADMITTED, "", "Заявка не допущена: причина — на странице заявки.", False),
        (S.ADMITTED, "", "Идёт экспертиза: ждите итогов.", False),
        (S.ADMITTED, "winner", "Заявка победила: смотрите соглашение.", False),
        (S.ADMITTED, "reserve", "Итоги подведены.", False),
        (S.ADMITTED, "not_supported", "Итоги подведены.", False),
    ],
)
def test_each_application_state_says_what_next(status, result, text, urgent):
    application = _application(status, result=result)
    item = cabinet._application_step(application, TODAY)
    close = day_text(application.competition.applications_close)
    assert item.next_step == text.format(close=close)
    assert item.urgent is urgent
    assert item.obj is application


@pytest.mark.parametrize("status", [S.DRAFT, S.RETURNED, S.WITHDRAWN])
def test_a_draft_after_the_close_in_the_city_is_too_late(status):
    item = cabinet._application_step(_application(status, close=date(2026, 11, 30)), TODAY)
    assert item.next_step == "Приём заявок закончен."
    assert item.urgent is False


def test_the_close_is_the_citys_date_not_utcs():
    # 23:30 on 30 November in the city is 16:30 UTC: the close is already yesterday
    application = _application(S.DRAFT)
    application.competition.applications_close = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)
    assert cabinet._application_step(application, TODAY).next_step == "Приём заявок закончен."


def _agreement(status, *tranches):
    agreement = SimpleNamespace(status=status, tranches=SimpleNamespace(all=lambda: list(tranches)))
    return agreement


def _tranche(status, planned_on):
    return SimpleNamespace(status=status, planned_on=planned_on)


T = Tranche.Status


@pytest.mark.parametrize(
    ("status", "tranches", "text", "urgent"),
    [
        (Agreement.Status.DRAFT, [], "Подпишите соглашение.", True),
        (Agreement.Status.TERMINATED, [], "Ничего не нужно.", False),
        (Agreement.Status.CLOSED, [], "Ничего не нужно.", False),
        (Agreement.Status.SIGNED, [(T.PAID, TODAY)], "Все транши перечислены.", False),
        (
            Agreement.Status.SIGNED,
            [(T.PAID, TODAY), (T.REQUESTED, TODAY)],
            "Транш запрошен: ждите перечисления.",
            False,
        ),
        (Agreement.Status.SIGNED, [(T.PLANNED, TODAY)], "Запросите очередной транш.", True),
        (
            Agreement.Status.SIGNED,
            [(T.PLANNED, TODAY - timedelta(days=30))],
            "Запросите очередной транш.",
            True,
        ),
        (
            Agreement.Status.SIGNED,
            [(T.PLANNED, date(2026, 12, 2))],
            f"Следующий транш — {day_text(date(2026, 12, 2))}.",
            False,
        ),
    ],
)
def test_each_agreement_state_says_what_next(status, tranches, text, urgent):
    agreement = _agreement(status, *(_tranche(*t) for t in tranches))
    item = cabinet._agreement_step(agreement, TODAY)
    assert item.next_step == text
    assert item.urgent is urgent


def test_the_next_tranche_is_the_first_unpaid():
    first, second = _tranche(T.PLANNED, date(2026, 12, 5)), _tranche(T.PLANNED, date(2027, 1, 5))
    agreement = _agreement(Agreement.Status.SIGNED, _tranche(T.PAID, TODAY), first, second)
    cabinet._agreement_step(agreement, TODAY)
    assert agreement.next_tranche is first


@pytest.mark.parametrize(
    ("due_on", "text", "urgent"),
    [
        (date(2026, 11, 30), "Срок прошёл: сдайте {kind}.", True),
        (TODAY, "Сдайте {kind} до {day}.", True),
        (date(2026, 12, 15), "Сдайте {kind} до {day}.", True),  # 14 days: urgent
        (date(2026, 12, 16), "Сдайте {kind} до {day}.", False),
    ],
)
def test_each_report_deadline_says_what_next(due_on, text, urgent):
    report = ReportDue(kind="interim", due_on=due_on)
    item = cabinet._report_step(report, TODAY)
    assert item.next_step == text.format(kind=report.get_kind_display(), day=day_text(due_on))
    assert item.urgent is urgent


@pytest.mark.parametrize(("days", "urgent"), [(0, True), (14, True), (15, False)])
def test_a_followed_call_is_urgent_from_fourteen_days(days, urgent):
    opportunity = OpportunityFactory(opens_on=None, closes_on=local_today() + timedelta(days=days))
    follow = Follow(opportunity=opportunity)
    item = cabinet._call_step(follow, local_today())
    assert item.urgent is urgent
    assert item.next_step == (
        f"Подайте заявку на сайте конкурса до {day_text(opportunity.closes_on)}."
    )


def test_the_cabinet_lists_only_open_followed_calls_of_the_persons_organisations(outsider):
    member = MembershipFactory(role="member")
    open_call = OpportunityFactory()
    for opportunity in (
        open_call,
        OpportunityFactory(withdrawn=True),
        OpportunityFactory(opens_on=None, closes_on=local_today() - timedelta(days=1)),
    ):
        Follow.objects.create(opportunity=opportunity, organization=member.organization)
    mine = cabinet.cabinet_of(member.user, today=local_today())
    assert [item.obj.opportunity for item in mine.calls] == [open_call]
    assert not mine.empty
    assert cabinet.cabinet_of(outsider, today=local_today()).empty
    page = login(member.user).get(reverse("opportunities:cabinet")).content.decode()
    assert open_call.title in page
