"""The help given: the helper's report, closing a request with the helpers' hours, the
rating by the person who asked, and the invitation to volunteer too."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.communications.services import notify
from dobry.core import public_text, references
from dobry.core.audit import log_action
from dobry.core.clock import hours_passed_in_day, local_date, local_today, start_of_local_day
from dobry.core.dates import day_text, moment_text
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.numbers import plain_number
from dobry.core.typography import quoted
from dobry.helprequests import notifications as kinds
from dobry.helprequests import permissions
from dobry.helprequests.models import HELP_REQUEST_WORKFLOW, HelpOffer, HelpReport, HelpRequest
from dobry.helprequests.services.recurrence import schedule_next
from dobry.helprequests.services.workflow import request_transition
from dobry.organizations.areas import Area
from dobry.organizations.models import Membership, Organization
from dobry.volunteering.models import HoursEntry
from dobry.volunteering.services.hours import hours_amount, hours_record

S = HelpRequest.Status


def help_report(
    *,
    volunteer: User,
    help_request: HelpRequest,
    text: str,
    hours: object,
    day: date | None = None,
) -> HelpReport:
    """The accepted volunteer reports what was done, how long it took and on which of the
    city's days (today unless given: the record book's entry is dated by it); help starts
    counting as in progress."""
    if not permissions.is_accepted_volunteer(volunteer, help_request):
        raise PermissionDenied
    if not text.strip():
        raise DomainError(
            _("Расскажите, что сделано."), field_errors={"text": [_("Обязательное поле.")]}
        )
    # the hours go to the ledger: the ledger's own rule (¼ to 24 h, in hundredths)
    amount = hours_amount(hours)
    day = _day_of_help(help_request, day)
    _check_hours_since_taken(_taken_at(volunteer, help_request), day, amount)
    with transaction.atomic():
        report, _created = HelpReport.objects.update_or_create(
            request=help_request,
            volunteer=volunteer,
            defaults={"text": text.strip(), "hours": amount, "day": day},
        )
        if help_request.status == S.ASSIGNED:
            request_transition(actor=volunteer, help_request=help_request, to=S.IN_PROGRESS)
        log_action(
            actor=volunteer,
            action="helprequest.report",
            obj=help_request,
            data={"hours": str(amount)},
        )
    return report


def _day_of_help(help_request: HelpRequest, day: date | None) -> date:
    """The city's day the help was given: today by default; never ahead of today, nor before
    the request was made."""
    today = local_today()
    if day is None:
        return today
    if day > today:
        message = _("Этот день ещё не наступил.")
        raise DomainError(message, field_errors={"day": [message]})
    if day < local_date(help_request.created_at):
        message = _("Просьба появилась позже: укажите день, когда вы помогли.")
        raise DomainError(message, field_errors={"day": [message]})
    return day


def _taken_at(volunteer: User, help_request: HelpRequest) -> datetime:
    """When `volunteer` took the request: the moment they accepted the offer (an offer
    accepted before answers were stamped: when it was made)."""
    offer = (
        HelpOffer.objects.filter(
            request=help_request, volunteer=volunteer, status=HelpOffer.Status.ACCEPTED
        )
        .order_by("-created_at")
        .first()
    )
    assert offer is not None  # `is_accepted_volunteer` was checked
    return offer.answered_at or offer.created_at


def _check_hours_since_taken(taken_at: datetime, day: date, hours: Decimal) -> None:
    """Help is given after it was taken and within the city's day it is dated by: on the
    day it was taken, no more hours than have passed since then (taken at 15:00 and
    reported at 16:00: 1 h at most); today, no more than have passed since midnight.
    DomainError at `day` for a day before the help was taken, at `hours` for more hours
    than the day held."""
    if day < local_date(taken_at):
        message = _("Вы взялись помочь %(day)s: укажите этот день или более поздний.") % {
            "day": day_text(taken_at)
        }
        raise DomainError(message, field_errors={"day": [message]})
    passed = hours_passed_in_day(day, since=taken_at)
    if hours > passed:
        values = {
            "since": moment_text(max(taken_at, start_of_local_day(day))),
            "passed": plain_number(passed),
        }
        if day == local_today():
            message = (
                _(
                    "С %(since)s по местному времени прошло только %(passed)s ч: "
                    "часов помощи не может быть больше."
                )
                % values
            )
        else:
            message = (
                _(
                    "Вы взялись помочь %(since)s, и до конца того дня оставалось %(passed)s ч: "
                    "часов помощи за этот день не может быть больше."
                )
                % values
            )
        raise DomainError(message, field_errors={"hours": [message]})


def request_complete(*, actor: User, help_request: HelpRequest) -> HelpRequest:
    """The coordinator closes the request as done; the volunteers' reported hours become
    confirmed entries of their record books (for the programme's organisation, or the
    coordinator's own — the resource centre), dated by the day each helped and marked as
    help by this request — not as the volunteer's own claim, which they may still make for
    that day. InvalidTransition (409) when the request is not under way or no helper has
    reported yet: «done» is what the resident is told and what the KPI counts."""
    programme = help_request.programme
    organization = programme.organization if programme is not None else _home_organization(actor)
    HELP_REQUEST_WORKFLOW.check_to(help_request.status, S.DONE)
    reports = list(help_request.reports.select_related("volunteer"))
    if not reports:
        # «done» is what the resident is told and the KPI counts: only help someone reported
        raise InvalidTransition(
            _("Закрыть просьбу как выполненную можно после отчёта помощника о том, что сделано.")
        )
    if organization is None:
        raise DomainError(
            _(
                "Часы волонтёров некому подтвердить: передайте просьбу в программу "
                "организации или станьте редактором организации ресурсного центра."
            )
        )
    with transaction.atomic():
        help_request = request_transition(actor=actor, help_request=help_request, to=S.DONE)
        if organization is not None:
            for report in reports:
                _credit_hours(actor, help_request, report, organization)
        if help_request.recurrence != HelpRequest.Recurrence.ONCE:
            schedule_next(actor=actor, help_request=help_request)
    return help_request


def _credit_hours(
    actor: User, help_request: HelpRequest, report: HelpReport, organization: Organization
) -> None:
    """The report's hours as a ledger entry, through the ledger's one service: at most
    24 h on the day from all sources (the help was given; what the day no longer holds is
    not added). Nobody confirms their own hours: the helper's own entry waits for the
    organisation's other editors (or a coordinator) to confirm it.

    A helper who erased their account after reporting still gave that help: the hours
    count in the city's totals, on the account's anonymous tombstone as every hour of an
    erased person does (`volunteering.privacy`) — confirmed by the one who closes the
    request (nobody is left to ask) and with no description, so the entry carries nothing
    that says who helped or what they wrote."""
    erased = report.volunteer.erased_at is not None
    own = report.volunteer_id == actor.pk
    hours_record(
        user=report.volunteer,
        organization=organization,
        day=report.day,
        hours=report.hours,
        source=HoursEntry.Source.HELP_REQUEST,
        origin=references.reference_to(help_request),
        area=Area.SOCIAL,
        description="" if erased else help_request.summary,
        trim_to_day=True,
        confirmed_by=None if own else actor,
    )


def recipient_invite(*, actor: User, help_request: HelpRequest) -> None:
    """«Помогать могут все»: after the help, the coordinator invites the person who asked
    to volunteer too. Only an invitation — the person decides and gives their own consent
    when filling in the volunteer profile."""
    if help_request.status != S.DONE:
        raise InvalidTransition(_("Пригласить можно после выполненной просьбы."))
    requester = help_request.requester
    if requester is None or help_request.relation != HelpRequest.Relation.SELF:
        raise DomainError(
            _(
                "Просьбу подавал не сам получатель помощи: пригласите его лично, "
                "по телефону, — на платформе у него нет своего кабинета."
            )
        )
    if hasattr(requester, "volunteer_profile"):
        raise DomainError(_("Этот человек уже зарегистрирован как волонтёр."))
    with transaction.atomic():
        # Locked and re-read: a double click sends one invitation.
        help_request = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
        if help_request.invited_at is not None:
            raise DomainError(_("Приглашение уже отправлено."))
        help_request.invited_at = timezone.now()
        help_request.save(update_fields=["invited_at", "updated_at"])
        notify(
            kinds.HELP_VOLUNTEER_INVITE,
            [requester],
            {"request": help_request},
            url=reverse("volunteering:profile"),
        )
        log_action(actor=actor, action="helprequest.invite", obj=help_request)


def _home_organization(user: User) -> "Organization | None":
    membership = (
        Membership.objects.filter(
            user=user, role__in=(Membership.Role.OWNER, Membership.Role.EDITOR)
        )
        .select_related("organization")
        .order_by("pk")
        .first()
    )
    return membership.organization if membership else None


def request_feedback(
    *, user: User, help_request: HelpRequest, rating: int, feedback: str = ""
) -> HelpRequest:
    """The requester rates the help (1–5, and a comment) once it is done. They may change
    their mind: a later rating replaces the earlier one, and each is in the audit log."""
    if help_request.requester_id != user.pk:
        raise DomainError(_("Оценить помощь может тот, кто о ней просил."))
    if help_request.status != S.DONE:
        raise InvalidTransition(_("Оценить можно выполненную просьбу."))
    if not 1 <= rating <= 5:
        raise DomainError(_("Оценка — от 1 до 5."), field_errors={"rating": [_("От 1 до 5.")]})
    _check_feedback(feedback)
    with transaction.atomic():
        help_request.rating = rating
        help_request.feedback = feedback.strip()
        help_request.save(update_fields=["rating", "feedback", "updated_at"])
        log_action(
            actor=user, action="helprequest.feedback", obj=help_request, data={"rating": rating}
        )
    return help_request


def _check_feedback(feedback: str) -> None:
    """A requester's comment is kept as plain text and read by coordinators and the
    organisation: it carries no contacts, address or health data (`core.public_text`, the
    same check as a public summary; a name stays — thanking the volunteer by name is what
    a comment is for). Raises DomainError on `feedback` with a sentence for each kind."""
    kinds = [kind for kind in public_text.personal_data_found(feedback) if kind != "name"]
    errors = []
    if kinds:
        errors.append(
            _("Отзыв хранится открытым текстом: уберите из него %(what)s.")
            % {"what": public_text.personal_data_labels(kinds)}
        )
    if health := public_text.health_found(feedback):
        errors.append(
            _("Отзыв хранится открытым текстом: уберите из него сведения о здоровье (%(words)s).")
            % {"words": ", ".join(quoted(word) for word in health)}
        )
    if errors:
        raise DomainError(errors[0], field_errors={"feedback": errors})
