"""Who sees what of a help request. Private fields and health data are decided here, in
one place, for the pages and the API alike."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.core.permissions import ALLOW, Actor, Decision, deny, not_now
from dobry.core.workflow import Move
from dobry.helprequests.models import (
    HELP_REQUEST_WORKFLOW,
    OFFER_WORKFLOW,
    HelpOffer,
    HelpRequest,
    Programme,
)
from dobry.organizations.models import Membership, Organization
from dobry.organizations.permissions import is_reviewer

PUBLIC_STATUSES = (
    HelpRequest.Status.VERIFIED,
    HelpRequest.Status.MATCHING,
    HelpRequest.Status.OFFERED,
)


def is_coordinator(user: Actor) -> bool:
    return is_reviewer(user)


def _uid(user: Actor) -> int:
    return int(user.pk or 0) if user.is_authenticated else 0


def is_accepted_volunteer(user: Actor, help_request: HelpRequest) -> bool:
    """The volunteer who accepted the task — only while it is active."""
    return (
        help_request.status in HelpRequest.ACTIVE_TASK
        and HelpOffer.objects.filter(
            request=help_request, volunteer_id=_uid(user), status=HelpOffer.Status.ACCEPTED
        ).exists()
    )


STAFF_ROLES = (Membership.Role.OWNER, Membership.Role.EDITOR)


def staff_of_verified(uid: int, prefix: str = "") -> Q:
    """The one rule of who works for a programme: an owner or editor of its organisation
    while the organisation is verified. A returned or blocked organisation's staff lose
    the requests routed to it (and their recipients' data) until it is verified again.
    `prefix` is the path from the queried model to the Organization («programme__
    organization__» for requests, «organization__» for programmes)."""
    return Q(
        **{
            f"{prefix}status": Organization.Status.VERIFIED,
            f"{prefix}memberships__user_id": uid,
            f"{prefix}memberships__role__in": STAFF_ROLES,
        }
    )


def programme_staff(programme: Programme | None) -> QuerySet[User]:
    """The people told about the programme's requests: its organisation's owners and
    editors while it is verified (nobody otherwise)."""
    if programme is None or programme.organization.status != Organization.Status.VERIFIED:
        return User.objects.none()
    return User.objects.filter(
        memberships__organization_id=programme.organization_id, memberships__role__in=STAFF_ROLES
    ).distinct()


def is_programme_staff(user: Actor, help_request: HelpRequest) -> bool:
    """Editors of the verified organisation whose programme the request was routed to."""
    return bool(
        help_request.programme_id
        and Organization.objects.filter(
            staff_of_verified(_uid(user)),
            pk=help_request.programme.organization_id,  # type: ignore[union-attr]
        ).exists()
    )


def can_handle(user: Actor, help_request: HelpRequest) -> Decision:
    """Who works a request through: coordinators, and the staff of the programme it was
    routed to (they offer it to their own volunteers, move it on and close it)."""
    if user.is_authenticated and (is_coordinator(user) or is_programme_staff(user, help_request)):
        return ALLOW
    return deny(_("Заявку ведут координаторы и сотрудники программы, куда она передана."))


def handles_any_programme(user: Actor) -> bool:
    """Editors of a verified organisation that runs programmes of help (cheap gate before
    lookups)."""
    return Programme.objects.filter(staff_of_verified(_uid(user), "organization__")).exists()


def private_on_get(user: Actor, help_request: HelpRequest) -> bool:
    """Whether a plain GET — the request's page, its edit page, the API's
    `GET /help-requests/{id}` — shows `user` the recipient's name, phone, address and
    details. The one rule for pages and API alike: only those who may see them
    (`can_see_private`) and whose reading is not audited. An audited reading (a
    coordinator's) is an explicit step, a POST that writes the audit entry: the page's
    «Показать» (`/help/<id>/private/`), the edit page's confirmation, the API's
    `POST /help-requests/{id}/private`. Health data is never shown on a GET, to anyone
    (`can_see_health`: the page's `/help/<id>/health/` and the same API POST)."""
    return bool(can_see_private(user, help_request)) and not private_read_is_audited(
        user, help_request
    )


def private_read_is_audited(user: Actor, help_request: HelpRequest) -> bool:
    """Whether `user`'s reading of the recipient's data is written to the audit log: staff
    reading someone else's request — a coordinator, or the staff of the programme it was
    routed to (issue 11: the page said «просмотр записывается в журнал» to them and wrote
    nothing). The person who asked reads their own, the volunteer doing the task reads
    what the task needs, unaudited. Such a read happens on a POST only
    (dobry/core/confirm.py), never on a GET a prefetching browser could make."""
    if not can_see_private(user, help_request) or help_request.requester_id == _uid(user):
        return False
    return bool(is_coordinator(user)) or not is_accepted_volunteer(user, help_request)


def _how_to_reach(status: str) -> str:
    """How a status that is not set by hand is reached (the workflow's moves with
    `button=False`), in the reader's language."""
    how: dict[str, str] = {
        HelpRequest.Status.OFFERED: _("предложите её волонтёрам («Кому предложить»)"),
        HelpRequest.Status.ASSIGNED: _("помощник находится, когда волонтёр принимает предложение"),
        HelpRequest.Status.IN_PROGRESS: _("помощь начинается с отчёта помощника"),
        HelpRequest.Status.DONE: _(
            "после отчёта помощника закройте просьбу кнопкой «Помощь оказана — закрыть просьбу»"
        ),
    }
    return how[status]


# Programme staff ask the person who asked (`waiting`) or hand the request back to the
# coordinators (`matching`, the programme removed); refusing or cancelling a resident's
# request is the coordinators' call.
STAFF_MOVES = frozenset({HelpRequest.Status.WAITING, HelpRequest.Status.MATCHING})


def can_move(user: Actor, help_request: HelpRequest, move: Move) -> Decision:
    """Who moves a request along `HELP_REQUEST_WORKFLOW` by hand (the page's status select
    and `POST /help-requests/{id}/transition`): only the workflow's manual moves (the
    others are steps of offers, answers, reports and «complete»); any of them by a
    coordinator; «waiting» and «matching» (handing it back) by the routed programme's
    staff."""
    if not move.button:
        return deny(
            _("Этот статус не ставится вручную: %(how)s.") % {"how": _how_to_reach(move.target)}
        )
    if user.is_authenticated and is_coordinator(user):
        return ALLOW
    if is_programme_staff(user, help_request):
        if move.target in STAFF_MOVES:
            return ALLOW
        return deny(
            _(
                "Сотрудники программы могут уточнить просьбу у жителя или вернуть её "
                "координатору; отменить или отклонить её может только координатор."
            )
        )
    return deny(_("Заявку ведут координаторы и сотрудники программы, куда она передана."))


def moves_by_hand(user: Actor, help_request: HelpRequest) -> list[Move]:
    """The statuses `user` may set by hand now: the page's status select."""
    return HELP_REQUEST_WORKFLOW.moves_for(user, help_request, can_move)


def can_see_private(user: Actor, help_request: HelpRequest) -> Decision:
    """Name, phone, address and details (152-ФЗ: only those who need them, only while
    they need them) — the one rule for pages and API alike:
    - the person who asked, always (it is their own request);
    - coordinators, always (each reading audited by `services.private_data.private_fields_read`);
    - the staff of the programme it was routed to, while the request is open;
    - the volunteer who accepted it, while the task is active."""
    if not user.is_authenticated:
        return deny(_("Войдите, чтобы увидеть данные получателя помощи."))
    if help_request.requester_id == _uid(user) or is_coordinator(user):
        return ALLOW
    if help_request.status in HelpRequest.OPEN and is_programme_staff(user, help_request):
        return ALLOW
    if is_accepted_volunteer(user, help_request):
        return ALLOW
    return deny(_("Данные получателя видны только тем, кто выполняет просьбу, пока она активна."))


def can_see_health(user: Actor, help_request: HelpRequest) -> Decision:
    """Health and disability data: coordinators, and the accepted volunteer while active."""
    if user.is_authenticated and (
        is_coordinator(user) or is_accepted_volunteer(user, help_request)
    ):
        return ALLOW
    return deny(_("Сведения о здоровье видят только координатор и волонтёр, взявший задачу."))


def can_see_consent_scan(user: Actor, help_request: HelpRequest) -> Decision:
    """The scan of the resident's signed paper consent for health data (their name,
    signature and what they consented to): among those who may see the health data, only
    coordinators, who register such requests and answer for the consent. The volunteer
    needs the health information for the help, not the signed form."""
    if can_see_health(user, help_request) and is_coordinator(user):
        return ALLOW
    return deny(_("Скан согласия на обработку сведений о здоровье видят только координаторы."))


def visible_requests(user: Actor) -> QuerySet[HelpRequest]:
    """Requests a user may open at all (others answer 404, so ids cannot be probed)."""
    if is_coordinator(user):
        return HelpRequest.objects.all()
    uid = _uid(user)
    condition = Q(status__in=PUBLIC_STATUSES)
    if uid:
        condition |= Q(requester_id=uid) | Q(offers__volunteer_id=uid)
        condition |= staff_of_verified(uid, "programme__organization__")
    return HelpRequest.objects.filter(condition).distinct()


def get_request_for_user(user: Actor, pk: int) -> HelpRequest:
    request = (
        visible_requests(user)
        .select_related("district", "programme__organization", "requester__volunteer_profile")
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise Http404
    return request


def get_request_to_handle(user: Actor, pk: int) -> HelpRequest:
    """The request for a coordinator or the routed programme's staff to work on: others
    are refused (403), and a request such staff cannot see answers 404."""
    if not (is_coordinator(user) or handles_any_programme(user)):
        raise PermissionDenied
    request = get_request_for_user(user, pk)
    if not can_handle(user, request):
        raise PermissionDenied
    return request


def editable_organizations(user: Actor) -> QuerySet[Organization]:
    """Verified organisations whose programmes the user describes and keeps records of:
    every one for coordinators, their own (owner or editor) for others."""
    if is_coordinator(user):
        return Organization.objects.verified()
    return Organization.objects.filter(staff_of_verified(_uid(user)))


def can_triage(user: Actor) -> Decision:
    """The queue of every request, a request's urgency and handing it to a programme:
    coordinators (the staff of a programme work the requests handed to them, they do not
    hand them on)."""
    if user.is_authenticated and is_coordinator(user):
        return ALLOW
    return deny(_("Очередь, срочность и передачу просьб в программы ведут координаторы."))


def get_request_to_triage(user: Actor, pk: int) -> HelpRequest:
    """The request for a coordinator to set its urgency or route it: anyone else is refused
    (403) whether or not the request exists, an unknown one is not found."""
    decision = can_triage(user)
    if not decision:
        raise PermissionDenied(decision.reason)
    return get_request_for_user(user, pk)


def can_plan_batch(user: Actor) -> Decision:
    """The day's batch plan (read and confirm, page and API): coordinators, who offer any
    request to any eligible volunteer."""
    if user.is_authenticated and is_coordinator(user):
        return ALLOW
    return deny(_("Распределение просьб дня ведут координаторы."))


def can_add_programme(user: Actor) -> Decision:
    """Describing a new programme: for editors of a verified organisation and coordinators.
    The page and the link to it ask this same question."""
    if user.is_authenticated and editable_organizations(user).exists():
        return ALLOW
    return deny(_("Программы описывают редакторы проверенных организаций и координаторы."))


def can_confirm_records(user: Actor) -> Decision:
    """Confirming programmes' monthly records, so that they count in the public KPI:
    coordinators (the organisations record, the resource centre vouches for the figures)."""
    if user.is_authenticated and is_coordinator(user):
        return ALLOW
    return deny(_("Записи программ подтверждают координаторы."))


def get_programme_to_keep(user: Actor, pk: int) -> Programme:
    """The programme for its organisation's editors and coordinators to keep: others are
    refused, an unknown one is not found."""
    programme = Programme.objects.select_related("organization").filter(pk=pk).first()
    if programme is None:
        raise Http404
    if not editable_organizations(user).filter(pk=programme.organization_id).exists():
        raise PermissionDenied
    return programme


# The person who asked may cancel until help has started, and correct the request until
# it has been checked (afterwards the coordinator corrects it after calling back).
REQUESTER_CANCELS = (
    HelpRequest.Status.NEW,
    HelpRequest.Status.VERIFIED,
    HelpRequest.Status.MATCHING,
    HelpRequest.Status.OFFERED,
    HelpRequest.Status.ASSIGNED,
    HelpRequest.Status.WAITING,
)
REQUESTER_EDITS = (HelpRequest.Status.NEW, HelpRequest.Status.WAITING)


def can_answer_offer(user: Actor, offer: HelpOffer, move: Move) -> Decision:
    """The volunteer it was made to accepts or declines, until it expires; expiring and
    withdrawing are the platform's moves, nobody's button."""
    if not move.button:
        return deny(_("Это делает платформа."))
    if not user.is_authenticated or offer.volunteer_id != user.pk:
        return deny(_("Ответить может волонтёр, которому предложили."))
    if offer.expires_at < timezone.now():
        return not_now(_("Предложение уже недействительно."))
    return ALLOW


def get_offer_for_volunteer(user: Actor, pk: int) -> HelpOffer:
    """The offer made to `user`, with its request, for the page's and the API's answer;
    404 for anyone else's (whether it exists is nobody else's business)."""
    offer = (
        HelpOffer.objects.select_related("request").filter(pk=pk, volunteer_id=_uid(user)).first()
    )
    if offer is None:
        raise Http404
    return offer


def offer_moves(user: Actor, offer: HelpOffer) -> list[Move]:
    """The answers `user` may give to the offer now: the buttons of the request's page."""
    return OFFER_WORKFLOW.moves_for(user, offer, can_answer_offer)


def can_edit(user: Actor, help_request: HelpRequest) -> Decision:
    """Coordinators correct any open request; the person who asked, their own while it
    is new or waiting for their answer."""
    if is_coordinator(user) and help_request.status in HelpRequest.OPEN:
        return ALLOW
    if help_request.requester_id == _uid(user) and user.is_authenticated:
        if help_request.status in REQUESTER_EDITS:
            return ALLOW
        return deny(_("Просьбу уже проверили: чтобы изменить её, напишите координатору."))
    return deny(_("Изменить просьбу может координатор или тот, кто её подал."))


def can_cancel(user: Actor, help_request: HelpRequest) -> Decision:
    """The person who asked cancels their own request until help has started."""
    if not (user.is_authenticated and help_request.requester_id == _uid(user)):
        return deny(_("Отменить просьбу может тот, кто её подал."))
    if help_request.status not in REQUESTER_CANCELS:
        return deny(_("Помощь уже оказывается или просьба закрыта: её нельзя отменить."))
    return ALLOW


def get_request_to_edit(user: Actor, pk: int) -> HelpRequest:
    """The request for its editor (`can_edit`): 404 when it cannot be seen, 403 when it
    cannot be changed now."""
    help_request = get_request_for_user(user, pk)
    decision = can_edit(user, help_request)
    if not decision:
        raise PermissionDenied(decision.reason)
    return help_request


def get_request_to_cancel(user: Actor, pk: int) -> HelpRequest:
    help_request = get_request_for_user(user, pk)
    decision = can_cancel(user, help_request)
    if not decision:
        raise PermissionDenied(decision.reason)
    return help_request
