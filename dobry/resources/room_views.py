"""Rooms: the list, a room's week calendar with the booking form, and staff decisions."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.core.clock import (
    local_date,
    local_moment,
    local_today,
    start_of_local_day,
    week_start,
)
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message
from dobry.core.request_values import LAST_DATE, date_param, form_values, paginate, reachable_date
from dobry.resources import permissions, rooms, selectors
from dobry.resources.forms import BookingForm, BookingMoveForm, ReasonForm
from dobry.resources.models import Room, RoomBooking


def room_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "resources/rooms.html",
        {"rooms": Room.objects.filter(is_active=True).select_related("owner")},
    )


# The last week a room's calendar shows starts a week before `LAST_DATE`.
_LAST_WEEK = LAST_DATE - timedelta(days=7)


def _week_start(request: HttpRequest) -> date:
    day = date_param(request.GET, "week", default=local_today(), last=_LAST_WEEK)
    assert day is not None
    return week_start(day)


def _week_link(day: date) -> str | None:
    """The `week` value of a link to the week starting `day`; None past the range."""
    reachable = reachable_date(day, last=_LAST_WEEK)
    return reachable.isoformat() if reachable else None


# The service names the moments; the form asks for a day and two times.
_FORM_FIELD = {"starts_at": "start", "ends_at": "end"}


def _show_refusal(form: BookingForm, error: DomainError) -> None:
    """The service's refusal on the booking form: its message at the top, each problem at
    the field it is about, so that «the room opens at 08:00» is not lost."""
    form.add_error(None, error.message)
    for name, problems in error.field_errors.items():
        field = _FORM_FIELD.get(name, name)
        form.add_error(field if field in form.fields else None, problems)


def room_detail(request: HttpRequest, pk: int) -> HttpResponse:
    room = get_object_or_404(Room.objects.select_related("owner"), pk=pk, is_active=True)
    start = _week_start(request)
    bookings = selectors.room_busy(
        room, start_of_local_day(start), start_of_local_day(start + timedelta(days=7))
    )
    days = [
        {
            "date": start + timedelta(days=i),
            "bookings": [
                b for b in bookings if local_date(b.starts_at) == start + timedelta(days=i)
            ],
        }
        for i in range(7)
    ]
    form = None
    organizations = permissions.organizations_booking_for(request.user)
    if request.user.is_authenticated:
        form = BookingForm(request.POST or None, organizations=organizations)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                rooms.booking_request(
                    user=request_user(request),
                    room=room,
                    organization=data["organization"],
                    starts_at=local_moment(data["day"], data["start"]),
                    ends_at=local_moment(data["day"], data["end"]),
                    purpose=data["purpose"],
                    attendees=data["attendees"],
                )
            except DomainError as error:
                _show_refusal(form, error)
            else:
                messages.success(
                    request, _("Заявка на бронь отправлена. Сотрудники подтвердят её.")
                )
                return redirect(f"{room.get_absolute_url()}?week={data['day'].isoformat()}")
    context = {
        "room": room,
        "days": days,
        "form": form,
        "can_book": form is not None and organizations.exists(),
        "previous_week": _week_link(start - timedelta(days=7)),
        "next_week": _week_link(start + timedelta(days=7)),
    }
    return render(request, "resources/room.html", context)


@login_required
def booking_queue(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not permissions.is_consultant(user):
        raise PermissionDenied
    requested = RoomBooking.objects.filter(status=RoomBooking.Status.REQUESTED).select_related(
        "room", "organization", "booked_by"
    )
    page = paginate(request.GET, requested, 30)
    for booking in page:
        booking.moves = permissions.booking_moves(user, booking)
    return render(request, "resources/bookings.html", {"page": page, "reason_form": ReasonForm()})


@login_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    bookings = (
        RoomBooking.objects.filter(booked_by=user)
        .select_related("room", "organization")
        .order_by("-starts_at")
    )
    page = paginate(request.GET, bookings, 30)
    for booking in page:
        booking.moves = permissions.booking_moves(user, booking)
    return render(request, "resources/my_bookings.html", {"page": page})


@login_required
@require_POST
def booking_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    booking = permissions.get_booking_for_user(user, pk, action="decide")
    # the button's move is required: a POST without one is a 400 naming `decision`
    data = form_values(BookingMoveForm(request.POST))
    with domain_error_message(request):
        rooms.booking_decide(
            actor=user, booking=booking, decision=data["decision"], reason=data["reason"]
        )
    return redirect("resources:bookings")


@login_required
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    booking = permissions.get_booking_for_user(user, pk)
    with domain_error_message(request, success=_("Бронь отменена.")):
        rooms.booking_cancel(user=user, booking=booking)
    return redirect("resources:my_bookings")
