"""Rooms of the resource centre and their bookings."""

from datetime import time

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dobry.core.clock import local_time
from dobry.core.dates import StatusInTime
from dobry.core.text_limits import SHORT
from dobry.core.workflow import Move, Workflow
from dobry.organizations.models import Organization

# The most people one booking brings: the page's form and the API's schema (issue 11).
MAX_ATTENDEES = 1000


class Room(models.Model):
    """A room of the resource centre or a partner that НКО and groups can book."""

    name = models.CharField(_("название"), max_length=150)
    owner = models.ForeignKey(
        Organization, verbose_name=_("чей зал"), on_delete=models.PROTECT, related_name="rooms"
    )
    address = models.CharField(_("адрес"), max_length=300)
    capacity = models.PositiveSmallIntegerField(_("вместимость, человек"))
    equipment = models.TextField(_("оборудование"), blank=True, max_length=SHORT)
    accessibility = models.TextField(_("доступность"), blank=True, max_length=SHORT)
    wheelchair_accessible = models.BooleanField(_("доступно на коляске"), default=False)
    opens_at = models.TimeField(_("открыт с"), default=time(9, 0))
    closes_at = models.TimeField(_("открыт до"), default=time(21, 0))
    is_active = models.BooleanField(_("можно бронировать"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("помещение")
        verbose_name_plural = _("помещения")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("resources:room", args=[self.pk])


class RoomBookingQuerySet(models.QuerySet["RoomBooking"]):
    def holding(self) -> "RoomBookingQuerySet":
        return self.filter(status__in=RoomBooking.HOLDING)

    def overlapping(self, starts_at: object, ends_at: object) -> "RoomBookingQuerySet":
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


class RoomBooking(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("ждёт подтверждения")
        CONFIRMED = "confirmed", _("подтверждено")
        DECLINED = "declined", _("отклонено")
        CANCELLED = "cancelled", _("отменено")

    HOLDING = (Status.REQUESTED, Status.CONFIRMED)

    # Once its time is over a booking no longer waits or stands (`core.dates.status_text`).
    STATUS_IN_TIME = StatusInTime(
        ends=lambda booking: booking.ends_at,
        past={Status.CONFIRMED: _("прошло"), Status.REQUESTED: _("не рассмотрено вовремя")},
    )

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="bookings")
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("для организации"),
        on_delete=models.PROTECT,
        related_name="room_bookings",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="room_bookings"
    )
    starts_at = models.DateTimeField(_("начало"))
    ends_at = models.DateTimeField(_("окончание"))
    purpose = models.CharField(_("цель"), max_length=300)
    attendees = models.PositiveSmallIntegerField(_("участников"), default=1)  # ≤ MAX_ATTENDEES
    status = models.CharField(
        _("статус"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    reason = models.TextField(_("причина отказа"), blank=True, max_length=SHORT)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoomBookingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["room", "starts_at", "ends_at"])]
        verbose_name = _("бронь помещения")
        verbose_name_plural = _("брони помещений")

    def __str__(self) -> str:
        return f"{self.room}: {local_time(self.starts_at):%d.%m.%Y %H:%M}"

    @property
    def has_begun(self) -> bool:
        return self.starts_at <= timezone.now()


_B = RoomBooking.Status
# Staff confirm or decline (with a reason) a request; whoever booked cancels while it holds.
BOOKING_WORKFLOW = Workflow(
    RoomBooking.Status,
    (
        Move(
            "confirm",
            frozenset({_B.REQUESTED}),
            _B.CONFIRMED,
            _("Подтвердить"),
            refused=_("Бронь уже рассмотрена."),
        ),
        Move(
            "decline",
            frozenset({_B.REQUESTED}),
            _B.DECLINED,
            _("Отклонить"),
            needs_reason=True,
            refused=_("Бронь уже рассмотрена."),
        ),
        Move(
            "cancel",
            frozenset(RoomBooking.HOLDING),
            _B.CANCELLED,
            _("Отменить"),
            refused=_("Бронь уже не действует."),
        ),
    ),
    model=RoomBooking,
)
