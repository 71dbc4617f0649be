"""An application's life: created by an eligible applicant, drafted (autosaved), submitted
(validated, frozen, numbered, receipted), withdrawn and resubmitted before the deadline,
screened by staff — admitted, returned for correction once, or not admitted."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dobry.accounts.models import User
from dobry.communications.services import notify
from dobry.core.audit import log_action
from dobry.core.clock import local_date, local_today
from dobry.core.dates import moment_text
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.core.files import delete_private_files
from dobry.core.text_limits import require_within_limits, text_limit
from dobry.core.typography import quoted
from dobry.core.uploads import Upload, validate_document
from dobry.grants import content as application_content
from dobry.grants import notifications as kinds
from dobry.grants import permissions, stages
from dobry.grants.models import (
    APPLICATION_WORKFLOW,
    Application,
    ApplicationAttachment,
    ApplicationVersion,
    Competition,
    Section,
)
from dobry.organizations.models import Membership, Organization

A = Application.Status
MAX_ATTACHMENTS = 20


def _eligibility_errors(
    competition: Competition, user: User, organization: Organization | None
) -> list[str]:
    if not competition.for_organizations:
        return [_("В этом конкурсе заявку подаёт житель от своего имени.")] if organization else []
    if organization is None:
        return [_("Выберите организацию, от имени которой подаётся заявка.")]
    problems = []
    if not Membership.objects.filter(
        organization=organization,
        user=user,
        role__in=(Membership.Role.OWNER, Membership.Role.EDITOR),
    ).exists():
        problems.append(_("Заявку от организации подаёт её руководитель или редактор."))
    if organization.kind not in competition.eligible_kinds:
        problems.append(
            _("Организации вида %(kind)s в этом конкурсе не участвуют.")
            % {"kind": quoted(organization.get_kind_display())}
        )
    if organization.status != Organization.Status.VERIFIED:
        problems.append(_("Организация ещё не проверена ресурсным центром."))
    if competition.local_only and organization.district_id is None:
        problems.append(_("Конкурс — для организаций муниципалитета: укажите район организации."))
    if competition.min_registered_months:
        oldest = local_today() - relativedelta(months=competition.min_registered_months)
        if organization.founded_on is None or organization.founded_on > oldest:
            problems.append(
                _("Организация должна быть зарегистрирована не менее %(months)s мес.")
                % {"months": competition.min_registered_months}
            )
    return problems


def application_create(
    *, user: User, competition: Competition, organization: Organization | None = None
) -> Application:
    """A new draft, if the competition is accepting and the applicant eligible."""
    if not competition.accepting():
        raise InvalidTransition(_("Приём заявок на этот конкурс закрыт."))
    problems = _eligibility_errors(competition, user, organization)
    if problems:
        raise DomainError(" ".join(problems), field_errors={"organization": problems})
    with transaction.atomic():
        competition = Competition.objects.select_for_update().get(pk=competition.pk)
        if competition.one_per_applicant:
            mine = competition.applications.all()
            mine = (
                mine.filter(organization=organization)
                if organization
                else mine.filter(applicant=user, organization__isnull=True)
            )
            if mine.exists():
                raise DomainError(_("В этом конкурсе от заявителя принимается одна заявка."))
        application = Application.objects.create(
            competition=competition, applicant=user, organization=organization
        )
        log_action(actor=user, action="application.create", obj=application)
    return application


def _check_editable(user: User, application: Application, now: datetime) -> None:
    if not permissions.can_edit_application(user, application):
        raise PermissionDenied(str(permissions.can_edit_application(user, application).reason))
    stages.require(stages.editing(application, now))


def application_save(
    *, user: User, application: Application, title: str | None = None, content: Mapping[str, Any]
) -> Application:
    """Keep a draft as typed — no field is required until submission; a text over its
    limit is refused at its field (DomainError), never cut."""
    if title is not None:
        require_within_limits({"title": (title.strip(), text_limit(Application, "title"))})
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("competition")
            .get(pk=application.pk)
        )
        _check_editable(user, application, timezone.now())
        if title is not None:
            application.title = title.strip()
        application.content = application_content.clean_content(content, into=application.content)
        application.requested_amount = application_content.requested_total(application.content)
        application.save(update_fields=["title", "content", "requested_amount", "updated_at"])
    return application


def application_attach(
    *, user: User, application: Application, title: str, upload: Upload
) -> ApplicationAttachment:
    if not application.competition.has_section(Section.ATTACHMENTS):
        raise DomainError(_("В этом конкурсе приложения к заявке не предусмотрены."))
    _check_editable(user, application, timezone.now())
    try:
        validate_document(upload, field="file")
    except ValidationError as error:
        raise DomainError(_("Файл не подходит."), field_errors=error.message_dict) from None
    require_within_limits({"title": (title.strip(), text_limit(ApplicationAttachment, "title"))})
    if application.attachments.count() >= MAX_ATTACHMENTS:
        raise DomainError(
            ngettext("Не больше %(count)s файла.", "Не больше %(count)s файлов.", MAX_ATTACHMENTS)
            % {"count": MAX_ATTACHMENTS}
        )
    with transaction.atomic():
        attachment = ApplicationAttachment.objects.create(
            application=application, title=title.strip(), file=upload
        )
        if not attachment.title:  # untitled: the file's own name, as stored for the download
            attachment.title = attachment.original_name
            attachment.save(update_fields=["title"])
        log_action(
            actor=user,
            action="application.attach",
            obj=application,
            data={"attachment": attachment.pk},
        )
    return attachment


def application_detach(*, user: User, attachment: ApplicationAttachment) -> None:
    application = attachment.application
    _check_editable(user, application, timezone.now())
    with transaction.atomic():
        log_action(
            actor=user,
            action="application.detach",
            obj=application,
            data={"attachment": attachment.pk},
        )
        attachment.delete()
        delete_private_files(attachment)


def _next_number(competition: Competition) -> str:
    """«<year>-<competition>-<nnn>»: the competition row is locked by the caller."""
    taken = competition.applications.exclude(number="").count()
    return f"{local_date(competition.applications_open).year}-{competition.pk}-{taken + 1:03d}"


def application_submit(*, user: User, application: Application) -> Application:
    """Validate everything, freeze the version, number it (once) and send a receipt."""
    with transaction.atomic():
        competition = Competition.objects.select_for_update().get(pk=application.competition_id)
        application = Application.objects.select_for_update().get(pk=application.pk)
        application.competition = competition
        now = timezone.now()
        _check_editable(user, application, now)
        move = APPLICATION_WORKFLOW.check(application.status, "submit")
        errors = application_content.submission_errors(
            competition, application.title, application.content
        )
        if errors:
            raise DomainError(
                _("Заявка заполнена не полностью: исправьте отмеченные поля."),
                field_errors=errors,
            )
        if not application.number:
            application.number = _next_number(competition)
        application.status = move.target
        application.submitted_at = now
        application.save(
            update_fields=["number", "status", "submitted_at", "requested_amount", "updated_at"]
        )
        ApplicationVersion.objects.create(
            application=application,
            version=application.versions.count() + 1,
            title=application.title,
            content=application.content,
            requested_amount=application.requested_amount,
            attachments=[
                {"title": a.title, "file": a.file.name} for a in application.attachments.all()
            ],
            submitted_at=now,
        )
        log_action(
            actor=user,
            action="application.submit",
            obj=application,
            data={"number": application.number, "requested": str(application.requested_amount)},
        )
        notify(
            kinds.APPLICATION_RECEIVED,
            [user],
            {"application": application},
            url=application.get_absolute_url(),
        )
    return application


def application_withdraw(*, user: User, application: Application) -> Application:
    """Before the deadline the applicant takes the application back to change it."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("competition")
            .get(pk=application.pk)
        )
        if not permissions.can_edit_application(user, application):
            raise PermissionDenied(str(permissions.can_edit_application(user, application).reason))
        if timezone.now() >= application.competition.applications_close:
            raise InvalidTransition(_("Приём заявок закончился: отозвать заявку нельзя."))
        move = APPLICATION_WORKFLOW.check(application.status, "withdraw")
        application.status = move.target
        application.save(update_fields=["status", "updated_at"])
        log_action(actor=user, action="application.withdraw", obj=application)
    return application


SCREENING_DECISIONS = (A.ADMITTED, A.RETURNED, A.NOT_ADMITTED)


def application_screen(
    *,
    actor: User,
    application: Application,
    decision: str,
    reason: str = "",
    comment: str = "",
    returned_until: datetime | None = None,
) -> Application:
    """Staff decide on admission. Returning for correction happens once, with a future
    deadline; not admitting needs a reason from the list. `decision` is one of
    SCREENING_DECISIONS, `reason` an `Application.Reason` value. DomainError with field
    errors for a bad decision; InvalidTransition when the application can no longer take
    it (returned once already, or reviews submitted)."""
    _check_screening(decision, reason, returned_until, application.competition)
    with transaction.atomic():
        application = _locked_for_screening(application, decision)
        application.status = decision
        application.screening_reason = reason if decision != A.ADMITTED else ""
        application.screening_comment = comment.strip()
        if decision == A.RETURNED:
            application.returned_until = returned_until
            application.was_returned = True
        if decision == A.NOT_ADMITTED:
            application.reviews.filter(status="assigned").delete()
        application.save()
        log_action(
            actor=actor,
            action="application.screen",
            obj=application,
            data={"decision": decision, "reason": reason},
        )
        if application.applicant is not None:
            notify(
                kinds.APPLICATION_SCREENED,
                [application.applicant],
                {"application": application},
                url=application.get_absolute_url(),
            )
    return application


def _check_screening(
    decision: str, reason: str, returned_until: datetime | None, competition: Competition
) -> None:
    """The decision, its reason, and for a return a deadline still to come and no later
    than the competition's review deadline — the corrected application must still be
    reviewed in time (DomainError at each field)."""
    if decision not in SCREENING_DECISIONS:
        raise DomainError(
            _("Решение: допущена, возвращена на доработку или не допущена."),
            field_errors={"decision": [_("Выберите решение.")]},
        )
    errors: dict[str, list[str]] = {}
    if decision != A.ADMITTED and reason not in Application.Reason.values:
        errors["reason"] = [_("Выберите причину из списка.")]
    if decision == A.RETURNED and (returned_until is None or returned_until <= timezone.now()):
        errors["returned_until"] = [_("Укажите срок доработки в будущем.")]
    elif (
        decision == A.RETURNED
        and returned_until is not None
        and returned_until > competition.review_deadline
    ):
        errors["returned_until"] = [
            _(
                "Срок доработки — не позже окончания экспертизы (%(deadline)s): "
                "доработанную заявку должны успеть оценить."
            )
            % {"deadline": moment_text(competition.review_deadline)}
        ]
    if errors:
        raise DomainError(_("Проверьте решение."), field_errors=errors)


def _locked_for_screening(application: Application, decision: str) -> Application:
    """The application locked for the decision, once it is known to be able to take it."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("competition", "applicant")
        .get(pk=application.pk)
    )
    stages.require(stages.screening(application.competition))
    if decision == A.RETURNED and application.was_returned:
        raise InvalidTransition(_("Заявку можно вернуть на доработку только один раз."))
    APPLICATION_WORKFLOW.check_to(application.status, decision)
    if application.reviews.filter(status="submitted").exists():
        raise InvalidTransition(_("Экспертиза заявки уже идёт: допуск не меняется."))
    return application
