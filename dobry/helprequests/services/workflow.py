"""The help request's workflow: the one way a request moves between statuses (with the
offers that close with it), and who is told."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.communications.services import notify
from dobry.core.audit import log_action
from dobry.core.errors import DomainError
from dobry.core.text_limits import require_within_limits, text_limit
from dobry.helprequests import notifications as kinds
from dobry.helprequests import permissions
from dobry.helprequests.models import HELP_REQUEST_WORKFLOW, OFFER_WORKFLOW, HelpOffer, HelpRequest

S = HelpRequest.Status
_WITHDRAWN = OFFER_WORKFLOW.move("withdraw").target
CLOSED = (S.DONE, S.CANCELLED, S.REJECTED)
# The moments the person who asked is told about (in plain words): accepted, a question
# for them, a helper found, done, or refused/cancelled by someone else. The internal steps
# (matching, offered, in progress) are not news to them: one request made 8 messages.
RESIDENT_MOMENTS = frozenset({S.VERIFIED, S.WAITING, S.ASSIGNED, S.DONE, S.REJECTED, S.CANCELLED})


def next_statuses(help_request: HelpRequest) -> frozenset[str]:
    """The statuses the workflow allows from where the request is now."""
    return HELP_REQUEST_WORKFLOW.table.get(help_request.status, frozenset())


def coordinators() -> Iterable[User]:
    """The resource centre's coordinators who are told about requests (active accounts)."""
    return User.objects.filter(is_active=True, is_coordinator=True)


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
            _close(actor=actor, help_request=help_request)
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
                {"request": help_request, "asked_by": _asked_by(actor, help_request)},
                url=help_request.get_absolute_url(),
            )
    return help_request


def _asked_by(actor: User | None, help_request: HelpRequest) -> str:
    """Who the resident's message names as asking or deciding: the organisation whose
    programme staff made the move (its name), or empty for the coordinators."""
    if (
        actor is not None
        and help_request.programme is not None
        and not permissions.is_coordinator(actor)
        and permissions.is_programme_staff(actor, help_request)
    ):
        return help_request.programme.organization.name
    return ""


def request_move(
    *, actor: User, help_request: HelpRequest, to: str, reason: str = ""
) -> HelpRequest:
    """A move by hand (the page's status select, `POST /help-requests/{id}/transition`):
    who may make it is `permissions.can_move` (403 with its sentence: the platform's own
    steps — offered, assigned, in progress, done — are never set by hand, and programme
    staff only ask the resident or hand the request back), then the table (409). Handing
    it back — programme staff moving it to «matching» — takes it off their programme and
    tells the coordinators."""
    if to not in S.values:
        raise DomainError(_("Неизвестный статус."), field_errors={"to": [_("Выберите из списка.")]})
    HELP_REQUEST_WORKFLOW.check_for(
        actor, help_request, to, permissions.can_move, reason=reason.strip()
    )
    handing_back = to == S.MATCHING and not permissions.is_coordinator(actor)
    with transaction.atomic():
        help_request = request_transition(
            actor=actor, help_request=help_request, to=to, reason=reason
        )
        if handing_back:
            programme = help_request.programme
            help_request.programme = None
            help_request.save(update_fields=["programme", "updated_at"])
            log_action(
                actor=actor,
                action="helprequest.hand_back",
                obj=help_request,
                data={"programme": programme.pk if programme else None},
            )
            notify(
                kinds.HELP_HANDED_BACK,
                coordinators(),
                {"request": help_request, "programme": programme},
                url=help_request.get_absolute_url(),
            )
    return help_request


def _close(*, actor: User | None, help_request: HelpRequest) -> None:
    """A request moving to a closed status (the caller saves it, holding its lock): its
    closing date, and its offers closed with it. A helper who had accepted a request that
    will not be done is released too, and told (after «done» their acceptance stays as
    history)."""
    help_request.closed_at = timezone.now()
    closing = [HelpOffer.Status.OFFERED]
    if help_request.status != S.DONE:
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
