import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dobry.core.clock import happened_by_now
from dobry.core.dates import StatusInTime
from dobry.core.files import PrivateFileField
from dobry.core.models import District, TimeStampedModel
from dobry.core.search import SearchableModel, search_words
from dobry.core.subqueries import related_figure
from dobry.core.text_limits import LONG, MESSAGE, SHORT
from dobry.core.workflow import Move, Workflow
from dobry.organizations.areas import Area
from dobry.organizations.models import Organization
from dobry.volunteering.models import Qualification

# Short codes avoid letters and digits that are easy to confuse when read aloud.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_registration_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def cover_path(instance: "Event", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"covers/{secrets.token_hex(8)}.{extension}"


# Limits of numbers people type, one place for the model (so every service's full_clean),
# the page's form and the API's schema (issue 11: the page took 1 000 000 places, the API
# capped 100 000).
MAX_SHIFT_CAPACITY = 100_000
MAX_CANCELLATION_DEADLINE_HOURS = 720  # 30 days
MAX_MIN_AGE = 99


class EventQuerySet(models.QuerySet["Event"]):
    def published(self) -> "EventQuerySet":
        return self.filter(status=Event.Status.PUBLISHED)

    def public(self) -> "EventQuerySet":
        """What anyone may find in a list: published events of an organisation verified
        now. One whose verification was returned (or that awaits a new review) keeps its
        events and their registrations, but no list offers them to new people until it is
        verified again. Every public list starts here (`selectors.filtered_events`)."""
        return self.published().filter(organization__status=Organization.Status.VERIFIED)

    def upcoming(self, now: datetime | None = None) -> "EventQuerySet":
        return self.filter(ends_at__gte=now or timezone.now())

    def happened(self) -> "EventQuerySet":
        """Events that have begun: only these count as held (`clock.happened_by_now`)."""
        return self.filter(happened_by_now("starts_at"))

    def past(self, now: datetime | None = None) -> "EventQuerySet":
        """Ended: the complement of `upcoming` among events with dates."""
        return self.filter(ends_at__lt=now or timezone.now())

    def search(self, text: str) -> "EventQuerySet":
        """Every word in the row's text or its organiser's (name, INN, profile)."""
        return search_words(self, text, "search_text", "organization__search_text")

    def for_list(self) -> "EventQuerySet":
        return self.select_related("organization", "district").prefetch_related("area_links")

    def with_free_places(self) -> "EventQuerySet":
        """Annotate `free_places`: free places summed over the event's shifts."""
        capacity = related_figure(Shift.objects.all(), Sum("capacity"), event="pk")
        taken = related_figure(
            Registration.objects.filter(status__in=Registration.HOLDING_PLACE),
            Sum("seats"),
            shift__event="pk",
        )
        return self.annotate(free_places=capacity - taken)


class EventSeries(models.Model):
    """A repeating event: the dates it repeats on were generated from this rule."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("каждую неделю")
        BIWEEKLY = "biweekly", _("раз в две недели")
        MONTHLY = "monthly", _("каждый месяц")

    frequency = models.CharField(_("повторять"), max_length=10, choices=Frequency.choices)
    count = models.PositiveSmallIntegerField(_("сколько раз"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("серия мероприятий")
        verbose_name_plural = _("серии мероприятий")

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} × {self.count}"


class Event(SearchableModel, TimeStampedModel):
    class Kind(models.TextChoices):
        VOLUNTEER_ACTION = "volunteer_action", _("Добровольческая акция")
        PROGRAMME_ACTIVITY = "programme_activity", _("Занятие программы")
        SEMINAR = "seminar", _("Семинар")
        WEBINAR = "webinar", _("Вебинар")
        FORUM = "forum", _("Форум")
        FESTIVAL = "festival", _("Фестиваль")
        OTHER = "other", _("Другое")

    SEARCH_FIELDS = ("title", "summary", "description", "place", "address")

    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        PUBLISHED = "published", _("опубликовано")
        CANCELLED = "cancelled", _("отменено")

    # A published event that has ended reads «прошло» (`core.dates.status_text`).
    STATUS_IN_TIME = StatusInTime(
        ends=lambda event: event.ends_at, past={Status.PUBLISHED: _("прошло")}
    )

    organization = models.ForeignKey(
        Organization, verbose_name=_("организатор"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("вид"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("название"), max_length=200)
    summary = models.CharField(_("коротко"), max_length=300, blank=True)
    description = models.TextField(_("описание"), blank=True, max_length=LONG)
    place = models.CharField(_("место"), max_length=200, blank=True)
    address = models.CharField(_("адрес"), max_length=300, blank=True)
    district = models.ForeignKey(
        District, verbose_name=_("район"), null=True, blank=True, on_delete=models.SET_NULL
    )
    online_url = models.URLField(_("ссылка для участия онлайн"), blank=True)
    accessibility = models.TextField(
        _("доступность"),
        blank=True,
        help_text=_("Пандус, лифт, туалет для людей на колясках, сурдоперевод, где присесть…"),
        max_length=SHORT,
    )
    wheelchair_accessible = models.BooleanField(_("доступно на коляске"), default=False)
    infrastructure = models.BooleanField(
        _("мероприятие инфраструктуры проекта"),
        default=False,
        help_text=_(
            "Семинар, форум, фестиваль, информационная сессия конкурса ресурсного центра или "
            "администрации: учитывается в показателе 1 паспорта. Отмечают координаторы."
        ),
    )
    cover = models.ImageField(_("обложка"), upload_to=cover_path, blank=True)
    status = models.CharField(
        _("статус"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    starts_at = models.DateTimeField(_("начало"), null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField(_("окончание"), null=True, blank=True, db_index=True)
    cancellation_deadline_hours = models.PositiveSmallIntegerField(
        _("отменить запись можно не позже чем за, ч"),
        default=24,
        validators=[MaxValueValidator(MAX_CANCELLATION_DEADLINE_HOURS)],
    )
    series = models.ForeignKey(
        EventSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    published_at = models.DateTimeField(_("опубликовано"), null=True, blank=True)
    cancel_reason = models.TextField(_("причина отмены"), blank=True, max_length=SHORT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        # the earliest start among events not ended, read from the index alone
        # (`selectors._not_ended`: the bound of the upcoming list's walk)
        indexes = [models.Index(fields=["ends_at", "starts_at"], name="event_ends_starts")]
        verbose_name = _("мероприятие")
        verbose_name_plural = _("мероприятия")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])

    TRAININGS = (Kind.SEMINAR, Kind.WEBINAR)

    @property
    def is_training(self) -> bool:
        return self.kind in self.TRAININGS

    @property
    def is_online(self) -> bool:
        return bool(self.online_url) and not self.address

    @property
    def area_labels(self) -> list[str]:
        return [str(Area(link.area).label) for link in self.area_links.all()]

    def cancellation_deadline(self, shift: "Shift") -> datetime:
        return shift.starts_at - timedelta(hours=self.cancellation_deadline_hours)


_E = Event.Status
# An organiser publishes a draft (with at least one shift) or cancels the event, telling
# everyone registered why.
EVENT_WORKFLOW = Workflow(
    Event.Status,
    (
        Move("publish", frozenset({_E.DRAFT}), _E.PUBLISHED, _("Опубликовать")),
        Move(
            "cancel",
            frozenset({_E.DRAFT, _E.PUBLISHED}),
            _E.CANCELLED,
            _("Отменить и уведомить участников"),
            needs_reason=True,
            reason_prompt=_("Объясните участникам причину отмены."),
        ),
    ),
    model=Event,
)


def material_path(instance: "EventMaterial", filename: str) -> str:
    """Kept for old migrations; materials are private files now (PrivateFileField)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"materials/{instance.event_id}/{secrets.token_hex(8)}.{extension}"


class EventMaterial(models.Model):
    """Materials given before a seminar or webinar, and its recording after."""

    class Kind(models.TextChoices):
        MATERIAL = "material", _("материалы")
        RECORDING = "recording", _("запись")

    event = models.ForeignKey("Event", on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("вид"), max_length=12, choices=Kind.choices, default=Kind.MATERIAL)
    title = models.CharField(_("название"), max_length=200)
    file = PrivateFileField(
        _("файл"), prefix="events/materials", name_field="original_name", blank=True
    )
    original_name = models.CharField(max_length=200, blank=True)
    url = models.URLField(_("ссылка"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "created_at"]
        verbose_name = _("материал мероприятия")
        verbose_name_plural = _("материалы мероприятий")

    def __str__(self) -> str:
        return self.title


class EventArea(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="area_links")
    area = models.CharField(max_length=40, choices=Area.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "area"], name="unique_event_area")]

    def __str__(self) -> str:
        return self.area


class ShiftQuerySet(models.QuerySet["Shift"]):
    def with_taken(self) -> "ShiftQuerySet":
        return self.annotate(
            taken=Coalesce(
                Sum(
                    "registrations__seats",
                    filter=Q(registrations__status__in=Registration.HOLDING_PLACE),
                ),
                Value(0),
            ),
            waiting=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)
            ),
        )


def now() -> datetime:
    """`timezone.now`, looked up at call time (so a frozen clock in tests applies)."""
    return timezone.now()


class Shift(SearchableModel):
    """A slot of an event with its own time, capacity and requirements. Its folded text
    (`search_text`) is what «Подходит мне» searches for a volunteer's skills."""

    SEARCH_FIELDS = ("title", "tasks")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="shifts")
    title = models.CharField(_("роль или смена"), max_length=150)
    tasks = models.TextField(_("что нужно делать"), blank=True, max_length=MESSAGE)
    starts_at = models.DateTimeField(_("начало"))
    ends_at = models.DateTimeField(_("окончание"))
    capacity = models.PositiveIntegerField(
        _("мест"), validators=[MaxValueValidator(MAX_SHIFT_CAPACITY)]
    )
    min_age = models.PositiveSmallIntegerField(_("минимальный возраст"), null=True, blank=True)
    open_to_minors = models.BooleanField(
        _("можно подросткам 14–17 лет (с согласием родителя)"), default=False
    )
    requires_approval = models.BooleanField(_("запись подтверждает организатор"), default=False)
    qualifications = models.ManyToManyField(
        Qualification, verbose_name=_("нужные квалификации"), blank=True
    )
    # RFC 5545 SEQUENCE and its moment: raised by the services that move the shift, change
    # its place or cancel it, so calendars that imported the shift take the change.
    calendar_sequence = models.PositiveIntegerField(
        _("версия для календарей"), default=0, editable=False
    )
    calendar_changed_at = models.DateTimeField(
        _("изменено для календарей"), default=now, editable=False
    )

    objects = ShiftQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("смена")
        verbose_name_plural = _("смены")

    def __str__(self) -> str:
        return f"{self.event}: {self.title}"

    @property
    def hours(self) -> float:
        return round((self.ends_at - self.starts_at).total_seconds() / 3600, 2)

    @property
    def free_places(self) -> int:
        """Needs `with_taken()`; never negative."""
        taken: Any = getattr(self, "taken", None)
        if taken is None:
            taken = self.registrations.holding_place().seats()
        return max(self.capacity - int(taken), 0)


class RegistrationQuerySet(models.QuerySet["Registration"]):
    def holding_place(self) -> "RegistrationQuerySet":
        return self.filter(status__in=Registration.HOLDING_PLACE)

    def active(self) -> "RegistrationQuerySet":
        return self.filter(status__in=Registration.ACTIVE)

    def seats(self) -> int:
        return int(self.aggregate(n=Coalesce(Sum("seats"), Value(0)))["n"])

    def with_attendance_known(self) -> "RegistrationQuerySet":
        """Annotate `shift_attendance_known`: whether anyone was checked in on the
        registration's shift, so a missing check-in reads as a no-show (`no_show_label`)."""
        marked = Registration.objects.filter(
            shift=models.OuterRef("shift"), checked_in_at__isnull=False
        )
        return self.annotate(shift_attendance_known=models.Exists(marked))

    def waiting_line(self) -> "RegistrationQuerySet":
        return self.filter(status=Registration.Status.WAITLISTED).order_by("created_at", "pk")


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING_APPROVAL = "pending_approval", _("ждёт подтверждения")
        CONFIRMED = "confirmed", _("записан")
        WAITLISTED = "waitlisted", _("в листе ожидания")
        OFFERED = "offered", _("предложено место")
        DECLINED = "declined", _("отклонено организатором")
        CANCELLED = "cancelled", _("отменено")
        OFFER_EXPIRED = "offer_expired", _("предложение истекло")

    class Group(models.TextChoices):
        INDIVIDUAL = "individual", _("один человек")
        FAMILY = "family", _("семья")
        SCHOOL_CLASS = "school_class", _("школьный класс")
        CORPORATE = "corporate", _("команда предприятия")
        OTHER = "other", _("другая группа")

    HOLDING_PLACE = (Status.PENDING_APPROVAL, Status.CONFIRMED, Status.OFFERED)
    ACTIVE = (*HOLDING_PLACE, Status.WAITLISTED)

    # How the status reads against the shift's time (`core.dates.status_text`): a person
    # checked in is on the shift, and once it is over a place no longer «записан».
    STATUS_IN_TIME = StatusInTime(
        ends=lambda registration: registration.shift.ends_at,
        first=lambda registration: registration.attendance_label(),
        past={
            Status.CONFIRMED: lambda registration: registration.no_show_label(),
            Status.PENDING_APPROVAL: _("смена прошла"),
            Status.WAITLISTED: _("смена прошла"),
            Status.OFFERED: _("предложение истекло"),
        },
    )

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations"
    )
    status = models.CharField(_("статус"), max_length=20, choices=Status.choices)
    seats = models.PositiveSmallIntegerField(_("мест"), default=1)
    group = models.CharField(
        _("вид записи"), max_length=20, choices=Group.choices, default=Group.INDIVIDUAL
    )
    group_name = models.CharField(_("название группы"), max_length=150, blank=True)
    minors_in_group = models.PositiveSmallIntegerField(_("из них младше 18"), default=0)
    code = models.CharField(max_length=8, unique=True, default=new_registration_code)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    late_cancellation = models.BooleanField(_("поздняя отмена"), default=False)
    reason = models.TextField(_("причина"), blank=True, max_length=SHORT)
    checked_in_at = models.DateTimeField(_("пришёл"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("ушёл"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    represents = models.ForeignKey(
        Organization,
        verbose_name=_("представляет организацию"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "user"],
                condition=Q(status__in=["pending_approval", "confirmed", "waitlisted", "offered"]),
                name="one_active_registration_per_shift",
            )
        ]
        indexes = [models.Index(fields=["shift", "status"])]
        verbose_name = _("запись")
        verbose_name_plural = _("записи")

    def __str__(self) -> str:
        return f"{self.user} → {self.shift} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def is_over(self) -> bool:
        return self.shift.ends_at <= timezone.now()

    @property
    def shows_code(self) -> bool:
        """The check-in code and its QR: for a place held on a shift not yet over."""
        return self.status == self.Status.CONFIRMED and not self.is_over

    def attendance_label(self) -> str | None:
        """Once the person checked in: on the shift, or their participation marked."""
        if self.checked_in_at is None:
            return None
        if self.checked_out_at is not None or self.is_over:
            return str(_("участие отмечено"))
        return str(_("на смене"))

    def no_show_label(self) -> str:
        """A confirmed place on a shift that is over with no check-in: a no-show when the
        organiser marked attendance on that shift (anyone checked in), else just unmarked.
        Lists read it from `RegistrationQuerySet.with_attendance_known` in one query."""
        known = getattr(self, "shift_attendance_known", None)
        if known is None:
            known = self.shift.registrations.filter(checked_in_at__isnull=False).exists()
        return str(_("неявка") if known else _("нет отметки о приходе"))


_R = Registration.Status
# A signup starts confirmed, waiting for the organiser's approval or on the waiting list, as
# places and the shift allow (`registration_create`). The organiser approves or declines
# (with a reason); the volunteer cancels, leaves the waiting list or takes a place the
# platform offered them — confirmed, or waiting for approval on a shift that needs it. The
# platform offers freed places, lets unanswered offers expire and releases everyone when
# the event is cancelled.
_OFFER_GONE = _("Предложение места уже недействительно.")
REGISTRATION_WORKFLOW = Workflow(
    Registration.Status,
    (
        Move("approve", frozenset({_R.PENDING_APPROVAL}), _R.CONFIRMED, _("Принять")),
        Move(
            "decline",
            frozenset({_R.PENDING_APPROVAL, _R.WAITLISTED}),
            _R.DECLINED,
            _("Отклонить"),
            needs_reason=True,
            reason_prompt=_("Объясните волонтёру причину отказа."),
        ),
        Move(
            "accept_offer",
            frozenset({_R.OFFERED}),
            _R.CONFIRMED,
            _("Подтвердить участие"),
            refused=_OFFER_GONE,
        ),
        Move(
            "accept_offer_for_approval",
            frozenset({_R.OFFERED}),
            _R.PENDING_APPROVAL,
            _("Подтвердить участие"),
            refused=_OFFER_GONE,
        ),
        Move(
            "cancel",
            frozenset({_R.PENDING_APPROVAL, _R.CONFIRMED, _R.OFFERED}),
            _R.CANCELLED,
            _("Отменить запись"),
        ),
        Move(
            "leave_waitlist",
            frozenset({_R.WAITLISTED}),
            _R.CANCELLED,
            _("Выйти из листа ожидания"),
        ),
        Move("offer", frozenset({_R.WAITLISTED}), _R.OFFERED, _("Предложить место"), button=False),
        Move(
            "expire_offer",
            frozenset({_R.OFFERED}),
            _R.OFFER_EXPIRED,
            _("Время вышло"),
            button=False,
        ),
        Move(
            "cancel_with_event",
            frozenset(Registration.ACTIVE),
            _R.CANCELLED,
            _("Отменить вместе с мероприятием"),
            button=False,
        ),
    ),
    model=Registration,
    initial=frozenset({_R.CONFIRMED, _R.PENDING_APPROVAL, _R.WAITLISTED}),
)
