"""Who sees and does what at the resource centre's desk."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from dobry.core.permissions import ALLOW, Actor, Decision, allow_if, deny, not_now
from dobry.core.workflow import Move
from dobry.organizations.models import Membership, Organization
from dobry.organizations.permissions import is_reviewer
from dobry.resources.models import (
    BOOKING_WORKFLOW,
    CONSULTATION_WORKFLOW,
    Consultation,
    LibraryFile,
    LibraryItem,
    LibraryItemQuerySet,
    RoomBooking,
)


def is_consultant(user: Actor) -> bool:
    """Coordinators of the resource centre (and platform admins) answer consultations."""
    return is_reviewer(user)


BOOKING_BEGUN = _("Бронь уже началась: отменить её нельзя.")


def can_book_for(user: Actor, organization: Organization) -> Decision:
    """A room is booked for an organisation by one of its members, and only for a verified
    one (a proposed organisation is whatever its proposer typed): the page's form and
    POST /api/v1/rooms/{id}/bookings alike (`rooms.booking_request`)."""
    if not getattr(user, "is_authenticated", False) or not (
        Membership.objects.filter(organization=organization, user_id=int(user.pk or 0)).exists()
    ):
        return deny(_("Бронировать могут участники организации."))
    if organization.status != Organization.Status.VERIFIED:
        return deny(_("Бронировать помещения можно после проверки организации."))
    return ALLOW


def organizations_booking_for(user: Actor) -> QuerySet[Organization]:
    """The organisations `user` may book a room for (`can_book_for` as a list), by name."""
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    return Organization.objects.filter(
        memberships__user_id=int(user.pk or 0), status=Organization.Status.VERIFIED
    ).order_by("name")


def booking_names_organization(booking: RoomBooking) -> bool:
    """A room's public calendar (its page and GET /api/v1/rooms/{id}/availability, to
    anyone) names the organisation of a booking only when the organisation is verified and
    the booking confirmed (made public by staff); otherwise the time is shown as busy, with
    no name — an unverified organisation's name is whatever its proposer typed."""
    return (
        booking.status == RoomBooking.Status.CONFIRMED
        and booking.organization.status == Organization.Status.VERIFIED
    )


def can_move_booking(user: Actor, booking: RoomBooking, move: Move) -> Decision:
    """Staff of the resource centre confirm and decline; the person who booked cancels,
    until the booking begins."""
    if move.target == RoomBooking.Status.CANCELLED:
        if not (user.is_authenticated and booking.booked_by_id == user.pk):
            return deny(_("Отменить бронь может тот, кто её сделал."))
        if booking.has_begun:
            return not_now(BOOKING_BEGUN)
        return ALLOW
    return allow_if(is_consultant(user), _("Брони рассматривают сотрудники ресурсного центра."))


def get_booking_for_user(user: Actor, pk: int, *, action: str = "view") -> RoomBooking:
    """The room booking `pk` as `user` may reach it, with its room, organisation and booker,
    in one query — for the page and the API alike. `action="decide"` (confirm, decline) is
    the resource centre's staff's: anyone else is refused (PermissionDenied, a 403) whether
    or not the booking exists, as the desk's queue is. Otherwise a booking `user` may not
    see (`visible_bookings`: staff any, anyone else their own) is an Http404. Whether the
    move is allowed now is the workflow's (`can_move_booking`, checked by the service)."""
    if action == "decide" and not is_consultant(user):
        raise PermissionDenied
    booking = (
        visible_bookings(user)
        .select_related("room", "organization", "booked_by")
        .filter(pk=pk)
        .first()
    )
    if booking is None:
        raise Http404
    return booking


def booking_moves(user: Actor, booking: RoomBooking) -> list[Move]:
    """What `user` may do with the booking now: the buttons of the queue and «Мои брони»."""
    return BOOKING_WORKFLOW.moves_for(user, booking, can_move_booking)


def can_read_support_registry(user: Actor) -> Decision:
    return allow_if(
        is_reviewer(user) or bool(getattr(user, "is_official", False)),
        _("Реестр поддержки видят сотрудники ресурсного центра и администрации."),
    )


def can_view_consultation(user: Actor, consultation: Consultation) -> Decision:
    """The asker, the members of the organisation asked for, and the consultants."""
    if user.is_authenticated and (is_consultant(user) or consultation.asker_id == user.pk):
        return ALLOW
    if (
        user.is_authenticated
        and consultation.organization_id
        and Membership.objects.filter(
            organization_id=consultation.organization_id, user_id=user.pk
        ).exists()
    ):
        return ALLOW
    return deny(_("Консультацию видят задавший вопрос, его организация и консультанты."))


def visible_consultations(user: Actor) -> QuerySet[Consultation]:
    """The list form of `can_view_consultation`."""
    if not user.is_authenticated or user.pk is None:
        return Consultation.objects.none()
    if is_consultant(user):
        return Consultation.objects.all()
    return Consultation.objects.filter(
        Q(asker_id=user.pk)
        | Q(organization__in=Membership.objects.filter(user_id=user.pk).values("organization"))
    )


def visible_bookings(user: Actor) -> QuerySet[RoomBooking]:
    """Room bookings `user` may see: the resource centre's staff all (their queue), anyone
    else their own («Мои брони»)."""
    if not user.is_authenticated or user.pk is None:
        return RoomBooking.objects.none()
    if is_consultant(user):
        return RoomBooking.objects.all()
    return RoomBooking.objects.filter(booked_by_id=user.pk)


def can_move_consultation(user: Actor, consultation: Consultation, move: Move) -> Decision:
    """Consultants take and close questions."""
    return allow_if(is_consultant(user), _("Отвечают на вопросы консультанты ресурсного центра."))


def consultation_moves(user: Actor, consultation: Consultation) -> list[Move]:
    """The consultant's buttons on the consultation's page now."""
    return CONSULTATION_WORKFLOW.moves_for(user, consultation, can_move_consultation)


def get_consultation_for_user(user: Actor, pk: int, *, answer: bool = False) -> Consultation:
    consultation = (
        Consultation.objects.select_related("asker", "organization", "consultant")
        .filter(pk=pk)
        .first()
    )
    if consultation is None or not can_view_consultation(user, consultation):
        raise Http404
    if answer and not is_consultant(user):
        raise PermissionDenied
    return consultation


def can_publish_faq(user: Actor, consultation: Consultation) -> Decision:
    """A consultant publishes a closed consultation as a question and answer (after the
    edit step); an open one is not yet («not now»)."""
    if not is_consultant(user):
        return deny(_("Публикует в библиотеке консультант ресурсного центра."))
    if consultation.status != Consultation.Status.CLOSED:
        return not_now(_("Опубликовать можно закрытую консультацию."))
    return ALLOW


# --- the НКО library ------------------------------------------------------------------------


def reads_members_only(user: Actor) -> bool:
    """«Только для участников организаций» means members of a *verified* organisation (a
    proposed, unchecked one is not enough) and the resource centre's staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_consultant(user) or (
        Membership.objects.filter(
            user_id=int(user.pk or 0), organization__status=Organization.Status.VERIFIED
        ).exists()
    )


def library_items_for_user(user: Actor) -> LibraryItemQuerySet:
    """The items `user` may open: the list form of `can_view_library_item`."""
    items = LibraryItem.objects.filter(published=True)
    return items if reads_members_only(user) else items.filter(members_only=False)


def can_view_library_item(user: Actor, item: LibraryItem) -> Decision:
    if not item.published:
        return deny(_("Материал снят с публикации."))
    if item.members_only and not reads_members_only(user):
        return deny(_("Материал открыт участникам проверенных организаций."))
    return ALLOW


def get_library_item_for_user(user: Actor, pk: int) -> LibraryItem:
    """The item if `user` may open it (page, API, downloads alike); 404 otherwise."""
    item = LibraryItem.objects.select_related("category").filter(pk=pk).first()
    if item is None or not can_view_library_item(user, item):
        raise Http404
    return item


def can_read_library_file(user: Actor, library_file: LibraryFile) -> Decision:
    """Any version of an item's file: whoever may open the item."""
    return can_view_library_item(user, library_file.item)
