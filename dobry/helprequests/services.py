"""Help requests: submission with the consent gate, triage workflow, routing, offers, and
audited reads of health data."""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dobry.accounts.models import ConsentDocument, ConsentRecord, User
from dobry.communications.services import notify
from dobry.core import references
from dobry.core.audit import log_action
from dobry.core.clock import local_add, local_date, local_today
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.files import delete_private_files
from dobry.core.locking import lock_rows
from dobry.core.permissions import Actor
from dobry.core.search import fold_for_search
from dobry.core.text_limits import require_within_limits, text_limit
from dobry.core.uploads import Upload, validate_scan
from dobry.core.validators import normalize_phone
from dobry.helprequests import notifications as kinds
from dobry.helprequests import permissions, public_text, selectors
from dobry.helprequests.matching import candidates, eligible_volunteers
from dobry.helprequests.models import (
    HEALTH_CONSENT_PAPER_SCAN,
    HELP_REQUEST_WORKFLOW,
    OFFER_WORKFLOW,
    Funding,
    HealthInfo,
    HelpOffer,
    HelpReport,
    HelpRequest,
    Programme,
    ProgrammeRecord,
)
from dobry.organizations.areas import Area
from dobry.organizations.models import Membership, Organization
from dobry.volunteering.models import HoursEntry
from dobry.volunteering.services import hours_amount, hours_record

S = HelpRequest.Status
_WITHDRAWN = OFFER_WORKFLOW.move("withdraw").target
CLOSED = (S.DONE, S.CANCELLED, S.REJECTED)
# The moments the person who asked is told about (in plain words): accepted, a question
# for them, a helper found, done, or refused/cancelled by someone else. The internal steps
# (matching, offered, in progress) are not news to them: one request made 8 messages.
RESIDENT_MOMENTS = frozenset({S.VERIFIED, S.WAITING, S.ASSIGNED, S.DONE, S.REJECTED, S.CANCELLED})
EDITABLE = (
    "category",
    "summary",
    "details",
    "district",
    "address",
    "recipient_name",
    "recipient_phone",
    "asap",
    "wanted_from",
    "wanted_to",
    "recurrence",
    "volunteers_needed",
    "needs_car",
    "woman_volunteer",
    "adults_only",
    "relation",
)
MAX_HELPERS = 20
_DIGITS = re.compile(r"\d[\d\s()\-]{5,}\d")


def next_statuses(help_request: HelpRequest) -> frozenset[str]:
    """The statuses the workflow allows from where the request is now."""
    return HELP_REQUEST_WORKFLOW.table.get(help_request.status, frozenset())


def _coordinators() -> Iterable[User]:
    return User.objects.filter(is_active=True, is_coordinator=True)


def _check_summary(help_request: HelpRequest) -> None:
    """The public summary carries no name, address or phone number: neither the
    recipient's own (as given in the request) nor any that has the shape of one
    (`public_text`: «Марии Ивановой», «ул. Ленина д. 5 кв 12», «Ленина 5-12»)."""
    summary = fold_for_search(help_request.summary)
    leaks = []
    # Russian names change their endings (Мария → Марии): compare the stems.
    stems = [
        part[: max(4, len(part) - 2)]
        for part in fold_for_search(help_request.recipient_name).split()
        if len(part) > 3
    ]
    if any(stem in summary for stem in stems) or public_text.name_found(help_request.summary):
        leaks.append(_("имя"))
    if (
        help_request.address and fold_for_search(help_request.address) in summary
    ) or public_text.address_found(help_request.summary):
        leaks.append(_("адрес"))
    if _DIGITS.search(help_request.summary):
        leaks.append(_("номер телефона"))
    if leaks:
        raise ValidationError(
            {
                "summary": [
                    _("Краткое описание видят все: уберите из него %(what)s.")
                    % {"what": ", ".join(leaks)}
                ]
            }
        )


def _content(help_request: HelpRequest) -> tuple[str, str, str]:
    return (
        help_request.category,
        fold_for_search(help_request.summary),
        fold_for_search(help_request.details),
    )


def find_duplicate(help_request: HelpRequest) -> HelpRequest | None:
    """An open request with the same phone or the same address, or — when neither was
    given — one the same requester sent with the same content (category, summary and
    details, compared case- and spacing-insensitively) within DOBRY_HELP_DUPLICATE_HOURS."""
    others = HelpRequest.objects.filter(status__in=HelpRequest.OPEN).exclude(pk=help_request.pk)
    if help_request.requester_id:
        since = timezone.now() - timedelta(hours=settings.DOBRY_HELP_DUPLICATE_HOURS)
        content = _content(help_request)
        recent = others.filter(
            requester_id=help_request.requester_id,
            category=help_request.category,
            created_at__gte=since,
        ).order_by("created_at")
        for candidate in recent[:50]:
            if _content(candidate) == content:
                return candidate
    if help_request.recipient_phone:
        same_phone = others.filter(recipient_phone=help_request.recipient_phone).first()
        if same_phone:
            return same_phone
    if help_request.address:
        folded = fold_for_search(help_request.address)
        for candidate in others.exclude(address="").only("pk", "address")[:5000]:
            if fold_for_search(candidate.address) == folded:
                return candidate
    return None


def _apply(help_request: HelpRequest, fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise DomainError(_("Неизвестные поля: %s") % ", ".join(sorted(unknown)))
    for name, value in fields.items():
        setattr(help_request, name, value.strip() if isinstance(value, str) else value)
    if help_request.recipient_phone:
        try:
            help_request.recipient_phone = normalize_phone(help_request.recipient_phone)
        except ValidationError as error:
            raise ValidationError({"recipient_phone": error.messages}) from None
    if not 1 <= help_request.volunteers_needed <= MAX_HELPERS:
        # the API's schema says the same (1–20); the page's number field did not
        raise ValidationError({"volunteers_needed": [_("Помощников может быть от 1 до 20.")]})
    if not help_request.asap and help_request.wanted_from is None:
        raise ValidationError(
            {"wanted_from": [_("Укажите, когда нужна помощь, или отметьте «как можно скорее».")]}
        )
    if (
        help_request.wanted_from
        and help_request.wanted_to
        and help_request.wanted_to <= help_request.wanted_from
    ):
        raise ValidationError({"wanted_to": [_("Окончание должно быть позже начала.")]})
    _check_summary(help_request)
    help_request.full_clean(exclude=["requester", "programme", "possible_duplicate_of", "parent"])


def _health_consent_method(
    requester: User,
    consent_scan: Upload | None,
    *,
    agreed: bool,
    for_someone_else: bool,
    on_behalf: bool,
) -> str:
    """How the consent to processing health data (152-ФЗ art. 9, art. 10) was given for
    the health information of one request.

    A coordinator registering a request (by phone or in person, on the staff form) attaches
    the scan of the form the person helped signed: the evidence of their written consent,
    required. Anyone else gives two things: their written consent — signed with a code
    from the email or on paper (`accounts.services.consent_sign_with_code` /
    `consent_record_paper`) — and, with each request, the explicit consent to processing
    the health information given in it (`agreed`: the page's checkbox under the consent's
    text, the API's `health_consent`), so the consent is specific to this information.
    Asking for someone else, the health information is that person's (they are the data
    subject, not the requester): the requester also confirms being their legal
    representative or having their consent (`on_behalf`: a checkbox of its own, the API's
    `health_on_behalf`). Raises ValidationError on `consent_scan`, `health_consent` or
    `health_on_behalf` otherwise."""
    if permissions.is_coordinator(requester):
        if consent_scan is None:
            raise ValidationError(
                {
                    "consent_scan": [
                        _(
                            "Приложите скан согласия на обработку сведений о здоровье, "
                            "подписанного получателем помощи (PDF, JPEG или PNG): без него "
                            "сведения о здоровье не принимаются."
                        )
                    ]
                }
            )
        validate_scan(consent_scan, field="consent_scan")
        return HEALTH_CONSENT_PAPER_SCAN
    if consent_scan is not None:
        raise ValidationError(
            {
                "consent_scan": [
                    _(
                        "Скан бумажного согласия прикладывает координатор. Своё согласие "
                        "подпишите кодом из письма в разделе «Согласия»."
                    )
                ]
            }
        )
    refusals = []
    if not agreed:
        refusals.append(
            _(
                "Отметьте согласие на обработку сведений о здоровье, указанных в этой просьбе, "
                "или не заполняйте их."
            )
        )
    own = (
        ConsentRecord.objects.active()
        .written()
        .filter(user=requester, document__kind=ConsentDocument.Kind.HEALTH_DATA)
        .first()
    )
    if own is None:
        refusals.append(
            _(
                "Сведения о здоровье принимаются только с отдельным письменным согласием: "
                "подпишите его кодом из письма в разделе «Согласия» или на бумаге "
                "у координатора."
            )
        )
    errors = {"health_consent": refusals} if refusals else {}
    if for_someone_else and not on_behalf:
        errors["health_on_behalf"] = [
            _(
                "Сведения о здоровье другого человека принимаются, только если вы его законный "
                "представитель или он согласен на их передачу: подтвердите это отметкой."
            )
        ]
    if own is None or errors:
        raise ValidationError(errors)
    return own.method


def request_submit(
    *,
    requester: User,
    fields: Mapping[str, Any],
    health_info: str = "",
    health_consent: bool = False,
    health_on_behalf: bool = False,
    consent_scan: Upload | None = None,
) -> HelpRequest:
    """Ask for help (for oneself, for someone else, or — by a coordinator — from a call).

    Health or disability information is accepted only with the separate consent of
    152-ФЗ art. 10 (`_health_consent_method`: the requester's written consent and their
    `health_consent` to this request's information — and, asking for someone else, their
    `health_on_behalf` confirmation — or a coordinator's `consent_scan` of the form the
    person signed), whose text version is stored with the information and in the audit
    entry with the confirmation; the scan is kept with the health information."""
    health_info = health_info.strip()
    if consent_scan is not None and not health_info:
        raise ValidationError(
            {
                "health_info": [
                    _(
                        "Приложен скан согласия, но сведения о здоровье не заполнены: "
                        "заполните их или не прикладывайте скан."
                    )
                ]
            }
        )
    for_someone_else = fields.get("relation", HelpRequest.Relation.SELF) != (
        HelpRequest.Relation.SELF
    )
    consent_method = (
        _health_consent_method(
            requester,
            consent_scan,
            agreed=health_consent,
            for_someone_else=for_someone_else,
            on_behalf=health_on_behalf,
        )
        if health_info
        else None
    )
    # Recorded only when it mattered: the requester's own consent covering someone else's
    # health information (a coordinator's scan is that person's own consent).
    on_behalf_confirmed = (
        True
        if consent_method not in (None, HEALTH_CONSENT_PAPER_SCAN) and for_someone_else
        else None
    )
    help_request = HelpRequest(
        requester=requester,
        has_health_info=bool(health_info),
        has_consent_scan=consent_scan is not None,
    )
    _apply(help_request, fields)
    consent_version = None
    if health_info:
        document = ConsentDocument.current(ConsentDocument.Kind.HEALTH_DATA)
        consent_version = document.version if document else None
    with transaction.atomic():
        help_request.possible_duplicate_of = find_duplicate(help_request)
        help_request.save()
        if health_info:
            HealthInfo.objects.create(
                help_request=help_request,
                text=health_info,
                consent_version=consent_version,
                consent_at=timezone.now(),
                consent_scan=consent_scan,
            )
        log_action(
            actor=requester,
            action="helprequest.submit",
            obj=help_request,
            data={
                "category": help_request.category,
                "duplicate_of": help_request.possible_duplicate_of_id,
                # 152-ФЗ art. 10: that health data was collected, and under which consent
                "health_data": bool(health_info),
                "health_consent_version": consent_version,
                "health_consent_method": consent_method,
                # asking for someone else: the requester confirmed being their legal
                # representative or having their consent (the form's wording)
                "health_on_behalf": on_behalf_confirmed,
            },
        )
        notify(
            kinds.HELP_REQUEST_NEW,
            _coordinators(),
            {"request": help_request},
            url=help_request.get_absolute_url(),
        )
    return help_request


def request_update(
    *, actor: User, help_request: HelpRequest, fields: Mapping[str, Any]
) -> HelpRequest:
    """The coordinator corrects a request after calling back, or the person who asked
    corrects their own before it is checked (`permissions.can_edit`); closed ones stay as
    they were."""
    if help_request.status not in HelpRequest.OPEN:
        raise InvalidTransition(_("Закрытую просьбу изменить нельзя."))
    decision = permissions.can_edit(actor, help_request)
    if not decision:
        raise PermissionDenied(decision.reason)
    with transaction.atomic():
        _apply(help_request, fields)
        help_request.save()
        log_action(
            actor=actor,
            action="helprequest.update",
            obj=help_request,
            data={"fields": sorted(fields)},
        )
    return help_request


def request_cancel(*, user: User, help_request: HelpRequest, reason: str = "") -> HelpRequest:
    """The person who asked cancels their own request (`permissions.can_cancel`); offers
    are withdrawn and whoever was helping is told."""
    decision = permissions.can_cancel(user, help_request)
    if not decision:
        raise PermissionDenied(decision.reason)
    return request_transition(
        actor=user,
        help_request=help_request,
        to=S.CANCELLED,
        reason=reason.strip() or _("Отменена тем, кто просил о помощи."),
    )


def _triager(actor: User) -> None:
    """Urgency and routing are the coordinators' (`permissions.can_triage`), whichever way
    the request came in."""
    decision = permissions.can_triage(actor)
    if not decision:
        raise PermissionDenied(decision.reason)


def request_set_priority(*, actor: User, help_request: HelpRequest, priority: int) -> HelpRequest:
    """A coordinator sets how urgent the request is (the queue is ordered by it)."""
    _triager(actor)
    if priority not in HelpRequest.Priority.values:
        raise DomainError(
            _("Неизвестная срочность."), field_errors={"priority": [_("Выберите из списка.")]}
        )
    with transaction.atomic():
        help_request.priority = priority
        help_request.save(update_fields=["priority", "updated_at"])
        log_action(
            actor=actor,
            action="helprequest.priority",
            obj=help_request,
            data={"priority": priority},
        )
    return help_request


def request_transition(
    *, actor: User | None, help_request: HelpRequest, to: str, reason: str = ""
) -> HelpRequest:
    """Move the request `to` a status by `HELP_REQUEST_WORKFLOW` (its moves are named by
    where they lead); refusals, cancellations and pauses need a reason. Whoever may move it
    is checked by the caller: the desk's handlers (`permissions.get_request_to_handle`),
    the person who asked (`request_cancel`), an accepted helper, or the platform (None)."""
    reason = reason.strip()
    require_within_limits({"reason": (reason, text_limit(HelpRequest, "reason"))})
    if to not in S.values:
        raise DomainError(_("Неизвестный статус."), field_errors={"to": [_("Выберите из списка.")]})
    with transaction.atomic():
        help_request = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
        HELP_REQUEST_WORKFLOW.check_to(help_request.status, to, reason=reason)
        previous = help_request.status
        help_request.status = to
        if reason:
            help_request.reason = reason
        if to in CLOSED:
            help_request.closed_at = timezone.now()
            # Offers close with the request; a helper who had accepted a request that will
            # not be done is released too (after «done» their acceptance stays as history).
            closing = [HelpOffer.Status.OFFERED]
            if to != S.DONE:
                closing.append(HelpOffer.Status.ACCEPTED)
                helpers = User.objects.filter(
                    help_offers__request=help_request,
                    help_offers__status=HelpOffer.Status.ACCEPTED,
                )
                if actor is not None:
                    helpers = helpers.exclude(pk=actor.pk)
                notify(
                    kinds.HELP_TASK_CANCELLED,
                    list(helpers),
                    {"request": help_request},
                    url=reverse("helprequests:mine"),
                )
            offers_withdraw(
                actor=actor,
                help_request=help_request,
                offers=help_request.offers.filter(status__in=closing),
            )
        help_request.save()
        log_action(
            actor=actor,
            action="helprequest.transition",
            obj=help_request,
            data={"from": previous, "to": to, "reason": reason},
        )
        if (
            to in RESIDENT_MOMENTS
            and help_request.requester is not None
            and (actor is None or help_request.requester_id != actor.pk)
        ):
            notify(
                kinds.HELP_REQUEST_STATUS,
                [help_request.requester],
                {"request": help_request},
                url=help_request.get_absolute_url(),
            )
    return help_request


def offers_withdraw(
    *, actor: User | None, help_request: HelpRequest, offers: QuerySet[HelpOffer]
) -> list[HelpOffer]:
    """Withdraw the request's `offers` by `OFFER_WORKFLOW`: one UPDATE, only those it may
    withdraw (offered or accepted), an audit entry on the request for each (who it was made
    to, from which status). Returns the offers withdrawn. The caller holds the request's
    lock (`request_transition`, `lock_offer`)."""
    return OFFER_WORKFLOW.move_rows(
        offers,
        "withdraw",
        actor=actor,
        action="helprequest.offer_withdraw",
        audit=lambda offer: (
            help_request,
            {"volunteers": [offer.volunteer_id], "from": offer.status, "to": _WITHDRAWN},
        ),
    )


def request_route(*, actor: User, help_request: HelpRequest, programme: Programme) -> HelpRequest:
    """A coordinator hands the request to an organisation's programme that runs today
    (`selectors.routable_programmes`); its editors take it from there."""
    _triager(actor)
    if not selectors.routable_programmes().filter(pk=programme.pk).exists():
        raise DomainError(
            _("Программа сейчас не принимает просьбы."),
            field_errors={"programme": [_("Выберите из списка.")]},
        )
    with transaction.atomic():
        help_request.programme = programme
        help_request.save(update_fields=["programme", "updated_at"])
        if help_request.status == S.NEW:
            # handing a new request to a programme is the coordinator's check of it: the
            # table goes through «verified» (and the person who asked hears it was accepted)
            help_request = request_transition(actor=actor, help_request=help_request, to=S.VERIFIED)
        if help_request.status in (S.VERIFIED, S.WAITING):
            help_request = request_transition(actor=actor, help_request=help_request, to=S.MATCHING)
        log_action(
            actor=actor,
            action="helprequest.route",
            obj=help_request,
            data={"programme": programme.pk},
        )
        editors = User.objects.filter(
            memberships__organization=programme.organization,
            memberships__role__in=(Membership.Role.OWNER, Membership.Role.EDITOR),
        )
        notify(
            kinds.HELP_ROUTED,
            editors,
            {"request": help_request, "programme": programme},
            url=help_request.get_absolute_url(),
        )
    return help_request


def offer_make(
    *, actor: User | None, help_request: HelpRequest, volunteers: Iterable[User]
) -> list[HelpOffer]:
    """Offer the request to one or several volunteers, each with a time limit
    (by a coordinator, or by the platform itself — actor None — when an offer expired).

    Only candidates of «Кому предложить» (`matching.eligible_volunteers` asks
    `matching.candidates`: people who volunteer with a reason to be asked, not the person
    who asked nor staff working the request, meeting the hard requirements), and never
    the person making the offer: an offer to oneself would open the recipient's
    private and health data and credit oneself hours, so it takes a coordinator (another
    person) to offer it. Raises DomainError naming who was refused."""
    volunteers = list(volunteers)
    expires = timezone.now() + timedelta(hours=settings.DOBRY_HELP_OFFER_HOURS)
    with transaction.atomic():
        help_request = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
        _check_status_offerable(help_request)
        _check_offerable(actor, help_request, volunteers)
        offers = []
        for volunteer in volunteers:
            if help_request.offers.filter(
                volunteer=volunteer,
                status__in=(HelpOffer.Status.OFFERED, HelpOffer.Status.ACCEPTED),
            ).exists():
                continue
            offer = HelpOffer.objects.create(
                request=help_request, volunteer=volunteer, offered_by=actor, expires_at=expires
            )
            notify(
                kinds.HELP_OFFER,
                [volunteer],
                {"request": help_request, "offer": offer},
                url=help_request.get_absolute_url(),
            )
            offers.append(offer)
        if not offers:
            raise DomainError(_("Выберите волонтёров, которым ещё не предлагали эту просьбу."))
        if help_request.status != S.OFFERED:
            if help_request.status == S.VERIFIED:
                help_request = request_transition(
                    actor=actor, help_request=help_request, to=S.MATCHING
                )
            request_transition(actor=actor, help_request=help_request, to=S.OFFERED)
        log_action(
            actor=actor,
            action="helprequest.offer",
            obj=help_request,
            data={"volunteers": [o.volunteer_id for o in offers]},
        )
    return offers


@dataclass
class BatchResult:
    """What the day's batch did: offers sent, and the requests left in the queue with why."""

    sent: int = 0
    skipped: list[tuple[HelpRequest, str]] = field(default_factory=list)


def offers_batch_send(*, actor: User, plan: Mapping[int, Sequence[int]]) -> BatchResult:
    """Send a batch plan (request id → volunteer ids; the day's comes from
    `selectors.day_plan` through `batch_plan_confirm`) in one transaction. A request that changed since the plan
    was drawn (taken, closed, a volunteer no longer eligible) is left in the queue and
    reported with the reason — its own offers roll back to a savepoint, the others stand.
    Only coordinators send a batch (PermissionDenied)."""
    if not permissions.is_coordinator(actor):
        raise PermissionDenied
    result = BatchResult()
    with transaction.atomic():
        requests = HelpRequest.objects.in_bulk(list(plan))
        people = User.objects.in_bulk([v for volunteers in plan.values() for v in volunteers])
        for request_id, volunteer_ids in plan.items():
            help_request = requests.get(request_id)
            if help_request is None:
                continue
            volunteers = [people[v] for v in volunteer_ids if v in people]
            try:
                offers = offer_make(actor=actor, help_request=help_request, volunteers=volunteers)
            except DomainError as error:
                result.skipped.append((help_request, error.message))
            else:
                result.sent += len(offers)
        log_action(
            actor=actor,
            action="helprequest.batch",
            obj=actor,
            data={"sent": result.sent, "skipped": [r.pk for r, _reason in result.skipped]},
        )
    return result


def batch_plan_confirm(*, actor: User, day: date, key: str) -> BatchResult:
    """Confirm the day's batch plan the coordinator reviewed, named by its `key`
    (`selectors.day_plan`): the plan is drawn again and sent only if it is still the same
    one — a request, a volunteer's load or availability that changed since would otherwise
    send offers nobody saw. A changed plan is refused (InvalidTransition, nothing sent)."""
    if not (decision := permissions.can_plan_batch(actor)):
        raise PermissionDenied(decision.reason)
    current = selectors.day_plan(day)
    if current.key != key:
        raise InvalidTransition(
            _(
                "План на этот день изменился, пока вы его смотрели: проверьте новый "
                "и подтвердите снова."
            )
        )
    return offers_batch_send(actor=actor, plan=current.plan)


def offer_make_to(
    *,
    actor: User,
    help_request: HelpRequest,
    volunteer_ids: Sequence[int] = (),
    emails: Sequence[str] = (),
) -> list[HelpOffer]:
    """Offer the request to people named by id or email (the page's form and the API):
    every one of them must be a candidate of «Кому предложить» (`offer_make`); an id or
    email that names nobody is refused the same way, so a guess reveals nothing."""
    wanted_emails = {email.strip().lower() for email in emails if email.strip()}
    if not volunteer_ids and not wanted_emails:
        raise DomainError(
            _("Выберите, кому предложить просьбу."),
            field_errors={"volunteers": [_("Выберите, кому предложить просьбу.")]},
        )
    found = list(User.objects.filter(Q(email__in=wanted_emails) | Q(pk__in=set(volunteer_ids))))
    _check_status_offerable(help_request)
    eligible = eligible_volunteers(help_request, [u.pk for u in found], actor=actor)
    # Each refused person is named as the actor named them: a number or the typed email.
    refused = [f"№{pk}" for pk in sorted(set(volunteer_ids)) if pk not in eligible]
    refused += [
        email
        for email in sorted(wanted_emails)
        if not any(u.email.lower() == email and u.pk in eligible for u in found)
    ]
    if refused and not any(u.pk == actor.pk for u in found):
        raise _not_candidates(refused)
    return offer_make(actor=actor, help_request=help_request, volunteers=found)


def _check_status_offerable(help_request: HelpRequest) -> None:
    if help_request.status not in (S.VERIFIED, S.MATCHING, S.OFFERED):
        raise InvalidTransition(_("Предлагать можно проверенную просьбу, пока помощник не найден."))


def _not_candidates(labels: Sequence[str]) -> DomainError:
    return DomainError(
        _("Этих людей нет среди кандидатов для просьбы (список «Кому предложить»): %(who)s.")
        % {"who": ", ".join(labels)},
        field_errors={"volunteers": [_("Выберите из списка «Кому предложить».")]},
    )


def _check_offerable(actor: User | None, help_request: HelpRequest, volunteers: list[User]) -> None:
    if actor is not None and any(v.pk == actor.pk for v in volunteers):
        raise DomainError(
            _("Предложить просьбу самому себе нельзя: это может сделать координатор."),
            field_errors={"volunteers": [_("Уберите себя из списка.")]},
        )
    eligible = eligible_volunteers(help_request, [v.pk for v in volunteers], actor=actor)
    refused = [v for v in volunteers if v.pk not in eligible]
    if refused:
        # Numbers, not names: a forged id must not reveal who the account belongs to.
        raise _not_candidates([f"№{v.pk}" for v in refused])


def offer_answer(*, user: User, offer: HelpOffer, accept: bool) -> HelpOffer:
    """The volunteer accepts or declines; enough acceptances assign the request."""
    return offer_respond(user=user, offer=offer, answer="accept" if accept else "decline")


def lock_offer(*, offer_id: int, request_id: int) -> HelpOffer:
    """Lock an offer and its request for the rest of the caller's transaction, in the one
    order every path that holds both takes: the request, then the offer (a parent before
    its children, `core/locking.py`). The answer of a helper and the scheduled expiry
    then wait for each other in turn; taking them the other way round deadlocked on
    PostgreSQL — the first to accept withdraws the others' offers while they wait for
    the request. Returns the offer, read under the lock, with its locked request."""
    [help_request] = lock_rows(HelpRequest.objects.all(), [request_id])
    [offer] = lock_rows(HelpOffer.objects.all(), [offer_id])
    offer.request = help_request
    return offer


def offer_respond(*, user: User, offer: HelpOffer, answer: str) -> HelpOffer:
    """The volunteer's answer by the name of its move in `OFFER_WORKFLOW` («accept» or
    «decline»; any other is refused); enough acceptances assign the request."""
    with transaction.atomic():
        offer = lock_offer(offer_id=offer.pk, request_id=offer.request_id)
        help_request = offer.request
        if offer.volunteer_id != user.pk:
            raise PermissionDenied
        move = OFFER_WORKFLOW.check_for(
            user, offer, answer, permissions.can_answer_offer, refusal=InvalidTransition
        )
        accept = move.target == HelpOffer.Status.ACCEPTED
        offer.status = move.target
        offer.answered_at = timezone.now()
        offer.save(update_fields=["status", "answered_at"])
        if help_request.status not in (S.MATCHING, S.OFFERED):
            raise InvalidTransition(_("Эта просьба уже не ищет помощника."))
        log_action(
            actor=user,
            action="helprequest.offer_answer",
            obj=help_request,
            data={"accepted": accept},
        )
        accepted = help_request.offers.filter(status=HelpOffer.Status.ACCEPTED).count()
        if (
            accept
            and accepted >= help_request.volunteers_needed
            and help_request.status == S.OFFERED
        ):
            request_transition(actor=user, help_request=help_request, to=S.ASSIGNED)
            offers_withdraw(
                actor=user,
                help_request=help_request,
                offers=help_request.offers.filter(status=HelpOffer.Status.OFFERED),
            )
        if not accept:
            _back_to_matching_if_unfilled(actor=user, help_request=help_request)
    return offer


def _back_to_matching_if_unfilled(*, actor: User | None, help_request: HelpRequest) -> None:
    """After an offer ended without help (declined, or withdrawn when its helper's account
    was erased), under the request's lock: a request offered with no live offer left (none
    waiting for an answer, none accepted), or assigned with fewer accepted helpers than it
    needs, goes back to the coordinators' matching — never «offered» with nobody to answer,
    nor «assigned» to a helper who is gone. Helpers who accepted keep their acceptance."""
    live = help_request.offers.filter(
        status__in=(HelpOffer.Status.OFFERED, HelpOffer.Status.ACCEPTED)
    )
    unfilled = (help_request.status == S.OFFERED and not live.exists()) or (
        help_request.status == S.ASSIGNED
        and live.filter(status=HelpOffer.Status.ACCEPTED).count() < help_request.volunteers_needed
    )
    if unfilled:
        request_transition(actor=actor, help_request=help_request, to=S.MATCHING)


# Where an accepted helper's erasure releases the request: the help has not begun.
_BEFORE_HELP = frozenset({S.MATCHING, S.OFFERED, S.ASSIGNED})


def volunteer_offers_withdraw(*, volunteer: User, actor: User | None = None) -> int:
    """Withdraw the offers made to `volunteer`, whose account is being erased: those still
    waiting for an answer, and those accepted for help that has not begun. Each is locked
    with its request in the order every path that holds both takes (`lock_offer`: the
    request, then the offer), and read again there, so a helper answering at that moment
    and the erasure wait for each other; a request left without the helpers it needs goes
    back to matching (`_back_to_matching_if_unfilled`). Returns how many were withdrawn."""
    withdraw = OFFER_WORKFLOW.move("withdraw")
    due = HelpOffer.objects.filter(volunteer=volunteer, status__in=withdraw.sources)
    withdrawn = 0
    for offer_id, request_id in due.order_by("pk").values_list("pk", "request_id"):
        with transaction.atomic():
            offer = lock_offer(offer_id=offer_id, request_id=request_id)
            help_request = offer.request
            if offer.status == HelpOffer.Status.ACCEPTED and help_request.status not in (
                _BEFORE_HELP
            ):
                continue  # the help is under way or done: the acceptance is its history
            moved = offers_withdraw(
                actor=actor,
                help_request=help_request,
                offers=HelpOffer.objects.filter(pk=offer.pk),
            )
            _back_to_matching_if_unfilled(actor=actor, help_request=help_request)
            withdrawn += len(moved)
    return withdrawn


def offers_expire() -> int:
    """Periodic: unanswered offers expire; a request with no live offer goes back to matching.
    Each offer is locked with its request in the same order as a helper's answer
    (`lock_offer`), so the job and a helper who answers at that moment never deadlock."""
    now = timezone.now()
    expired = 0
    expire = OFFER_WORKFLOW.move("expire")
    due = HelpOffer.objects.filter(status__in=expire.sources, expires_at__lt=now)
    for offer_id, request_id in due.order_by("pk").values_list("pk", "request_id"):
        with transaction.atomic():
            offer = lock_offer(offer_id=offer_id, request_id=request_id)
            # Read again under the lock: the helper may have answered in the meantime.
            if offer.status not in expire.sources or offer.expires_at >= now:
                continue
            log_action(
                actor=None,
                action="helprequest.offer_expire",
                obj=offer.request,
                data={
                    "volunteers": [offer.volunteer_id],
                    "from": offer.status,
                    "to": expire.target,
                },
            )
            offer.status = expire.target
            offer.save(update_fields=["status"])
            expired += 1
            help_request = offer.request
            live = help_request.offers.filter(
                status__in=(HelpOffer.Status.OFFERED, HelpOffer.Status.ACCEPTED)
            ).exists()
            if help_request.status == S.OFFERED and not live:
                _offer_to_next_candidate(help_request)
    return expired


def _offer_to_next_candidate(help_request: HelpRequest) -> None:
    """An offer nobody answered passes to the best candidate not yet asked; with no one
    left the request goes back to the coordinators' matching."""
    best = candidates(help_request, limit=1)
    if best:
        offer_make(actor=None, help_request=help_request, volunteers=[best[0].user])
    else:
        request_transition(actor=None, help_request=help_request, to=S.MATCHING)


def private_fields_read(*, user: Actor, help_request: HelpRequest) -> bool:
    """Whether `user` sees the recipient's name, phone, address and details
    (`permissions.can_see_private`, for pages and API alike). A coordinator's reading of
    someone else's request is written to the audit log."""
    decision = permissions.can_see_private(user, help_request)
    if permissions.private_read_is_audited(user, help_request):
        log_action(actor=user, action="helprequest.private_read", obj=help_request)
    return bool(decision)


def health_info_read(*, user: User, help_request: HelpRequest) -> str:
    """Health data for those allowed to see it (`permissions.can_see_health`, checked here
    and nowhere else); the only code that fetches the HealthInfo row, and every read is
    written to the audit log. Raises PermissionDenied for anyone else; "" when none."""
    decision = permissions.can_see_health(user, help_request)
    if not decision:
        raise PermissionDenied(decision.reason)
    record = HealthInfo.objects.filter(help_request=help_request).first()
    if record is None:
        return ""
    log_action(actor=user, action="helprequest.health_read", obj=help_request)
    return str(record.text)


def health_info_delete(*, help_request: HelpRequest) -> bool:
    """Delete the request's health information and the stored scan of its paper consent
    (the one way health rows go: minimising, erasure, a withdrawn consent). The caller
    saves `has_health_info` and `has_consent_scan`, here set False; True if there was a row.
    The text column is not loaded: nothing is decrypted to delete it."""
    deleted = False
    for health in HealthInfo.objects.filter(help_request=help_request).only(
        "help_request", "consent_scan"
    ):
        health.delete()
        delete_private_files(health)
        deleted = True
    help_request.has_health_info = False
    help_request.has_consent_scan = False
    return deleted


MINIMISED_FIELDS = (
    "recipient_name",
    "recipient_phone",
    "address",
    "details",
    "has_health_info",
    "has_consent_scan",
)


def request_minimise(*, help_request: HelpRequest, actor: User | None = None) -> HelpRequest:
    """Keep only what statistics need (category, district, dates, status): names,
    contacts, details, feedback, health data and the scan of its consent go (152-ФЗ art. 5
    part 7)."""
    help_request.recipient_name = "—"
    help_request.recipient_phone = ""
    help_request.address = ""
    help_request.details = ""
    help_request.feedback = ""
    help_request.minimised_at = timezone.now()
    with transaction.atomic():
        health_info_delete(help_request=help_request)
        help_request.save(update_fields=[*MINIMISED_FIELDS, "feedback", "minimised_at"])
        log_action(actor=actor, action="helprequest.minimise", obj=help_request)
    return help_request


def requests_minimise() -> int:
    """Periodic: closed requests are minimised once the retention period has passed since
    they closed (a closed request without a closing date counts from its last change)."""
    cutoff = timezone.now() - timedelta(days=settings.DOBRY_HELP_RETENTION_DAYS)
    old = HelpRequest.objects.filter(status__in=CLOSED, minimised_at__isnull=True).filter(
        Q(closed_at__lt=cutoff) | Q(closed_at__isnull=True, updated_at__lt=cutoff)
    )
    count = 0
    for help_request in old.iterator():
        request_minimise(help_request=help_request)
        count += 1
    return count


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


def request_complete(*, actor: User, help_request: HelpRequest) -> HelpRequest:
    """The coordinator closes the request as done; the volunteers' reported hours become
    confirmed entries of their record books (for the programme's organisation, or the
    coordinator's own — the resource centre), dated by the day each helped and marked as
    help by this request — not as the volunteer's own claim, which they may still make for
    that day."""
    programme = help_request.programme
    organization = programme.organization if programme is not None else _home_organization(actor)
    reports = list(help_request.reports.select_related("volunteer"))
    if reports and organization is None:
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
                # Nobody confirms their own hours: the helper's own entry waits for the
                # organisation's other editors (or a coordinator) to confirm it.
                own = report.volunteer_id == actor.pk
                # Through the ledger's one service: at most 24 h on the day from all
                # sources (the help was given; what the day no longer holds is not added).
                hours_record(
                    user=report.volunteer,
                    organization=organization,
                    day=report.day,
                    hours=report.hours,
                    source=HoursEntry.Source.HELP_REQUEST,
                    origin=references.reference_to(help_request),
                    area=Area.SOCIAL,
                    description=help_request.summary,
                    trim_to_day=True,
                    confirmed_by=None if own else actor,
                )
        if help_request.recurrence != HelpRequest.Recurrence.ONCE:
            _schedule_next(actor=actor, help_request=help_request)
    return help_request


_STEP = {
    HelpRequest.Recurrence.WEEKLY: relativedelta(weeks=1),
    HelpRequest.Recurrence.MONTHLY: relativedelta(months=1),
}


def _schedule_next(*, actor: User, help_request: HelpRequest) -> HelpRequest:
    """A recurring request, once done, creates its next occurrence — already verified,
    in the same programme, and offered first to the volunteers who helped this time."""
    step = _STEP[HelpRequest.Recurrence(help_request.recurrence)]
    start = help_request.wanted_from or timezone.now()
    while local_add(start, step) <= timezone.now():  # done late: never one in the past
        start = local_add(start, step)
    occurrence = HelpRequest(
        **{name: getattr(help_request, name) for name in EDITABLE},
        has_health_info=help_request.has_health_info,
        has_consent_scan=help_request.has_consent_scan,
        requester=help_request.requester,
        programme=help_request.programme,
        priority=help_request.priority,
        parent_id=help_request.parent_id or help_request.pk,
        status=S.VERIFIED,
    )
    occurrence.asap = False
    occurrence.wanted_from = local_add(start, step)
    if help_request.wanted_from and help_request.wanted_to:
        occurrence.wanted_to = occurrence.wanted_from + (
            help_request.wanted_to - help_request.wanted_from
        )
    else:
        occurrence.wanted_to = None
    occurrence.save()
    health = HealthInfo.objects.filter(help_request=help_request).first()
    if health is not None:  # the same person, under the consent given for the series
        HealthInfo.objects.create(
            help_request=occurrence,
            text=health.text,
            consent_version=health.consent_version,
            consent_at=health.consent_at,
            consent_scan=_copy_of(health.consent_scan),
        )
    log_action(
        actor=actor,
        action="helprequest.occurrence",
        obj=occurrence,
        data={"previous": help_request.pk},
    )
    helpers = User.objects.filter(
        help_offers__request=help_request, help_offers__status=HelpOffer.Status.ACCEPTED
    )
    if helpers.exists():
        offer_make(actor=actor, help_request=occurrence, volunteers=list(helpers))
    else:
        notify(
            kinds.HELP_REQUEST_NEW,
            _coordinators(),
            {"request": occurrence},
            url=occurrence.get_absolute_url(),
        )
    return occurrence


def _copy_of(scan: FieldFile) -> "ContentFile[bytes] | None":
    """A copy of a stored scan for another request's health row, so that each row owns
    its file and deleting one (minimising that visit) leaves the other's."""
    name = scan.name
    if not name or not scan.storage.exists(name):
        return None
    with scan.storage.open(name, "rb") as stored:
        return ContentFile(stored.read(), name=name)


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
    with transaction.atomic():
        help_request.rating = rating
        help_request.feedback = feedback.strip()
        help_request.save(update_fields=["rating", "feedback", "updated_at"])
        log_action(
            actor=user, action="helprequest.feedback", obj=help_request, data={"rating": rating}
        )
    return help_request


def programme_save(
    *,
    actor: User,
    programme: Programme,
    fields: Mapping[str, Any],
    districts: Iterable[Any] = (),
) -> Programme:
    """Create or edit an organisation's programme of help."""
    funding = fields.get("funding", [])
    if set(funding) - set(Funding.values):
        raise DomainError(
            _("Неизвестный источник финансирования."),
            field_errors={"funding": [_("Выберите из списка.")]},
        )
    for name, value in fields.items():
        setattr(programme, name, value.strip() if isinstance(value, str) else value)
    if programme.ends_on and programme.starts_on and programme.ends_on < programme.starts_on:
        raise ValidationError({"ends_on": [_("Окончание должно быть позже начала.")]})
    programme.full_clean()
    with transaction.atomic():
        programme.save()
        programme.districts.set(districts)
        log_action(actor=actor, action="programme.save", obj=programme)
    return programme


def programme_record_save(
    *,
    actor: User,
    programme: Programme,
    month: date,
    people: int,
    first_time: int,
    note: str = "",
) -> ProgrammeRecord:
    """Record (or correct) how many people the programme helped in a month beyond the
    platform's requests, and how many of them for the first time. The caller checks that
    the actor keeps the programme (`permissions.get_programme_to_keep`)."""
    month = month.replace(day=1)
    errors: dict[str, list[str]] = {}
    if month > local_today():
        errors["month"] = [_("Этот месяц ещё не наступил.")]
    elif month < programme.starts_on.replace(day=1) or (
        programme.ends_on is not None and month > programme.ends_on
    ):
        errors["month"] = [_("В этом месяце программа не работала: проверьте её сроки.")]
    if people < 0 or first_time < 0:
        errors["people"] = [_("Число людей не может быть отрицательным.")]
    elif first_time > people:
        errors["first_time"] = [
            _("Впервые получивших помощь не может быть больше, чем всех получивших.")
        ]
    if errors:
        raise DomainError(_("Проверьте запись."), field_errors=errors)
    with transaction.atomic():
        record, _created = ProgrammeRecord.objects.update_or_create(
            programme=programme,
            month=month,
            defaults={
                "people": people,
                "first_time": first_time,
                "note": note.strip(),
                "recorded_by": actor,
            },
        )
        log_action(
            actor=actor,
            action="programme.record",
            obj=record,
            data={"month": month.isoformat(), "people": people, "first_time": first_time},
        )
    return record


def volunteer_self_offer(*, user: User, help_request: HelpRequest) -> None:
    """A volunteer who saw the public summary offers to help; coordinators decide."""
    if help_request.status not in permissions.PUBLIC_STATUSES:
        raise InvalidTransition(_("Эта просьба уже не ищет помощника."))
    if help_request.requester_id == user.pk:
        raise DomainError(_("Это ваша собственная просьба."))
    log_action(actor=user, action="helprequest.self_offer", obj=help_request)
    notify(
        kinds.HELP_SELF_OFFER,
        _coordinators(),
        {"request": help_request, "volunteer": user},
        url=help_request.get_absolute_url(),
    )
