"""Offers of a request to volunteers: making them, the volunteer's answer, expiry, the
withdrawal of an erased helper's offers, and a volunteer's own offer to help. Every path that
holds an offer and its request locks them in one order (`lock_offer`)."""

from collections.abc import Iterable, Sequence
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.communications.services import notify
from dobry.core.audit import log_action
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.locking import lock_rows
from dobry.helprequests import notifications as kinds
from dobry.helprequests import permissions
from dobry.helprequests.matching import candidates, eligible_volunteers
from dobry.helprequests.models import OFFER_WORKFLOW, HelpOffer, HelpRequest
from dobry.helprequests.selectors import self_offered
from dobry.helprequests.services.workflow import coordinators, offers_withdraw, request_transition

S = HelpRequest.Status


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
    # A refusal names the field the person was sent in (`volunteers` by id, `emails`).
    if actor.pk in volunteer_ids or actor.email.lower() in wanted_emails:
        raise _self_offer("volunteers" if actor.pk in volunteer_ids else "emails")
    eligible = eligible_volunteers(help_request, [u.pk for u in found], actor=actor)
    # Each refused person is named as the actor named them: a number or the typed email.
    refused = {
        "volunteers": [f"№{pk}" for pk in sorted(set(volunteer_ids)) if pk not in eligible],
        "emails": [
            email
            for email in sorted(wanted_emails)
            if not any(u.email.lower() == email and u.pk in eligible for u in found)
        ],
    }
    if any(refused.values()):
        raise _not_candidates(refused)
    return offer_make(actor=actor, help_request=help_request, volunteers=found)


def _check_status_offerable(help_request: HelpRequest) -> None:
    if help_request.status not in (S.VERIFIED, S.MATCHING, S.OFFERED):
        raise InvalidTransition(_("Предлагать можно проверенную просьбу, пока помощник не найден."))


def _not_candidates(refused: dict[str, list[str]]) -> DomainError:
    """People who are not candidates, by the field they were named in."""
    return DomainError(
        _("Этих людей нет среди кандидатов для просьбы (список «Кому предложить»): %(who)s.")
        % {"who": ", ".join(label for labels in refused.values() for label in labels)},
        field_errors={
            field: [_("Выберите из списка «Кому предложить».")]
            for field, labels in refused.items()
            if labels
        },
    )


def _self_offer(field: str) -> DomainError:
    return DomainError(
        _("Предложить просьбу самому себе нельзя: предложить её вам может другой координатор."),
        field_errors={field: [_("Уберите себя из списка.")]},
    )


def _check_offerable(actor: User | None, help_request: HelpRequest, volunteers: list[User]) -> None:
    if actor is not None and any(v.pk == actor.pk for v in volunteers):
        raise _self_offer("volunteers")
    eligible = eligible_volunteers(help_request, [v.pk for v in volunteers], actor=actor)
    refused = [v for v in volunteers if v.pk not in eligible]
    if refused:
        # Numbers, not names: a forged id must not reveal who the account belongs to.
        raise _not_candidates({"volunteers": [f"№{v.pk}" for v in refused]})


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
        # anyone else: PermissionDenied (403) whatever the offer's state, before the table
        move = OFFER_WORKFLOW.check_for(user, offer, answer, permissions.can_answer_offer)
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
    waiting for an answer, none accepted), or assigned or in progress with fewer accepted
    helpers than it needs, goes back to the coordinators' matching — never «offered» with
    nobody to answer, nor «assigned» to a helper who is gone. Helpers who accepted keep
    their acceptance."""
    live = help_request.offers.filter(
        status__in=(HelpOffer.Status.OFFERED, HelpOffer.Status.ACCEPTED)
    )
    unfilled = (help_request.status == S.OFFERED and not live.exists()) or (
        help_request.status in HelpRequest.ACTIVE_TASK
        and live.filter(status=HelpOffer.Status.ACCEPTED).count() < help_request.volunteers_needed
    )
    if unfilled:
        request_transition(actor=actor, help_request=help_request, to=S.MATCHING)


def volunteer_offers_withdraw(*, volunteer: User, actor: User | None = None) -> int:
    """Withdraw the offers made to `volunteer`, whose account is being erased: those still
    waiting for an answer, and those accepted for help not yet done — as much before the
    help began as while it is under way. Each is locked with its request in the order every
    path that holds both takes (`lock_offer`: the request, then the offer), and read again
    there, so a helper answering at that moment and the erasure wait for each other; a
    request left without the helpers it needs goes back to matching
    (`_back_to_matching_if_unfilled`), and those who work a request that lost a helper who
    had accepted are told (`_tell_a_helper_left`). Help done keeps its acceptances as its
    history. Returns how many offers were withdrawn."""
    withdraw = OFFER_WORKFLOW.move("withdraw")
    due = HelpOffer.objects.filter(volunteer=volunteer, status__in=withdraw.sources)
    withdrawn = 0
    for offer_id, request_id in due.order_by("pk").values_list("pk", "request_id"):
        with transaction.atomic():
            offer = lock_offer(offer_id=offer_id, request_id=request_id)
            help_request = offer.request
            accepted = offer.status == HelpOffer.Status.ACCEPTED
            if accepted and not help_request.is_open:
                continue  # the help is done: the acceptance is its history
            moved = offers_withdraw(
                actor=actor,
                help_request=help_request,
                offers=HelpOffer.objects.filter(pk=offer.pk),
            )
            _back_to_matching_if_unfilled(actor=actor, help_request=help_request)
            if accepted and moved:
                _tell_a_helper_left(help_request)
            withdrawn += len(moved)
    return withdrawn


def _tell_a_helper_left(help_request: HelpRequest) -> None:
    """Those who work the request — the coordinators, and the staff of the programme it was
    routed to — hear that a helper who had accepted it is gone (an erased account), so that
    they find another. The message names the request, not the person."""
    staff = permissions.programme_staff(help_request.programme)
    notify(
        kinds.HELP_HELPER_LEFT,
        [*coordinators(), *staff],
        {"request": help_request},
        url=help_request.get_absolute_url(),
    )


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


def volunteer_self_offer(*, user: User, help_request: HelpRequest) -> None:
    """A volunteer who saw the public summary offers to help; coordinators decide. Once per
    person and request (InvalidTransition, 409, on a second): the coordinators are told
    once, not five times."""
    if help_request.status not in permissions.PUBLIC_STATUSES:
        raise InvalidTransition(_("Эта просьба уже не ищет помощника."))
    if help_request.requester_id == user.pk:
        raise DomainError(_("Это ваша собственная просьба."))
    with transaction.atomic():
        # the request's lock makes two clicks at once one offer
        HelpRequest.objects.select_for_update().filter(pk=help_request.pk).first()
        if self_offered(user, help_request):
            raise InvalidTransition(
                _("Вы уже предложили помощь по этой просьбе: координатор свяжется с вами.")
            )
        log_action(actor=user, action="helprequest.self_offer", obj=help_request)
        notify(
            kinds.HELP_SELF_OFFER,
            coordinators(),
            {"request": help_request, "volunteer": user},
            url=help_request.get_absolute_url(),
        )
