"""After the award: the winners' agreements made from their applications, signing with
the signed scan, tranches requested and paid, amendments proposed and decided, each
approved change a new version; every change written to the audit log.

Money in roubles (Decimal), as in the rest of the app; dates the city's."""

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.communications.services import notify
from dobry.core.audit import log_action
from dobry.core.clock import local_date, local_today
from dobry.core.dates import day_text
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.core.files import delete_stored_file
from dobry.core.locking import locked
from dobry.core.numbers import amount as amount_text
from dobry.core.request_values import date_range_error, parse_decimal, parse_iso_date
from dobry.core.uploads import Upload, validate_scan
from dobry.grants import notifications as kinds
from dobry.grants import permissions
from dobry.grants.agreements import schedule
from dobry.grants.models import (
    AGREEMENT_WORKFLOW,
    AMENDMENT_WORKFLOW,
    TRANCHE_WORKFLOW,
    Agreement,
    AgreementVersion,
    Amendment,
    Application,
    BudgetLine,
    Competition,
    GrantReport,
    ReportDue,
    Tranche,
)
from dobry.organizations.models import Membership

WHOLE_PROJECT = "Расходы на реализацию проекта"  # the line of a budget without rows
PAYMENT_ORDER_MAX = 40


def _number(application: Application) -> str:
    """The agreement's number: «С-» and the application's registration number."""
    return f"С-{application.number or application.pk}"


def agreements_prepare(
    *, actor: User, competition: Competition, concluded_on: date | None = None
) -> list[Agreement]:
    """A draft agreement dated `concluded_on` (today by default) for each winner of the
    decided `competition` that has none yet (again after a late winner: the ones made stay
    as they are). Returns the new ones. InvalidTransition before the commission's
    decision."""
    if competition.status not in (Competition.Status.DECIDED, Competition.Status.RESULTS):
        raise InvalidTransition(_("Соглашения готовят после решения комиссии."))
    made = []
    with locked(Competition.objects.all(), competition.pk):
        winners = (
            competition.applications.filter(
                result=Application.Result.WINNER, awarded_amount__gt=0, agreement__isnull=True
            )
            .prefetch_related("versions")
            .order_by("number", "pk")
        )
        for application in winners:
            made.append(_agreement_for(actor, application, concluded_on or local_today()))
    return made


def _agreement_for(actor: User, application: Application, today: date) -> Agreement:
    """The draft agreement of one winner, from the last submitted version."""
    version = max(application.versions.all(), key=lambda v: v.version, default=None)
    content = version.content if version else application.content
    amount = application.awarded_amount or Decimal(0)
    period = schedule.project_period(content.get("calendar") or [], today)
    days = schedule.calendar_for(period, today)
    reports = schedule.report_schedule(period, days)
    agreement = Agreement.objects.create(
        application=application,
        number=_number(application),
        concluded_on=today,
        amount=amount,
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        calendar=[
            {key: str(row.get(key, "")) for key in ("title", "starts_on", "ends_on")}
            for row in content.get("calendar") or []
        ],
        indicators=[
            {key: str(row.get(key, "")) for key in ("name", "unit", "target")}
            for row in content.get("indicators") or []
        ],
        created_by=actor,
    )
    lines = schedule.budget_lines(content.get("budget") or [], amount, WHOLE_PROJECT)
    BudgetLine.objects.bulk_create(
        BudgetLine(agreement=agreement, position=n, item=item, amount=sum_, signed_amount=sum_)
        for n, (item, sum_) in enumerate(lines, start=1)
    )
    _schedule(agreement, reports, days)
    tranches = schedule.tranche_schedule(amount, today, reports, days)
    Tranche.objects.bulk_create(
        Tranche(agreement=agreement, position=n, planned_on=t.planned_on, amount=t.amount)
        for n, t in enumerate(tranches, start=1)
    )
    _new_version(agreement, actor, _("Соглашение подготовлено"))
    log_action(
        actor=actor,
        action="agreement.create",
        obj=agreement,
        data={"number": agreement.number, "amount": str(amount), "lines": len(lines)},
    )
    return agreement


def _schedule(agreement: Agreement, reports: list[schedule.PlannedReport], days: Any) -> None:
    """The agreement's reporting schedule, written anew."""
    agreement.reports_due.all().delete()
    ReportDue.objects.bulk_create(
        ReportDue(
            agreement=agreement,
            kind=report.kind,
            period_ends_on=report.period_ends_on,
            working_days=report.working_days,
            due_on=report.due_on,
        )
        for report in reports
    )


def snapshot(agreement: Agreement) -> dict[str, Any]:
    """The agreement's terms as they stand (`AgreementVersion.snapshot`)."""
    return {
        "amount": str(agreement.amount),
        "starts_on": agreement.starts_on.isoformat(),
        "ends_on": agreement.ends_on.isoformat(),
        "lines": [
            {"id": line.pk, "item": line.item, "amount": str(line.amount)}
            for line in agreement.lines.order_by("position")
        ],
        "tranches": [
            {"id": t.pk, "planned_on": t.planned_on.isoformat(), "amount": str(t.amount)}
            for t in agreement.tranches.order_by("position")
        ],
        "reports": [
            {"kind": r.kind, "due_on": r.due_on.isoformat()}
            for r in agreement.reports_due.order_by("due_on")
        ],
    }


def _new_version(agreement: Agreement, actor: User | None, reason: str) -> AgreementVersion:
    return AgreementVersion.objects.create(
        agreement=agreement,
        version=agreement.version,
        snapshot=snapshot(agreement),
        reason=reason,
        made_by=actor,
    )


# --- signing and termination ------------------------------------------------------------------


def agreement_sign(
    *, actor: User, agreement: Agreement, signed_on: date, upload: Upload
) -> Agreement:
    """Record that the agreement was signed on `signed_on` (not in the future, not before
    the agreement's date), with the signed scan (PDF, JPEG or PNG; a private file).
    PermissionDenied to anyone but staff; InvalidTransition when already signed;
    DomainError at `signed_on` or `file`."""
    AGREEMENT_WORKFLOW.check_for(actor, agreement, "sign", permissions.can_move_agreement)
    problem = date_range_error(signed_on)
    if problem is None and signed_on > local_today():
        problem = _("Дата подписания — не позже сегодняшнего дня.")
    if problem is None and signed_on < agreement.concluded_on:
        problem = _("Дата подписания — не раньше даты соглашения.")
    if problem:
        raise DomainError(problem, field_errors={"signed_on": [problem]})
    try:
        validate_scan(upload, field="file")
    except ValidationError as error:
        raise DomainError(_("Файл не подходит."), field_errors=error.message_dict) from None
    with locked(Agreement.objects.all(), agreement.pk) as current:
        AGREEMENT_WORKFLOW.check(current.status, "sign")
        if current.signed_scan:
            delete_stored_file(current.signed_scan)
        current.signed_scan = upload
        current.signed_on = signed_on
        current.status = Agreement.Status.SIGNED
        current.save(
            update_fields=["signed_scan", "signed_scan_name", "signed_on", "status", "updated_at"]
        )
        log_action(
            actor=actor,
            action="agreement.sign",
            obj=current,
            data={"signed_on": signed_on.isoformat()},
        )
    return current


def agreement_terminate(*, actor: User, agreement: Agreement, reason: str) -> Agreement:
    """Terminate the agreement, with a reason; tranches not yet paid stay as they are for
    the record, and no more can be requested."""
    AGREEMENT_WORKFLOW.check_for(
        actor, agreement, "terminate", permissions.can_move_agreement, reason=reason
    )
    with locked(Agreement.objects.all(), agreement.pk) as current:
        AGREEMENT_WORKFLOW.check(current.status, "terminate", reason=reason)
        current.status = Agreement.Status.TERMINATED
        current.terminated_reason = reason.strip()
        current.save(update_fields=["status", "terminated_reason", "updated_at"])
        log_action(actor=actor, action="agreement.terminate", obj=current, data={"reason": reason})
    return current


# --- tranches -----------------------------------------------------------------------------------


def tranche_request(*, actor: User, tranche: Tranche) -> Tranche:
    """The grantee (or staff for them) asks for a planned tranche."""
    TRANCHE_WORKFLOW.check_for(actor, tranche, "request", permissions.can_move_tranche)
    with locked(Tranche.objects.all(), tranche.pk) as current:
        TRANCHE_WORKFLOW.check(current.status, "request")
        current.status = Tranche.Status.REQUESTED
        current.requested_at = timezone.now()
        current.save(update_fields=["status", "requested_at"])
        log_action(
            actor=actor,
            action="tranche.request",
            obj=current.agreement,
            data={"tranche": current.position, "amount": str(current.amount)},
        )
    return current


def tranche_pay(
    *, actor: User, tranche: Tranche, payment_order: str, paid_on: date | None = None
) -> Tranche:
    """Staff record that a requested tranche was paid: the payment order's number and the
    day (the city's local date; today by default; from the agreement's signing to today —
    money is paid under a signed agreement). DomainError at `payment_order` or `paid_on`."""
    TRANCHE_WORKFLOW.check_for(actor, tranche, "pay", permissions.can_move_tranche)
    order = payment_order.strip()
    paid_on = paid_on or local_today()
    errors: dict[str, list[str]] = {}
    if not order:
        errors["payment_order"] = [_("Укажите номер платёжного поручения.")]
    elif len(order) > PAYMENT_ORDER_MAX or any(not c.isprintable() for c in order):
        errors["payment_order"] = [
            _("Номер платёжного поручения — одна строка, не длиннее %(n)s.")
            % {"n": PAYMENT_ORDER_MAX}
        ]
    problem = date_range_error(paid_on)
    signed_on = tranche.agreement.signed_on
    if problem is None and paid_on > local_today():
        problem = _("Дата перечисления — не позже сегодняшнего дня.")
    elif problem is None and signed_on is not None and paid_on < signed_on:
        problem = _("Дата перечисления — не раньше подписания соглашения (%(day)s).") % {
            "day": day_text(signed_on)
        }
    if problem:
        errors["paid_on"] = [problem]
    if errors:
        raise DomainError(_("Проверьте поля."), field_errors=errors)
    with locked(Tranche.objects.all(), tranche.pk) as current:
        TRANCHE_WORKFLOW.check(current.status, "pay")
        current.status = Tranche.Status.PAID
        current.payment_order = order
        current.paid_on = paid_on
        current.save(update_fields=["status", "payment_order", "paid_on"])
        log_action(
            actor=actor,
            action="tranche.pay",
            obj=current.agreement,
            data={
                "tranche": current.position,
                "amount": str(current.amount),
                "payment_order": order,
                "paid_on": paid_on.isoformat(),
            },
        )
    return current


# --- amendments ---------------------------------------------------------------------------------


def amendment_propose(
    *,
    actor: User,
    agreement: Agreement,
    kind: str,
    reason: str,
    lines: Mapping[int, Any] | None = None,
    ends_on: date | None = None,
    tranches: Mapping[int, date] | None = None,
) -> Amendment:
    """Propose a change to a signed agreement, with a reason: for `budget`, the new amount
    of each line named in `lines` (line id → roubles; the total stays the grant, and each
    line stays within `DOBRY_GRANT_BUDGET_SHIFT_PERCENT` of its amount in the agreement);
    for `dates`, the project's new end and new dates of tranches not yet paid (tranche id
    → day). DomainError at the field that is wrong (`lines.<id>`, `ends_on`,
    `tranches.<id>`, `reason`, `kind`)."""
    decision = permissions.can_propose_amendment(actor, agreement)
    if not decision:
        raise (InvalidTransition if decision.not_now else PermissionDenied)(str(decision.reason))
    reason = reason.strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Изменение нужно обосновать.")]
    if kind == Amendment.Kind.BUDGET:
        changes, found = _budget_changes(agreement, lines or {})
    elif kind == Amendment.Kind.DATES:
        changes, found = _date_changes(agreement, ends_on, tranches or {})
    else:
        changes, found = {}, {"kind": [_("Выберите, что меняется.")]}
    errors |= found
    if errors:
        raise DomainError(
            _("Изменение не предложено: исправьте поля с ошибками."), field_errors=errors
        )
    with transaction.atomic():
        amendment = Amendment.objects.create(
            agreement=agreement, kind=kind, reason=reason, changes=changes, proposed_by=actor
        )
        log_action(
            actor=actor,
            action="amendment.propose",
            obj=agreement,
            data={"amendment": amendment.pk, "kind": kind, "changes": changes, "reason": reason},
        )
    return amendment


def _budget_changes(
    agreement: Agreement, lines: Mapping[int, Any]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The new amounts of the lines, checked; `lines` maps a line's id to roubles."""
    current = {line.pk: line for line in agreement.lines.all()}
    errors: dict[str, list[str]] = {}
    new = {pk: line.amount for pk, line in current.items()}
    limit = Decimal(settings.DOBRY_GRANT_BUDGET_SHIFT_PERCENT)
    for pk, value in lines.items():
        key = f"lines.{pk}"
        if pk not in current:
            errors[key] = [_("Такой статьи в соглашении нет.")]
            continue
        try:
            amount = value if isinstance(value, Decimal) else parse_decimal(str(value))
        except ValueError:
            errors[key] = [_("Введите сумму цифрами, например 12 500,50.")]
            continue
        if amount < 0 or amount != amount.quantize(schedule.KOPECK):
            errors[key] = [_("Сумма — не меньше нуля, до копеек.")]
            continue
        line = current[pk]
        if abs(amount - line.signed_amount) > line.signed_amount * limit / 100:
            errors[key] = [
                _(
                    "Статья может измениться не больше чем на %(limit)s%% от суммы по соглашению (%(amount)s ₽)."
                )
                % {"limit": limit, "amount": amount_text(line.signed_amount)}
            ]
            continue
        new[pk] = amount
    moved = {pk: amount for pk, amount in new.items() if amount != current[pk].amount}
    if not errors and not moved:
        errors["lines"] = [_("Суммы статей не изменились.")]
    if not errors and sum(new.values(), Decimal(0)) != agreement.amount:
        errors["lines"] = [
            _("Сумма статей должна остаться равной гранту: %(amount)s ₽.")
            % {"amount": amount_text(agreement.amount)}
        ]
    return {"lines": {str(pk): str(amount) for pk, amount in moved.items()}}, errors


def _date_changes(
    agreement: Agreement, ends_on: date | None, tranches: Mapping[int, date]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The project's new end and the tranches' new dates, checked."""
    errors: dict[str, list[str]] = {}
    changes: dict[str, Any] = {}
    if ends_on is not None and ends_on != agreement.ends_on:
        problem = date_range_error(ends_on, last=schedule.LAST_PROJECT_DAY)
        if problem is None and ends_on < agreement.starts_on:
            problem = _("Окончание проекта — не раньше его начала.")
        if problem:
            errors["ends_on"] = [problem]
        else:
            changes["ends_on"] = ends_on.isoformat()
    current = {t.pk: t for t in agreement.tranches.all()}
    moved = {}
    for pk, day in tranches.items():
        key = f"tranches.{pk}"
        tranche = current.get(pk)
        if tranche is None:
            errors[key] = [_("Такого транша в соглашении нет.")]
        elif tranche.status == Tranche.Status.PAID:
            errors[key] = [_("Транш уже перечислен: его дату не меняют.")]
        elif problem := date_range_error(day):
            errors[key] = [problem]
        elif day != tranche.planned_on:
            moved[str(pk)] = day.isoformat()
    if moved:
        changes["tranches"] = moved
    if not errors and not changes:
        errors["ends_on"] = [_("Сроки не изменились.")]
    return changes, errors


def amendment_approve(*, actor: User, amendment: Amendment, comment: str = "") -> Amendment:
    """Staff approve a proposed change: it is applied (checked again against the agreement
    as it stands now), the agreement gets its next version, the reporting schedule follows
    a new end of the project. DomainError when the change no longer fits."""
    AMENDMENT_WORKFLOW.check_for(actor, amendment, "approve", permissions.can_move_amendment)
    with locked(Agreement.objects.all(), amendment.agreement_id) as agreement:
        current = Amendment.objects.get(pk=amendment.pk)
        AMENDMENT_WORKFLOW.check(current.status, "approve")
        if agreement.status != Agreement.Status.SIGNED:
            raise InvalidTransition(_("Изменения вносят в подписанное соглашение."))
        _apply(agreement, current)
        agreement.version += 1
        agreement.save(update_fields=["version", "ends_on", "updated_at"])
        _new_version(agreement, actor, current.reason)
        current.status = Amendment.Status.APPROVED
        current.decided_by, current.decided_at = actor, timezone.now()
        current.decision_comment, current.version = comment.strip(), agreement.version
        current.save(
            update_fields=["status", "decided_by", "decided_at", "decision_comment", "version"]
        )
        log_action(
            actor=actor,
            action="amendment.approve",
            obj=agreement,
            data={
                "amendment": current.pk,
                "version": agreement.version,
                "changes": current.changes,
            },
        )
    return current


def _apply(agreement: Agreement, amendment: Amendment) -> None:
    """Write the amendment's changes, checked again as a proposal would be."""
    changes = amendment.changes
    if amendment.kind == Amendment.Kind.BUDGET:
        lines = {int(pk): Decimal(value) for pk, value in changes.get("lines", {}).items()}
        _checked, errors = _budget_changes(agreement, lines)
        if errors:
            raise DomainError(_("Изменение больше не подходит к соглашению."), field_errors=errors)
        for line in agreement.lines.filter(pk__in=lines):
            line.amount = lines[line.pk]
            line.save(update_fields=["amount"])
        return
    ends_on = parse_iso_date(changes["ends_on"]) if "ends_on" in changes else None
    tranches = {int(pk): parse_iso_date(day) for pk, day in changes.get("tranches", {}).items()}
    _checked, errors = _date_changes(agreement, ends_on, tranches)
    if errors:
        raise DomainError(_("Изменение больше не подходит к соглашению."), field_errors=errors)
    for tranche in agreement.tranches.filter(pk__in=tranches):
        tranche.planned_on = tranches[tranche.pk]
        tranche.save(update_fields=["planned_on"])
    if ends_on is not None:
        agreement.ends_on = ends_on
        _reschedule_reports(agreement)


def _reschedule_reports(agreement: Agreement) -> None:
    """The reports' due days after a new end: the final one from the new end, the interim
    one (if any) from the new middle of the project, in working days."""
    period = schedule.Period(agreement.starts_on, agreement.ends_on)
    days = schedule.calendar_for(period, agreement.concluded_on)
    kinds = set(agreement.reports_due.values_list("kind", flat=True))
    planned = [r for r in schedule.report_schedule(period, days) if r.kind in kinds]
    if ReportDue.Kind.INTERIM in kinds and not any(
        r.kind == ReportDue.Kind.INTERIM for r in planned
    ):
        middle = period.starts_on + (period.ends_on - period.starts_on) // 2
        wait = settings.DOBRY_GRANT_INTERIM_REPORT_WORKING_DAYS
        planned.insert(
            0,
            schedule.PlannedReport(
                ReportDue.Kind.INTERIM, middle, wait, days.add_working_days(middle, wait)
            ),
        )
    _schedule(agreement, planned, days)


def amendment_reject(*, actor: User, amendment: Amendment, reason: str) -> Amendment:
    """Staff reject a proposed change, saying why."""
    AMENDMENT_WORKFLOW.check_for(
        actor, amendment, "reject", permissions.can_move_amendment, reason=reason
    )
    # the agreement first, as an approval locks it (a parent before its children)
    with locked(Agreement.objects.all(), amendment.agreement_id):
        current = Amendment.objects.select_related("agreement").get(pk=amendment.pk)
        AMENDMENT_WORKFLOW.check(current.status, "reject", reason=reason)
        current.status = Amendment.Status.REJECTED
        current.decided_by, current.decided_at = actor, timezone.now()
        current.decision_comment = reason.strip()
        current.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
        log_action(
            actor=actor,
            action="amendment.reject",
            obj=current.agreement,
            data={"amendment": current.pk, "reason": reason},
        )
    return current


# --- reminders of the reports due --------------------------------------------------------------

# (the reminder's column, the nearest and the farthest day before the due day it is sent)
REMINDERS = (("reminded_14_at", 4, 14), ("reminded_3_at", 0, 3))


def remind_report_deadlines(*, now: datetime | None = None) -> int:
    """Remind the grantee (the applicant and the applying organisation's owners and
    editors) of each report of a signed agreement: once 14…4 days before it is due, once
    more 3…0 days before (a report scheduled late gets only the nearer one), unless the
    report is already on review or accepted. Each reminder
    is claimed by a conditional UPDATE of its own column in the transaction that writes
    the notification, so two schedulers running side by side never send it twice.
    Returns how many reminders were sent."""
    moment = now or timezone.now()
    today = local_date(moment)
    sent = 0
    # A report already handed in (on review or accepted) needs no reminder.
    handed_in = GrantReport.objects.filter(
        agreement=OuterRef("agreement"),
        kind=OuterRef("kind"),
        status__in=(GrantReport.Status.SUBMITTED, GrantReport.Status.ACCEPTED),
    )
    for column, nearest, farthest in REMINDERS:
        unsent = {f"{column}__isnull": True}
        due = (
            ReportDue.objects.filter(
                agreement__status=Agreement.Status.SIGNED,
                due_on__gte=today + timedelta(days=nearest),
                due_on__lte=today + timedelta(days=farthest),
                **unsent,
            )
            .exclude(Exists(handed_in))
            .select_related(
                "agreement__application__applicant", "agreement__application__organization"
            )
            .order_by("due_on", "pk")
        )
        for report in due:
            with transaction.atomic():
                if ReportDue.objects.filter(pk=report.pk, **unsent).update(**{column: moment}):
                    _remind(report, (report.due_on - today).days)
                    sent += 1
    return sent


def grantees(application: Application) -> list[User]:
    people = {application.applicant} if application.applicant else set()
    if application.organization_id:
        people |= set(
            User.objects.filter(
                memberships__organization_id=application.organization_id,
                memberships__role__in=(Membership.Role.OWNER, Membership.Role.EDITOR),
            )
        )
    return sorted(people, key=lambda user: user.pk)


def _remind(report: ReportDue, days_left: int) -> None:
    agreement = report.agreement
    notify(
        kinds.REPORT_DUE,
        grantees(agreement.application),
        {
            "agreement": agreement,
            "kind": report.get_kind_display(),
            "due": report.due_on,
            "days": days_left,
        },
        url=agreement.get_absolute_url(),
    )
