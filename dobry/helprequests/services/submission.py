"""Asking for help: submission with the consent gate for health data, duplicates, the
public summary's check, corrections and cancellation by the person who asked."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dobry.accounts.models import ConsentDocument, User
from dobry.communications.services import notify
from dobry.core import public_text
from dobry.core.audit import log_action
from dobry.core.clock import local_date, local_today
from dobry.core.errors import DomainError, InvalidTransition, TooMany
from dobry.core.search import fold_for_search
from dobry.core.typography import quoted
from dobry.core.uploads import Upload
from dobry.core.validators import normalize_phone
from dobry.helprequests import notifications as kinds
from dobry.helprequests import permissions
from dobry.helprequests.models import (
    CANCELLED_BY_REQUESTER,
    HEALTH_CONSENT_PAPER_SCAN,
    HealthInfo,
    HelpRequest,
)
from dobry.helprequests.services.private_data import health_consent_method
from dobry.helprequests.services.workflow import coordinators, request_transition

S = HelpRequest.Status
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


def _check_summary(help_request: HelpRequest) -> None:
    """The public summary carries no name, address, contacts or health data: neither the
    recipient's own (as given in the request) nor any that has the shape of one — the one
    check of texts meant for everyone, `core.public_text.personal_data_found` («Марии
    Ивановой», «ул. Ленина д. 5 кв 12», «ivan@mail.ru», «@ivan_petrov», «vk.com/id123»)
    and `health_found` («после инсульта», «инвалид 1 группы»: they belong in the protected
    health field, with consent). Raises ValidationError on `summary`."""
    summary = help_request.summary
    kinds = public_text.personal_data_found(summary, [help_request.recipient_name])
    if help_request.address and fold_for_search(help_request.address) in fold_for_search(summary):
        kinds.append("address")
    if _DIGITS.search(summary):
        kinds.append("phone")
    errors = []
    if kinds:
        errors.append(
            _("Краткое описание видят все: уберите из него %(what)s.")
            % {"what": public_text.personal_data_labels(dict.fromkeys(kinds))}
        )
    if health := public_text.health_found(summary):
        errors.append(
            _(
                "Краткое описание видят все: сведения о здоровье (%(words)s) перенесите в "
                "поле «Сведения о здоровье» — оно защищено и заполняется с согласием на их "
                "обработку."
            )
            % {"words": ", ".join(quoted(word) for word in health)}
        )
    if errors:
        raise ValidationError({"summary": errors})


def check_details_health(details: str, *, consented: bool) -> None:
    """Health words in the request's details («ВИЧ, онкология») need the person's consent
    to processing health data (152-ФЗ art. 10), which comes with the protected health
    field: without it they are refused, with a sentence saying where they go. Raises
    ValidationError on `details`."""
    if consented or not (health := public_text.health_found(details)):
        return
    raise ValidationError(
        {
            "details": [
                _(
                    "Сведения о здоровье (%(words)s) перенесите в поле «Сведения о здоровье» "
                    "и дайте согласие на их обработку: без согласия их указывать нельзя."
                )
                % {"words": ", ".join(quoted(word) for word in health)}
            ]
        }
    )


def check_plan_date(wanted_from: datetime) -> None:
    """A request's plan date («с») is not in the past by the city's calendar (a time
    earlier today is fine: «today» is a plan). Checked when it is set or changed, so a
    correction of an old request's other fields keeps its date. ValidationError on
    `wanted_from`."""
    if local_date(wanted_from) < local_today():
        raise ValidationError(
            {"wanted_from": [_("Этот день уже прошёл: укажите сегодняшний или будущий.")]}
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
        raise DomainError(_("Неизвестные поля: %s.") % ", ".join(sorted(unknown)))
    planned = help_request.wanted_from
    for name, value in fields.items():
        setattr(help_request, name, value.strip() if isinstance(value, str) else value)
    if help_request.wanted_from is not None and help_request.wanted_from != planned:
        check_plan_date(help_request.wanted_from)
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


def request_submit(
    *,
    requester: User,
    fields: Mapping[str, Any],
    health_info: str = "",
    health_consent: bool = False,
    health_on_behalf: bool = False,
    consent_scan: Upload | None = None,
) -> HelpRequest:
    """Ask for help (for oneself, for someone else, or — by a coordinator — from a call:
    then the coordinator is `registered_by`, not the requester, `registered_for_someone`).

    Health or disability information is accepted only with the separate consent of
    152-ФЗ art. 10 (`health_consent_method`: the requester's written consent and their
    `health_consent` to this request's information — and, asking for someone else, their
    `health_on_behalf` confirmation — or a coordinator's `consent_scan` of the form the
    person signed), whose text version is stored with the information and in the audit
    entry with the confirmation; the scan is kept with the health information."""
    check_requests_per_day(requester)
    health_info = health_info.strip()
    consent = _health_consent_given(
        requester,
        fields,
        health_info=health_info,
        consent_scan=consent_scan,
        agreed=health_consent,
        on_behalf=health_on_behalf,
    )
    check_details_health(str(fields.get("details", "")), consented=consent.method is not None)
    help_request = _new_request(
        requester, fields, health_info=health_info, has_scan=consent_scan is not None
    )
    with transaction.atomic():
        help_request.possible_duplicate_of = find_duplicate(help_request)
        help_request.save()
        if health_info:
            _keep_health_info(help_request, health_info, consent.version, consent_scan)
        log_action(
            actor=requester,
            action="helprequest.submit",
            obj=help_request,
            data=_submission_audit(help_request, consent),
        )
        notify(
            kinds.HELP_REQUEST_NEW,
            coordinators(),
            {"request": help_request},
            url=help_request.get_absolute_url(),
        )
    return help_request


def _new_request(
    requester: User, fields: Mapping[str, Any], *, health_info: str, has_scan: bool
) -> HelpRequest:
    """The unsaved request: the requester's own, or registered by a coordinator from a
    call (`registered_for_someone`)."""
    registered = registered_for_someone(requester, fields)
    help_request = HelpRequest(
        requester=None if registered else requester,
        registered_by=requester if registered else None,
        has_health_info=bool(health_info),
        has_consent_scan=has_scan,
    )
    _apply(help_request, fields)
    return help_request


def check_requests_per_day(requester: User) -> None:
    """At most DOBRY_HELP_REQUESTS_PER_DAY new requests from one account in 24 hours
    (TooMany, 429, page and API alike); coordinators registering calls are not limited."""
    if permissions.is_coordinator(requester):
        return
    since = timezone.now() - timedelta(hours=24)
    limit = settings.DOBRY_HELP_REQUESTS_PER_DAY
    if HelpRequest.objects.filter(requester=requester, created_at__gte=since).count() >= limit:
        raise TooMany(
            ngettext(
                "За сутки можно отправить не больше %(limit)s просьбы. Если помощь нужна "
                "срочно, позвоните координатору.",
                "За сутки можно отправить не больше %(limit)s просьб. Если помощь нужна "
                "срочно, позвоните координатору.",
                limit,
            )
            % {"limit": limit}
        )


def registered_for_someone(submitter: User, fields: Mapping[str, Any]) -> bool:
    """Whether `submitter` registers the request for a resident rather than asks: a
    coordinator taking a call (relation «принята по телефону»). Such a request has no
    requester — the resident has no account here — and keeps the coordinator as
    `registered_by`."""
    return bool(permissions.is_coordinator(submitter)) and (
        fields.get("relation") == HelpRequest.Relation.PHONE_CALL
    )


@dataclass(frozen=True)
class _HealthConsent:
    """Under which consent the health information of a new request is taken (all None
    without any): how it was given (`health_consent_method`), the version of the consent's
    text in force, and whether the requester confirmed speaking for the person helped —
    recorded only when it mattered: their own consent covering someone else's information
    (a coordinator's scan is that person's own consent)."""

    method: str | None = None
    version: int | None = None
    on_behalf: bool | None = None


def _health_consent_given(
    requester: User,
    fields: Mapping[str, Any],
    *,
    health_info: str,
    consent_scan: Upload | None,
    agreed: bool,
    on_behalf: bool,
) -> _HealthConsent:
    """The consent for the request's health information. Raises ValidationError as
    `health_consent_method` does, and on `health_info` for a scan sent without the
    information."""
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
    if not health_info:
        return _HealthConsent()
    for_someone_else = fields.get("relation", HelpRequest.Relation.SELF) != (
        HelpRequest.Relation.SELF
    )
    method = health_consent_method(
        requester,
        consent_scan,
        agreed=agreed,
        for_someone_else=for_someone_else,
        on_behalf=on_behalf,
    )
    document = ConsentDocument.current(ConsentDocument.Kind.HEALTH_DATA)
    return _HealthConsent(
        method=method,
        version=document.version if document else None,
        on_behalf=True if method != HEALTH_CONSENT_PAPER_SCAN and for_someone_else else None,
    )


def _keep_health_info(
    help_request: HelpRequest, text: str, consent_version: int | None, scan: Upload | None
) -> None:
    """The request's health information in its own encrypted row, with the version of the
    consent's text and, for a coordinator's request, the scan of the signed form."""
    HealthInfo.objects.create(
        help_request=help_request,
        text=text,
        consent_version=consent_version,
        consent_at=timezone.now(),
        consent_scan=scan,
    )


def _submission_audit(help_request: HelpRequest, consent: _HealthConsent) -> dict[str, Any]:
    """The audit entry's data of a new request."""
    return {
        "category": help_request.category,
        "duplicate_of": help_request.possible_duplicate_of_id,
        # 152-ФЗ art. 10: that health data was collected, and under which consent
        "health_data": help_request.has_health_info,
        "health_consent_version": consent.version,
        "health_consent_method": consent.method,
        # asking for someone else: the requester confirmed being their legal
        # representative or having their consent (the form's wording)
        "health_on_behalf": consent.on_behalf,
    }


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
    if "details" in fields:
        check_details_health(str(fields["details"]), consented=help_request.has_health_info)
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
        reason=reason.strip() or CANCELLED_BY_REQUESTER,
    )
