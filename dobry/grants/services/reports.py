"""The grantee's reports: opened on a signed agreement, filled section by section, receipts
and photos attached, submitted (late when after the due day), returned with a comment per
section — the reply is the next version, the submitted one kept as it was — or accepted;
an accepted final report closes the project with a rating. Every change audited."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.communications.services import notify
from dobry.core.audit import log_action
from dobry.core.clock import local_date
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.core.files import delete_private_files
from dobry.core.locking import locked
from dobry.core.permissions import Decision
from dobry.core.text_limits import too_long
from dobry.core.uploads import Upload, validate_document, validate_image
from dobry.grants import notifications as kinds
from dobry.grants import permissions
from dobry.grants.models import (
    AGREEMENT_WORKFLOW,
    REPORT_WORKFLOW,
    Agreement,
    GrantReport,
    ReportDue,
    ReportFile,
    ReportVersion,
)
from dobry.grants.reporting import content as sections
from dobry.grants.reporting import figures
from dobry.grants.services.agreements import grantees

COMMENT_MAX = 5_000
FILES_MAX = 200  # files of one report, all versions


def _require(decision: Decision) -> None:
    if not decision:
        raise (InvalidTransition if decision.not_now else PermissionDenied)(str(decision.reason))


def current_version(report: GrantReport) -> ReportVersion:
    return report.versions.get(version=report.version)


def report_open(*, actor: User, agreement: Agreement, kind: str) -> GrantReport:
    """The report of `kind` on the agreement, started with its first version (the calendar,
    targets and budget lines to fill in) when there is none yet. DomainError when the
    agreement asks for no report of this kind."""
    _require(permissions.can_open_report(actor, agreement))
    with locked(Agreement.objects.all(), agreement.pk) as current:
        if not ReportDue.objects.filter(agreement=current, kind=kind).exists():
            raise DomainError(_("Соглашение не предусматривает такого отчёта."))
        report = GrantReport.objects.filter(agreement=current, kind=kind).first()
        if report is not None:
            return report
        report = GrantReport.objects.create(agreement=current, kind=kind)
        due = ReportDue.objects.get(agreement=current, kind=kind)
        ReportVersion.objects.create(
            report=report,
            version=1,
            content=sections.blank(current),
            figures=figures.count(current, due),
        )
        log_action(actor=actor, action="report.open", obj=current, data={"report_kind": kind})
    return report


def report_save(*, actor: User, report: GrantReport, data: Mapping[str, Any]) -> ReportVersion:
    """Write the grantee's `data` (see `reporting.content.clean`) into the version being
    worked on. DomainError with the fields that are wrong; nothing is written then."""
    _require(permissions.can_edit_report(actor, report))
    with locked(GrantReport.objects.all(), report.pk) as current:
        _require(permissions.can_edit_report(actor, current))
        version = current_version(current)
        content, errors = sections.clean(version.content, data)
        if errors:
            raise DomainError(
                _("Отчёт не сохранён: исправьте поля с ошибками."), field_errors=errors
            )
        version.content = content
        version.figures = figures.count(current.agreement, _due(current))
        version.save(update_fields=["content", "figures"])
        current.save(update_fields=["updated_at"])
        log_action(
            actor=actor,
            action="report.save",
            obj=current.agreement,
            data={"report": current.pk, "version": version.version},
        )
    return version


def _check_upload(kind: str, upload: Upload) -> None:
    try:
        if kind == ReportFile.Kind.PHOTO:
            validate_image(upload, field="file")
        else:
            validate_document(upload, field="file")
    except ValidationError as error:
        raise DomainError(_("Файл не подходит."), field_errors=error.message_dict) from None


def report_attach(
    *, actor: User, report: GrantReport, kind: str, upload: Upload, line_id: int | None = None
) -> ReportFile:
    """Attach a receipt (to one of the agreement's budget lines, or to the report as a
    whole) or a photo (PNG, JPEG or WebP) to the version being worked on."""
    _require(permissions.can_edit_report(actor, report))
    if kind not in ReportFile.Kind.values:
        raise DomainError(
            _("Выберите, что прикладываете."), field_errors={"kind": [_("Выберите.")]}
        )
    line = None
    if line_id is not None:
        line = report.agreement.lines.filter(pk=line_id).first()
        if line is None:
            message = _("Такой статьи в соглашении нет.")
            raise DomainError(message, field_errors={"line": [message]})
    _check_upload(kind, upload)
    with locked(GrantReport.objects.all(), report.pk) as current:
        _require(permissions.can_edit_report(actor, current))
        if current.files.count() >= FILES_MAX:
            raise DomainError(_("К отчёту приложено слишком много файлов."))
        attached = ReportFile.objects.create(
            report=current,
            version=current.version,
            kind=kind,
            line=line,
            file=upload,
            uploaded_by=actor,
        )
        log_action(
            actor=actor,
            action="report.attach",
            obj=current.agreement,
            data={"report": current.pk, "file_kind": kind, "file": attached.file_name},
        )
    return attached


def report_detach(*, actor: User, attached: ReportFile) -> None:
    """Remove a file attached to the version being worked on (a submitted version's files
    stay with it)."""
    report = attached.report
    _require(permissions.can_edit_report(actor, report))
    with locked(GrantReport.objects.all(), report.pk) as current:
        _require(permissions.can_edit_report(actor, current))
        if attached.version != current.version:
            raise InvalidTransition(_("Файл сданной версии отчёта не удаляют."))
        log_action(
            actor=actor,
            action="report.detach",
            obj=current.agreement,
            data={"report": current.pk, "file": attached.file_name},
        )
        delete_private_files(attached)
        attached.delete()


def _due(report: GrantReport) -> ReportDue:
    return ReportDue.objects.get(agreement_id=report.agreement_id, kind=report.kind)


def report_submit(*, actor: User, report: GrantReport, now: datetime | None = None) -> GrantReport:
    """Submit the version being worked on: it is kept as it is from now on. Late when the
    city's date is after the due day. DomainError with what is still missing."""
    REPORT_WORKFLOW.check_for(actor, report, "submit", permissions.can_move_report)
    moment = now or timezone.now()
    with locked(GrantReport.objects.all(), report.pk) as current:
        REPORT_WORKFLOW.check(current.status, "submit")
        version = current_version(current)
        if errors := sections.missing(version.content):
            raise DomainError(_("Отчёт не сдан: заполните недостающее."), field_errors=errors)
        version.submitted_at, version.submitted_by = moment, actor
        version.figures = figures.count(current.agreement, _due(current))
        version.save(update_fields=["submitted_at", "submitted_by", "figures"])
        current.status = GrantReport.Status.SUBMITTED
        current.submitted_at = moment
        current.submitted_late = local_date(moment) > _due(current).due_on
        current.save(update_fields=["status", "submitted_at", "submitted_late", "updated_at"])
        log_action(
            actor=actor,
            action="report.submit",
            obj=current.agreement,
            data={
                "report": current.pk,
                "version": version.version,
                "submitted_late": current.submitted_late,
            },
        )
    return current


def _comments(comments: Mapping[str, str]) -> dict[str, str]:
    """Staff's comments by section, checked: known sections, one text each within the limit."""
    kept: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for section, text in comments.items():
        if section not in sections.SECTIONS:
            errors[f"comments.{section}"] = [_("Такого раздела в отчёте нет.")]
        elif not isinstance(text, str) or len(text) > COMMENT_MAX:
            errors[f"comments.{section}"] = [too_long(COMMENT_MAX)]
        elif text.strip():
            kept[section] = text.strip()
    if errors:
        raise DomainError(_("Проверьте комментарии."), field_errors=errors)
    return kept


def report_return(*, actor: User, report: GrantReport, comments: Mapping[str, str]) -> GrantReport:
    """Return a submitted report with a comment on at least one section. The grantee works
    on the next version, a copy of the returned one."""
    kept = _comments(comments)
    reason = "\n".join(kept.values())
    REPORT_WORKFLOW.check_for(actor, report, "return", permissions.can_move_report, reason=reason)
    with locked(GrantReport.objects.all(), report.pk) as current:
        REPORT_WORKFLOW.check(current.status, "return", reason=reason)
        version = _decide(current, actor, ReportVersion.Decision.RETURNED, kept)
        ReportVersion.objects.create(
            report=current,
            version=version.version + 1,
            content=version.content,
            figures=figures.count(current.agreement, _due(current)),
        )
        current.status = GrantReport.Status.RETURNED
        current.version = version.version + 1
        current.save(update_fields=["status", "version", "decided_at", "updated_at"])
        log_action(
            actor=actor,
            action="report.return",
            obj=current.agreement,
            data={"report": current.pk, "version": version.version, "comments": kept},
        )
        _tell(current, kinds.REPORT_RETURNED)
    return current


def _decide(
    report: GrantReport, actor: User, decision: str, comments: dict[str, str]
) -> ReportVersion:
    version = current_version(report)
    version.decision, version.comments = decision, comments
    version.decided_by, version.decided_at = actor, timezone.now()
    version.save(update_fields=["decision", "comments", "decided_by", "decided_at"])
    report.decided_at = version.decided_at
    return version


def report_accept(
    *,
    actor: User,
    report: GrantReport,
    comments: Mapping[str, str] | None = None,
    rating: str = "",
) -> GrantReport:
    """Accept a submitted report. A final report needs the project's rating and closes the
    project (the agreement becomes «проект завершён»); an interim one takes none."""
    kept = _comments(comments or {})
    REPORT_WORKFLOW.check_for(actor, report, "accept", permissions.can_move_report)
    final = report.kind == ReportDue.Kind.FINAL
    if final and rating not in GrantReport.Rating.values:
        message = _("Оцените проект: успешный, удовлетворительный или неудовлетворительный.")
        raise DomainError(message, field_errors={"rating": [message]})
    if not final and rating:
        message = _("Проект оценивают по итоговому отчёту.")
        raise DomainError(message, field_errors={"rating": [message]})
    # the agreement first, as every change of it (a parent before its children)
    with locked(Agreement.objects.all(), report.agreement_id) as agreement:
        current = GrantReport.objects.select_related("agreement").get(pk=report.pk)
        REPORT_WORKFLOW.check(current.status, "accept")
        version = _decide(current, actor, ReportVersion.Decision.ACCEPTED, kept)
        current.status, current.rating = GrantReport.Status.ACCEPTED, rating
        current.participants = version.content.get("participants")
        current.recipients = version.content.get("recipients")
        current.save(
            update_fields=[
                "status",
                "rating",
                "participants",
                "recipients",
                "decided_at",
                "updated_at",
            ]
        )
        if final and agreement.status == Agreement.Status.SIGNED:
            AGREEMENT_WORKFLOW.check(agreement.status, "close")
            agreement.status = Agreement.Status.CLOSED
            agreement.save(update_fields=["status", "updated_at"])
        log_action(
            actor=actor,
            action="report.accept",
            obj=agreement,
            data={"report": current.pk, "version": version.version, "rating": rating},
        )
        _tell(current, kinds.REPORT_ACCEPTED)
    return current


def report_queue_exported(*, actor: User, file_format: str, rows: int) -> None:
    """Record that a member of staff downloaded the queue of reports (a list of grantees):
    who, when, in which format and how many rows (the filters are on the page)."""
    log_action(
        actor=actor,
        action="report.queue_export",
        obj=actor,
        data={"file_format": file_format, "rows": rows},
    )


def _tell(report: GrantReport, kind: str) -> None:
    agreement = report.agreement
    rating = report.get_rating_display() if report.rating else ""
    notify(
        kind,
        grantees(agreement.application),
        {"agreement": agreement, "kind": report.get_kind_display(), "rating": rating},
        url=report.get_absolute_url(),
    )


def project_links_set(
    *, actor: User, agreement: Agreement, events: list[Any], programmes: list[Any]
) -> Agreement:
    """Name the platform's events and help programmes the project runs on (its reports
    count their records): only the grantee organisation's own. DomainError at `events` or
    `programmes` naming another organisation's."""
    _require(permissions.can_link_project(actor, agreement))
    organization_id = agreement.application.organization_id
    errors: dict[str, list[str]] = {}
    if any(event.organization_id != organization_id for event in events):
        errors["events"] = [_("Мероприятия проекта — мероприятия организации-получателя.")]
    if any(programme.organization_id != organization_id for programme in programmes):
        errors["programmes"] = [_("Программы проекта — программы организации-получателя.")]
    if errors:
        raise DomainError(_("Связи проекта не сохранены."), field_errors=errors)
    with locked(Agreement.objects.all(), agreement.pk) as current:
        current.events.set(events)
        current.programmes.set(programmes)
        log_action(
            actor=actor,
            action="agreement.links",
            obj=current,
            data={
                "events": sorted(e.pk for e in events),
                "programmes": sorted(p.pk for p in programmes),
            },
        )
    return current
