"""Requests about a person, and requests a person entered for others.

The data subject of a request is the person helped. On erasure, the requests a person asked
for themselves are cancelled if open (with a closing date, like any other cancellation) and
minimised at once; they stay for the statistics without the person. A request a coordinator
took for them by phone (the account's phone as the recipient's) loses its health information
and the scan of the consent they signed. The requests a person entered for someone else — a
coordinator's calls, a social worker's clients, a relative — are that someone's: they stay
open with their data, health information and consent scans, and lose only the erased
person's own values (the requester becomes the anonymous tombstone of the account).
Offers made to the person as a helper are withdrawn
(`services.offering.volunteer_offers_withdraw`: waiting ones, and accepted ones until the
help is done — before it began or while it is under way), a request left without the
helpers it needs goes back to matching, and those who work a request that lost a helper
who had accepted it are told.

Withdrawing the health-data consent removes the health information from every request the
person entered under it — for a relative or a client too: someone else's health information
was accepted on the requester's written consent, given confirming the person's agreement
(`health_on_behalf`), the only written consent on record for it (152-ФЗ art. 10 part 2
item 1); withdrawn, nothing holds it (art. 9 part 2, art. 21 part 5). The person helped can
give their own on paper through a coordinator. Requests resting on the person helped's own
consent, whose signed form a coordinator scanned, keep theirs."""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from dobry.accounts import personal_data
from dobry.accounts.models import ConsentDocument, User
from dobry.core.audit import log_action
from dobry.core.erasure import Traces, phone_variants, scrub_rows
from dobry.helprequests.models import HealthInfo, HelpOffer, HelpReport, HelpRequest
from dobry.helprequests.services.offering import volunteer_offers_withdraw
from dobry.helprequests.services.private_data import health_info_delete
from dobry.helprequests.services.retention import request_minimise
from dobry.helprequests.services.workflow import request_transition


def _own(user: User) -> QuerySet[HelpRequest]:
    """The requests the person asked for themselves: they are its data subject."""
    return HelpRequest.objects.filter(requester=user, relation=HelpRequest.Relation.SELF)


def _for_others(user: User) -> QuerySet[HelpRequest]:
    """The requests the person entered for someone else — a coordinator registering a call,
    a social worker for a client, a daughter for her mother: the data subject is the person
    helped, and only the link to the requester (or to the coordinator who registered it,
    `registered_by`) is the erased person's."""
    return HelpRequest.objects.filter(
        Q(requester=user, relation__in=_NOT_SELF) | Q(registered_by=user)
    )


_NOT_SELF = [r for r in HelpRequest.Relation.values if r != HelpRequest.Relation.SELF]


def _dt(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _export(user: User) -> dict[str, Any]:
    return {
        "requests": _own_requests(user),
        # What the person did, not the others' data: no names, contacts or details.
        "requests_for_others": [
            {
                "summary": r.summary,
                "category": r.category,
                "relation": r.relation,
                "status": r.status,
                "created_at": r.created_at.isoformat(),
            }
            for r in _for_others(user)
        ],
        "offers": [
            {
                "request": o.request.summary,
                "status": o.status,
                "created_at": o.created_at.isoformat(),
                "answered_at": _dt(o.answered_at),
            }
            for o in HelpOffer.objects.filter(volunteer=user).select_related("request")
        ],
        "reports": [
            {
                "request": r.request.summary,
                "day": r.day.isoformat(),
                "hours": str(r.hours),
                "text": r.text,
            }
            for r in HelpReport.objects.filter(volunteer=user).select_related("request")
        ],
    }


def _own_requests(user: User) -> list[dict[str, Any]]:
    """Everything the person gave about themselves in their own requests — the recipient's
    name, phone, address, details, dates and the health information (decrypted for them, the
    data subject: the reading is audited like any other)."""
    own = list(_own(user).select_related("district"))
    health = {
        h.help_request_id: h
        for h in HealthInfo.objects.filter(help_request__in=[r for r in own if r.has_health_info])
    }
    for help_request in own:
        if help_request.pk in health:
            log_action(actor=user, action="helprequest.health_read", obj=help_request)
    return [
        {
            "summary": r.summary,
            "category": r.category,
            "status": r.status,
            "created_at": r.created_at.isoformat(),
            "closed_at": _dt(r.closed_at),
            "recipient_name": r.recipient_name,
            "recipient_phone": r.recipient_phone,
            "address": r.address,
            "district": str(r.district) if r.district_id else None,
            "details": r.details,
            "asap": r.asap,
            "wanted_from": _dt(r.wanted_from),
            "wanted_to": _dt(r.wanted_to),
            "recurrence": r.recurrence,
            "health_info": str(health[r.pk].text) if r.pk in health else None,
            "health_consent_at": _dt(health[r.pk].consent_at) if r.pk in health else None,
            "reason": r.reason,
            "rating": r.rating,
            "feedback": r.feedback,
        }
        for r in own
    ]


def _traces(user: User) -> Iterator[str]:
    """The person's name, phone and address as given in the requests whose subject they
    are — never the recipients of requests they entered for others (a coordinator's erasure
    would otherwise redact every resident they took a call from)."""
    for name, phone, address in _own(user).values_list(
        "recipient_name", "recipient_phone", "address"
    ):
        yield from (name, address, *phone_variants(phone))


def _erase(user: User) -> None:
    mine = list(_own(user))
    # Unlinked first: the cancellation must not notify the person being erased.
    _own(user).update(requester=None)
    for help_request in mine:
        help_request.requester = None
        if help_request.is_open:
            help_request = request_transition(
                actor=None,
                help_request=help_request,
                to=HelpRequest.Status.CANCELLED,
                reason=personal_data.ACCOUNT_ERASED,
            )
        if help_request.minimised_at is None:
            request_minimise(help_request=help_request)
    # Requests entered for others stay as they are, open ones open: the link to the
    # requester now leads to the anonymous tombstone of the account («Удалённый
    # пользователь», told nothing), the audit trail keeps it as the actor, and the person's
    # own values in their texts are replaced by `_copies`.

    # The person's offers go through the helpers' own locked path: a request left with
    # nobody to answer, or with fewer helpers than it needs before the help is done, goes
    # back to matching, and its coordinators are told.
    volunteer_offers_withdraw(volunteer=user)
    # Requests a coordinator took for the person by phone: their health data and the form
    # they signed go. Matched by the account's phone only — a name is shared by many people.
    if user.phone:
        taken_for_them = HelpRequest.objects.filter(
            has_health_info=True, recipient_phone__in=phone_variants(user.phone)
        )
        for help_request in taken_for_them:
            _health_erase(help_request)


def _copies(traces: Traces) -> None:
    # Requests taken by phone for the person, or mentioning them; volunteers' reports.
    fields = ["summary", "details", "address", "recipient_name", "recipient_phone", "reason"]
    scrub_rows(HelpRequest.objects.all(), [*fields, "feedback"], traces)
    scrub_rows(HelpReport.objects.all(), ["text"], traces)
    _scrub_health_texts(traces)


def _scrub_health_texts(traces: Traces) -> None:
    """The person's values in the health information of requests kept for others («звонить
    дочери, +7913…» in a mother's request her daughter entered). The text is encrypted, so
    the database cannot search it: each row is decrypted here — by the erasure, not read by
    anyone, so not audited as a read. Health rows live only until their request is
    minimised (`DOBRY_HELP_RETENTION_DAYS` after it closes), so they are few."""
    if not traces:
        return
    for health in HealthInfo.objects.only("help_request", "text").iterator():
        scrubbed = traces.scrub(health.text)
        if scrubbed != health.text:
            health.text = scrubbed
            health.save(update_fields=["text"])


def _erase_health(user: User) -> None:
    # A request with a scanned form rests on the recipient's own consent, not the requester's
    # (the coordinator who took the call).
    own = HelpRequest.objects.filter(requester=user, has_health_info=True, has_consent_scan=False)
    for help_request in own:
        _health_erase(help_request, actor=user)


def _health_erase(help_request: HelpRequest, actor: User | None = None) -> None:
    health_info_delete(help_request=help_request)
    help_request.save(update_fields=["has_health_info", "has_consent_scan"])
    log_action(actor=actor, action="helprequest.health_erase", obj=help_request)


personal_data.register(
    "help_requests",
    export=_export,
    erase=_erase,
    traces=_traces,
    copies=_copies,
    on_withdraw={ConsentDocument.Kind.HEALTH_DATA: _erase_health},
    covers={
        "helprequests.HelpRequest.requester": "help_requests.requests",
        "helprequests.HelpRequest.registered_by": "help_requests.requests_for_others",
        "helprequests.HelpOffer.volunteer": "help_requests.offers",
        "helprequests.HelpReport.volunteer": "help_requests.reports",
    },
)
personal_data.not_personal(
    {
        "helprequests.HelpOffer.offered_by": "a coordinator's work: the offer is the "
        "volunteer's (in their export); making it is in the coordinator's actions",
        "helprequests.ProgrammeRecord.confirmed_by": "a coordinator's check of a programme's "
        "monthly figures; confirming it is in the coordinator's actions",
        "helprequests.ProgrammeRecord.recorded_by": "a programme's monthly figures, the "
        "organisation's; recording them is in the staff member's actions",
    }
)
