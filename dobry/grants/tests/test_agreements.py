"""Agreements with the winners: made from the winning application after the decision,
signed with the scan, tranches requested and paid, amendments within the limit approved or
rejected, each approved change a version; every change audited."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dobry.accounts.tests.factories import UserFactory
from dobry.core.clock import local_today
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.core.models import AuditEntry
from dobry.grants.agreements import schedule
from dobry.grants.agreements.calendar import WorkCalendar
from dobry.grants.models import Agreement, Amendment, Competition, ReportDue, Tranche
from dobry.grants.services import agreements
from dobry.grants.tests.agreements import (
    decided_winner,
    draft_agreement,
    grantee_of,
    scan,
    signed_agreement,
)
from dobry.grants.tests.factories import (
    complete_content,
    decide,
    open_competition,
    scored_applications,
)

pytestmark = pytest.mark.django_db


def _content(**parts) -> dict:
    return {**complete_content(), **parts}


BUDGET = [
    {"item": "Аренда зала", "quantity": "1", "unit_cost": "60000", "requested": "60000"},
    {"item": "Канцелярия", "quantity": "1", "unit_cost": "40000", "requested": "40000"},
]


# --- made after the decision ------------------------------------------------------------------


def test_the_commissions_winners_get_a_draft_agreement_each(official):
    competition = open_competition(official)
    winner, loser = scored_applications(competition, official, [(9, 100_000), (2, 100_000)])
    Competition.objects.filter(pk=competition.pk).update(passing_score=Decimal(50))
    competition = decide(competition, official)
    made = agreements.agreements_prepare(actor=official, competition=competition)
    winner.refresh_from_db()
    assert [a.application for a in made] == [winner]
    agreement = made[0]
    assert agreement.status == Agreement.Status.DRAFT
    assert agreement.number == f"С-{winner.number}"
    assert agreement.amount == winner.awarded_amount == Decimal(100_000)
    assert agreement.concluded_on == local_today()
    assert not Agreement.objects.filter(application=loser).exists()


def test_the_budget_calendar_and_indicators_are_copied_from_the_submitted_version(official):
    content = _content(budget=BUDGET)
    agreement = draft_agreement(official, content=content)
    assert [(line.item, line.amount, line.signed_amount) for line in agreement.lines.all()] == [
        ("Аренда зала", Decimal(60_000), Decimal(60_000)),
        ("Канцелярия", Decimal(40_000), Decimal(40_000)),
    ]
    assert agreement.calendar == [
        {"title": "Встречи", "starts_on": "2027-02-01", "ends_on": "2027-06-30"}
    ]  # the factory's project: longer than the interim report's threshold
    assert agreement.indicators == [{"name": "Участники", "unit": "чел.", "target": "40"}]
    assert (agreement.starts_on, agreement.ends_on) == (date(2027, 2, 1), date(2027, 6, 30))


def test_a_partial_grant_cuts_every_line_in_proportion_to_the_kopeck(official):
    budget = [
        {"item": "А", "requested": "100000"},
        {"item": "Б", "requested": "50000"},
        {"item": "В", "requested": "50000"},
    ]
    agreement = draft_agreement(
        official, amount=200_000, awarded=100_001, content=_content(budget=budget)
    )
    amounts = [line.amount for line in agreement.lines.all()]
    assert amounts == [
        Decimal("50000.51"),
        Decimal("25000.25"),
        Decimal("25000.24"),
    ] or amounts == [
        Decimal("50000.50"),
        Decimal("25000.25"),
        Decimal("25000.25"),
    ]
    assert sum(amounts) == agreement.amount == Decimal(100_001)


def test_lines_without_grant_money_are_left_out_and_no_budget_is_one_line(official):
    budget = [{"item": "Волонтёры", "requested": "0"}, {"item": "Зал", "requested": "100000"}]
    agreement = draft_agreement(official, content=_content(budget=budget))
    assert [line.item for line in agreement.lines.all()] == ["Зал"]
    whole = draft_agreement(official, content=_content(budget=[]))
    assert [(line.item, line.amount) for line in whole.lines.all()] == [
        (agreements.WHOLE_PROJECT, Decimal(100_000))
    ]


def test_without_a_calendar_the_project_runs_to_the_end_of_the_year(official):
    agreement = draft_agreement(official, content=_content(calendar=[]))
    today = local_today()
    assert agreement.starts_on == today
    assert agreement.ends_on in (date(today.year, 12, 31), today + timedelta(days=365))


def test_the_final_report_is_due_fifteen_working_days_after_the_end(official):
    calendar = [{"title": "Проект", "starts_on": "2026-09-01", "ends_on": "2026-12-25"}]
    agreement = draft_agreement(official, content=_content(calendar=calendar))
    final = agreement.reports_due.get(kind=ReportDue.Kind.FINAL)
    # 28–30 December, then 31 December and the New Year holidays are days off
    assert (final.period_ends_on, final.working_days, final.due_on) == (
        date(2026, 12, 25),
        15,
        date(2027, 1, 26),
    )
    assert not agreement.reports_due.filter(kind=ReportDue.Kind.INTERIM).exists()
    [tranche] = agreement.tranches.all()
    assert tranche.amount == agreement.amount


def test_a_long_project_reports_at_its_middle_and_is_paid_in_two_tranches(official):
    calendar = [{"title": "Проект", "starts_on": "2027-01-11", "ends_on": "2027-12-20"}]
    agreement = draft_agreement(official, content=_content(calendar=calendar))
    interim, final = agreement.reports_due.order_by("due_on")
    assert interim.kind == ReportDue.Kind.INTERIM
    assert interim.period_ends_on == date(2027, 7, 1)  # 171 of its 343 days
    assert interim.due_on == date(2027, 7, 15)  # 10 working days on
    assert final.due_on == date(2028, 1, 18)
    first, second = agreement.tranches.all()
    assert (first.amount, second.amount) == (Decimal(70_000), Decimal(30_000))
    assert first.planned_on < second.planned_on
    assert second.planned_on == WorkCalendar(2027, 2028, {}).add_working_days(interim.due_on, 10)


def test_preparing_again_makes_none_twice(official):
    competition, _application = decided_winner(official)
    assert len(agreements.agreements_prepare(actor=official, competition=competition)) == 1
    assert agreements.agreements_prepare(actor=official, competition=competition) == []
    assert Agreement.objects.count() == 1


def test_no_agreement_before_the_commission_decides(official):
    competition = open_competition(official)
    with pytest.raises(InvalidTransition):
        agreements.agreements_prepare(actor=official, competition=competition)


def test_the_first_version_and_the_audit_entry_are_written(official):
    agreement = draft_agreement(official)
    version = agreement.versions.get()
    assert version.version == 1
    assert version.snapshot["amount"] == "100000.00"
    assert len(version.snapshot["lines"]) == 1
    entry = AuditEntry.objects.get(action="agreement.create")
    assert entry.data["number"] == agreement.number


# --- signing ------------------------------------------------------------------------------------


def test_staff_record_the_signing_with_the_scan(official):
    agreement = draft_agreement(official)
    signed = agreements.agreement_sign(
        actor=official, agreement=agreement, signed_on=agreement.concluded_on, upload=scan()
    )
    assert signed.status == Agreement.Status.SIGNED
    assert signed.signed_scan_name == "soglashenie.pdf"
    assert AuditEntry.objects.filter(action="agreement.sign").count() == 1
    with pytest.raises(InvalidTransition):
        agreements.agreement_sign(
            actor=official, agreement=signed, signed_on=signed.concluded_on, upload=scan()
        )


def test_the_grantee_does_not_record_the_signing(official):
    agreement = draft_agreement(official)
    with pytest.raises(PermissionDenied):
        agreements.agreement_sign(
            actor=grantee_of(agreement.application),
            agreement=agreement,
            signed_on=agreement.concluded_on,
            upload=scan(),
        )


@pytest.mark.parametrize("days", [1, -1])
def test_a_signing_day_in_the_future_or_before_the_agreement_is_refused(official, days):
    agreement = draft_agreement(official)
    with pytest.raises(DomainError) as refused:
        agreements.agreement_sign(
            actor=official,
            agreement=agreement,
            signed_on=agreement.concluded_on + timedelta(days=days),
            upload=scan(),
        )
    assert "signed_on" in refused.value.field_errors
    assert Agreement.objects.get().status == Agreement.Status.DRAFT


def test_a_signed_scan_is_a_pdf_or_a_picture(official):
    agreement = draft_agreement(official)
    fake = SimpleUploadedFile("scan.pdf", b"<html>", content_type="application/pdf")
    with pytest.raises(DomainError) as refused:
        agreements.agreement_sign(
            actor=official, agreement=agreement, signed_on=agreement.concluded_on, upload=fake
        )
    assert "file" in refused.value.field_errors


def test_terminating_needs_a_reason(official):
    agreement = signed_agreement(official)
    with pytest.raises(DomainError):
        agreements.agreement_terminate(actor=official, agreement=agreement, reason=" ")
    ended = agreements.agreement_terminate(actor=official, agreement=agreement, reason="Отказ")
    assert (ended.status, ended.terminated_reason) == (Agreement.Status.TERMINATED, "Отказ")


# --- tranches -----------------------------------------------------------------------------------


def test_the_grantee_requests_a_tranche_and_staff_record_the_payment(official):
    agreement = signed_agreement(official)
    tranche = agreement.tranches.get()
    grantee = grantee_of(agreement.application)
    tranche = agreements.tranche_request(actor=grantee, tranche=tranche)
    assert tranche.status == Tranche.Status.REQUESTED
    assert tranche.requested_at is not None
    paid = agreements.tranche_pay(actor=official, tranche=tranche, payment_order="1234")
    assert (paid.status, paid.payment_order, paid.paid_on) == (
        Tranche.Status.PAID,
        "1234",
        local_today(),
    )
    actions = list(
        AuditEntry.objects.filter(action__startswith="tranche.").values_list("action", flat=True)
    )
    assert sorted(actions) == ["tranche.pay", "tranche.request"]
    with pytest.raises(InvalidTransition):
        agreements.tranche_pay(actor=official, tranche=paid, payment_order="1235")


def test_no_tranche_before_the_signing(official):
    agreement = draft_agreement(official)
    with pytest.raises(InvalidTransition):
        agreements.tranche_request(actor=official, tranche=agreement.tranches.get())


def test_only_staff_record_a_payment_and_outsiders_request_nothing(official):
    agreement = signed_agreement(official)
    tranche = agreements.tranche_request(actor=official, tranche=agreement.tranches.get())
    with pytest.raises(PermissionDenied):
        agreements.tranche_pay(
            actor=grantee_of(agreement.application), tranche=tranche, payment_order="1"
        )
    other = signed_agreement(official).tranches.get()
    with pytest.raises(PermissionDenied):
        agreements.tranche_request(actor=UserFactory(), tranche=other)


@pytest.mark.parametrize(
    ("order", "days", "field"),
    [
        ("", 0, "payment_order"),
        ("1" * 41, 0, "payment_order"),
        ("a\nb", 0, "payment_order"),
        ("1", 1, "paid_on"),
    ],
)
def test_a_payment_needs_its_order_and_a_day_not_ahead(official, order, days, field):
    agreement = signed_agreement(official)
    tranche = agreements.tranche_request(actor=official, tranche=agreement.tranches.get())
    with pytest.raises(DomainError) as refused:
        agreements.tranche_pay(
            actor=official,
            tranche=tranche,
            payment_order=order,
            paid_on=local_today() + timedelta(days=days),
        )
    assert field in refused.value.field_errors
    assert Tranche.objects.get().status == Tranche.Status.REQUESTED


def test_a_payment_is_not_dated_before_the_agreement_was_signed(official):
    # Attacker finding: the demo showed a tranche paid a year before it was requested; money
    # is paid under a signed agreement, so its day is from the signing on.
    agreement = signed_agreement(official)
    tranche = agreements.tranche_request(actor=official, tranche=agreement.tranches.get())
    with pytest.raises(DomainError) as refused:
        agreements.tranche_pay(
            actor=official,
            tranche=tranche,
            payment_order="12",
            paid_on=agreement.signed_on - timedelta(days=1),
        )
    assert "не раньше подписания" in refused.value.field_errors["paid_on"][0]
    paid = agreements.tranche_pay(
        actor=official, tranche=tranche, payment_order="12", paid_on=agreement.signed_on
    )
    assert paid.paid_on == agreement.signed_on


# --- amendments ---------------------------------------------------------------------------------


def _lines(agreement):
    first, second = agreement.lines.all()
    return first, second


def test_money_moved_within_the_limit_is_approved_as_a_new_version(official):
    agreement = signed_agreement(official, content=_content(budget=BUDGET))
    first, second = _lines(agreement)
    grantee = grantee_of(agreement.application)
    amendment = agreements.amendment_propose(
        actor=grantee,
        agreement=agreement,
        kind=Amendment.Kind.BUDGET,
        reason="Зал подорожал",
        lines={first.pk: Decimal(64_000), second.pk: Decimal(36_000)},
    )
    assert amendment.status == Amendment.Status.PROPOSED
    approved = agreements.amendment_approve(actor=official, amendment=amendment, comment="Да")
    agreement.refresh_from_db()
    assert (approved.status, approved.version, agreement.version) == (
        Amendment.Status.APPROVED,
        2,
        2,
    )
    first.refresh_from_db()
    assert (first.amount, first.signed_amount) == (Decimal(64_000), Decimal(60_000))
    assert [v.version for v in agreement.versions.all()] == [2, 1]
    assert agreement.versions.get(version=2).snapshot["lines"][0]["amount"] == "64000.00"
    assert AuditEntry.objects.filter(action="amendment.approve").count() == 1


def test_a_line_moved_beyond_the_limit_is_refused_at_the_line(official, settings):
    settings.DOBRY_GRANT_BUDGET_SHIFT_PERCENT = 10
    agreement = signed_agreement(official, content=_content(budget=BUDGET))
    first, second = _lines(agreement)
    with pytest.raises(DomainError) as refused:
        agreements.amendment_propose(
            actor=official,
            agreement=agreement,
            kind=Amendment.Kind.BUDGET,
            reason="Больше зала",
            lines={first.pk: Decimal(70_000), second.pk: Decimal(30_000)},
        )
    assert set(refused.value.field_errors) == {f"lines.{first.pk}", f"lines.{second.pk}"}
    assert not Amendment.objects.exists()


def test_the_limit_is_a_setting(official, settings):
    settings.DOBRY_GRANT_BUDGET_SHIFT_PERCENT = 30
    agreement = signed_agreement(official, content=_content(budget=BUDGET))
    first, second = _lines(agreement)
    agreements.amendment_propose(
        actor=official,
        agreement=agreement,
        kind=Amendment.Kind.BUDGET,
        reason="Больше зала",
        lines={first.pk: Decimal(70_000), second.pk: Decimal(30_000)},
    )
    assert Amendment.objects.count() == 1


@pytest.mark.parametrize(
    ("new", "key"),
    [
        ({"first": "61000"}, "lines"),  # the total changes
        ({"first": "60000"}, "lines"),  # nothing changes
        ({"first": "-1", "second": "40001"}, "lines.first"),
        ({"first": "60000.001", "second": "39999.999"}, "lines.first"),
        ({"first": "много"}, "lines.first"),
        ({"nope": "1"}, "lines.nope"),
    ],
)
def test_a_budget_change_that_does_not_add_up_is_refused(official, new, key):
    agreement = signed_agreement(official, content=_content(budget=BUDGET))
    first, second = _lines(agreement)
    ids = {"first": first.pk, "second": second.pk, "nope": 999_999}
    with pytest.raises(DomainError) as refused:
        agreements.amendment_propose(
            actor=official,
            agreement=agreement,
            kind=Amendment.Kind.BUDGET,
            reason="Причина",
            lines={ids[name]: value for name, value in new.items()},
        )
    field = key if "." not in key else f"lines.{ids[key.split('.')[1]]}"
    assert field in refused.value.field_errors


def test_a_change_needs_a_reason_and_a_known_kind(official):
    agreement = signed_agreement(official)
    with pytest.raises(DomainError) as refused:
        agreements.amendment_propose(actor=official, agreement=agreement, kind="other", reason=" ")
    assert set(refused.value.field_errors) == {"reason", "kind"}


def test_a_draft_agreement_is_not_amended_and_outsiders_propose_nothing(official):
    draft = draft_agreement(official)
    with pytest.raises(InvalidTransition):
        agreements.amendment_propose(
            actor=official,
            agreement=draft,
            kind=Amendment.Kind.DATES,
            reason="Сдвиг",
            ends_on=draft.ends_on + timedelta(days=10),
        )
    signed = signed_agreement(official)
    with pytest.raises(PermissionDenied):
        agreements.amendment_propose(
            actor=UserFactory(),
            agreement=signed,
            kind=Amendment.Kind.DATES,
            reason="Сдвиг",
            ends_on=signed.ends_on + timedelta(days=10),
        )


def test_new_dates_move_the_end_the_reports_and_an_unpaid_tranche(official):
    calendar = [{"title": "Проект", "starts_on": "2026-09-01", "ends_on": "2026-12-25"}]
    agreement = signed_agreement(official, content=_content(calendar=calendar))
    tranche = agreement.tranches.get()
    amendment = agreements.amendment_propose(
        actor=grantee_of(agreement.application),
        agreement=agreement,
        kind=Amendment.Kind.DATES,
        reason="Перенос мероприятия",
        ends_on=date(2027, 1, 29),
        tranches={tranche.pk: tranche.planned_on + timedelta(days=7)},
    )
    agreements.amendment_approve(actor=official, amendment=amendment)
    agreement.refresh_from_db()
    tranche.refresh_from_db()
    assert agreement.ends_on == date(2027, 1, 29)
    assert agreement.reports_due.get(kind=ReportDue.Kind.FINAL).due_on == date(2027, 2, 19)
    assert (
        tranche.planned_on
        == agreement.versions.get(version=2).snapshot["tranches"][0]["planned_on"]
        or tranche.planned_on.isoformat()
        == agreement.versions.get(version=2).snapshot["tranches"][0]["planned_on"]
    )


def test_a_paid_tranche_keeps_its_day_and_the_end_is_not_before_the_start(official):
    agreement = signed_agreement(official)
    tranche = agreements.tranche_request(actor=official, tranche=agreement.tranches.get())
    agreements.tranche_pay(actor=official, tranche=tranche, payment_order="7")
    with pytest.raises(DomainError) as refused:
        agreements.amendment_propose(
            actor=official,
            agreement=agreement,
            kind=Amendment.Kind.DATES,
            reason="Сдвиг",
            ends_on=agreement.starts_on - timedelta(days=1),
            tranches={tranche.pk: date(2027, 3, 1)},
        )
    assert set(refused.value.field_errors) == {"ends_on", f"tranches.{tranche.pk}"}


def test_rejecting_needs_a_reason_and_only_staff_decide(official):
    agreement = signed_agreement(official)
    amendment = agreements.amendment_propose(
        actor=official,
        agreement=agreement,
        kind=Amendment.Kind.DATES,
        reason="Сдвиг",
        ends_on=agreement.ends_on + timedelta(days=5),
    )
    grantee = grantee_of(agreement.application)
    with pytest.raises(PermissionDenied):
        agreements.amendment_approve(actor=grantee, amendment=amendment)
    with pytest.raises(DomainError):
        agreements.amendment_reject(actor=official, amendment=amendment, reason="")
    rejected = agreements.amendment_reject(actor=official, amendment=amendment, reason="Нет")
    assert (rejected.status, rejected.decision_comment) == (Amendment.Status.REJECTED, "Нет")
    with pytest.raises(InvalidTransition):
        agreements.amendment_approve(actor=official, amendment=rejected)
    agreement.refresh_from_db()
    assert agreement.version == 1


def test_a_proposal_an_earlier_approval_made_stale_is_not_applied(official):
    agreement = signed_agreement(official, content=_content(budget=BUDGET))
    first, second = _lines(agreement)
    proposals = [
        agreements.amendment_propose(
            actor=official,
            agreement=agreement,
            kind=Amendment.Kind.BUDGET,
            reason=f"Шаг {step}",
            lines={
                first.pk: Decimal(60_000 + 3_000 * step),
                second.pk: Decimal(40_000 - 3_000 * step),
            },
        )
        for step in (1, 1)
    ]
    agreements.amendment_approve(actor=official, amendment=proposals[0])
    # the second asks for the same amounts: nothing changes any more
    with pytest.raises(DomainError):
        agreements.amendment_approve(actor=official, amendment=proposals[1])
    assert Amendment.objects.get(pk=proposals[1].pk).status == Amendment.Status.PROPOSED


def test_schedule_helpers_read_the_calendar_plan_as_typed():
    period = schedule.project_period(
        [{"starts_on": "не дата", "ends_on": "2027-05-01"}, {"starts_on": "2027-02-01"}],
        date(2027, 1, 10),
    )
    assert period == schedule.Period(date(2027, 2, 1), date(2027, 5, 1))
    late = schedule.project_period([], date(2027, 12, 20))
    assert late == schedule.Period(date(2027, 12, 20), date(2028, 12, 19))
    assert schedule.budget_lines([{"item": "X", "requested": "abc"}], Decimal(5), "Всё") == [
        ("Всё", Decimal(5))
    ]
