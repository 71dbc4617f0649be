"""The programme of a forum or festival (issue 16): tracks (the Civic Forum's sections),
venues (halls, park zones) with numbered stand places, sessions with their speakers and
moderators, registration per session when places are limited, the personal selection
«моё расписание», NGO stands placed on the site map, volunteer shifts linked to zones and
stands, the published versions of the programme, and the resolution of each section.

The programme belongs to one event of kind forum or festival (`events.Event`); volunteer
shifts stay the events' own shifts (`ShiftPost` only says where on the site a shift works).
"""

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dobry.core.dates import StatusInTime
from dobry.core.files import PrivateFileField
from dobry.core.models import TimeStampedModel
from dobry.core.text_limits import LONG, MESSAGE, SHORT
from dobry.core.workflow import Move, Workflow
from dobry.events.models import Event, Shift
from dobry.organizations.models import Organization

MAX_SESSION_CAPACITY = 10_000
MAX_PLACE_NUMBER = 1_000
PROGRAMME_KINDS = (Event.Kind.FORUM, Event.Kind.FESTIVAL)


class Programme(TimeStampedModel):
    """The programme of a forum or festival event. `civic_forum`: the Civic Forum, whose
    tracks are sections, each with a resolution published after the forum."""

    event = models.OneToOneField(
        Event, verbose_name=_("мероприятие"), on_delete=models.CASCADE, related_name="programme"
    )
    civic_forum = models.BooleanField(_("Гражданский форум (секции и резолюции)"), default=False)
    version = models.PositiveIntegerField(_("опубликованная версия"), default=0)
    _published_state: dict[str, dict[str, Any]] | None = None

    class Meta:
        verbose_name = _("программа")
        verbose_name_plural = _("программы")

    def __str__(self) -> str:
        return str(self.event)

    def get_absolute_url(self) -> str:
        return reverse("festivals:programme", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.version > 0

    def published_state(self) -> dict[str, dict[str, Any]]:
        """The sessions as the last published version keeps them (by id as text); {} before
        the first version. Read once per programme object."""
        cached = getattr(self, "_published_state", None)
        if cached is None:
            last = self.versions.order_by("-number").values_list("snapshot", flat=True).first()
            cached = self._published_state = last or {}
        return cached


class Track(models.Model):
    """A track of the programme; at the Civic Forum, a section."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tracks")
    title = models.CharField(_("название"), max_length=150)
    description = models.TextField(_("описание"), blank=True, max_length=SHORT)
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "title"], name="unique_track_title")
        ]
        verbose_name = _("направление")
        verbose_name_plural = _("направления")

    def __str__(self) -> str:
        return self.title


class Venue(models.Model):
    """Where sessions happen or stands stand: a hall, a park zone."""

    class Kind(models.TextChoices):
        HALL = "hall", _("зал")
        PARK_ZONE = "park_zone", _("зона парка")
        OTHER = "other", _("другое")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="venues")
    title = models.CharField(_("название"), max_length=150)
    kind = models.CharField(_("вид"), max_length=20, choices=Kind.choices, default=Kind.HALL)
    description = models.CharField(_("как найти"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "title"], name="unique_venue_title")
        ]
        verbose_name = _("площадка")
        verbose_name_plural = _("площадки")

    def __str__(self) -> str:
        return self.title


class StandPlace(models.Model):
    """A numbered place for a stand in a zone of the site map."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="places")
    number = models.PositiveSmallIntegerField(
        _("номер места"), validators=[MinValueValidator(1), MaxValueValidator(MAX_PLACE_NUMBER)]
    )

    class Meta:
        ordering = ["venue__position", "venue_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "number"], name="unique_stand_place_number")
        ]
        verbose_name = _("место для стенда")
        verbose_name_plural = _("места для стендов")

    def __str__(self) -> str:
        return f"{self.venue} № {self.number}"


class Session(models.Model):
    """A session of the programme. `capacity`: places for those who register; empty —
    no registration needed, come freely."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("по плану")
        CANCELLED = "cancelled", _("отменено")

    # A scheduled session that has ended reads «прошла» (`core.dates.status_text`).
    STATUS_IN_TIME = StatusInTime(
        ends=lambda session: session.ends_at, past={Status.SCHEDULED: _("прошла")}
    )

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sessions")
    track = models.ForeignKey(
        Track,
        verbose_name=_("направление"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    venue = models.ForeignKey(
        Venue, verbose_name=_("площадка"), on_delete=models.PROTECT, related_name="sessions"
    )
    title = models.CharField(_("название"), max_length=200)
    description = models.TextField(_("описание"), blank=True, max_length=LONG)
    starts_at = models.DateTimeField(_("начало"))
    ends_at = models.DateTimeField(_("окончание"))
    capacity = models.PositiveIntegerField(
        _("мест по записи"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSION_CAPACITY)],
        help_text=_("Пусто — запись не нужна."),
    )
    status = models.CharField(
        _("статус"), max_length=12, choices=Status.choices, default=Status.SCHEDULED
    )

    class Meta:
        ordering = ["starts_at", "venue__position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]
        verbose_name = _("сессия программы")
        verbose_name_plural = _("сессии программы")

    def __str__(self) -> str:
        return self.title

    @property
    def needs_registration(self) -> bool:
        return self.capacity is not None

    @property
    def has_started(self) -> bool:
        """Places are taken and given back only before (`permissions.can_register`)."""
        return self.starts_at <= timezone.now()


_S = Session.Status
# Organisers cancel a session (told with the next version) and may bring it back.
SESSION_WORKFLOW = Workflow(
    Session.Status,
    (
        Move("cancel", frozenset({_S.SCHEDULED}), _S.CANCELLED, _("Отменить сессию")),
        Move("restore", frozenset({_S.CANCELLED}), _S.SCHEDULED, _("Вернуть в программу")),
    ),
    model=Session,
)


class Speaker(models.Model):
    """A speaker or moderator of a session (a person of the platform or a guest)."""

    class Role(models.TextChoices):
        SPEAKER = "speaker", _("спикер")
        MODERATOR = "moderator", _("модератор")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="speakers")
    role = models.CharField(_("роль"), max_length=12, choices=Role.choices, default=Role.SPEAKER)
    name = models.CharField(_("имя"), max_length=150)
    about = models.CharField(_("кто это"), max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["role", "pk"]
        verbose_name = _("спикер или модератор")
        verbose_name_plural = _("спикеры и модераторы")

    def __str__(self) -> str:
        return self.name


class SessionRegistration(models.Model):
    """A place taken on a session with limited places (`Session.capacity`), and whether the
    person came (`attended_at`, marked by the organisers at the door)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_registrations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # who marked it is in the audit log («programme.attendance»)
    attended_at = models.DateTimeField(_("пришёл"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_registration_per_session")
        ]
        verbose_name = _("запись на сессию")
        verbose_name_plural = _("записи на сессии")

    def __str__(self) -> str:
        return f"{self.user} → {self.session}"


class Selection(models.Model):
    """A session in a person's «моё расписание»."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="selections")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_selections"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_selection_per_session")
        ]
        verbose_name = _("сессия в моём расписании")
        verbose_name_plural = _("сессии в моём расписании")

    def __str__(self) -> str:
        return f"{self.user} → {self.session}"


class StandApplication(TimeStampedModel):
    """An organisation's application for a stand: what it will show; staff accept it and
    place it on a numbered place (never two accepted stands on one place: the database's
    constraint `one_stand_per_place`)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("подана")
        ACCEPTED = "accepted", _("принята")
        DECLINED = "declined", _("отклонена")
        WITHDRAWN = "withdrawn", _("отозвана")

    ACTIVE = (Status.SUBMITTED, Status.ACCEPTED)

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="stands")
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.CASCADE,
        related_name="stand_applications",
    )
    exhibit = models.TextField(_("что покажете на стенде"), max_length=MESSAGE)
    needs = models.CharField(_("что нужно для стенда"), max_length=300, blank=True)
    status = models.CharField(
        _("статус"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    place = models.ForeignKey(
        StandPlace,
        verbose_name=_("место"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stands",
    )
    reason = models.TextField(_("причина"), blank=True, max_length=SHORT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["place"],
                condition=Q(status="accepted", place__isnull=False),
                name="one_stand_per_place",
            ),
            models.UniqueConstraint(
                fields=["programme", "organization"],
                condition=Q(status__in=["submitted", "accepted"]),
                name="one_active_stand_application",
            ),
        ]
        verbose_name = _("заявка на стенд")
        verbose_name_plural = _("заявки на стенды")

    def __str__(self) -> str:
        return f"{self.organization}: {self.get_status_display()}"


_A = StandApplication.Status
# The organisers accept an application on a place (or move it to another place) or decline
# it with a reason; the organisation withdraws it while it stands.
STAND_WORKFLOW = Workflow(
    StandApplication.Status,
    (
        Move(
            "accept",
            frozenset({_A.SUBMITTED, _A.ACCEPTED}),
            _A.ACCEPTED,
            _("Принять и поставить"),
            refused=_("Заявка уже не действует."),
        ),
        Move(
            "decline",
            frozenset({_A.SUBMITTED}),
            _A.DECLINED,
            _("Отклонить"),
            needs_reason=True,
            refused=_("Отклонить можно только поданную заявку."),
            reason_prompt=_("Объясните организации причину отказа."),
        ),
        Move(
            "withdraw",
            frozenset({_A.SUBMITTED, _A.ACCEPTED}),
            _A.WITHDRAWN,
            _("Отозвать"),
            refused=_("Заявка уже не действует."),
        ),
    ),
    model=StandApplication,
)


class ShiftPost(models.Model):
    """Where on the site a volunteer shift of the event works: a zone (venue) or a stand.
    The shift itself, its signups and check-in are the events' own."""

    shift = models.OneToOneField(Shift, on_delete=models.CASCADE, related_name="post")
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("зона"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="shift_posts",
    )
    stand = models.ForeignKey(
        StandApplication,
        verbose_name=_("стенд"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="shift_posts",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(venue__isnull=False, stand__isnull=True)
                | Q(venue__isnull=True, stand__isnull=False),
                name="shift_post_zone_or_stand",
            )
        ]
        verbose_name = _("место смены на площадке")
        verbose_name_plural = _("места смен на площадке")

    def __str__(self) -> str:
        return str(self.venue or self.stand)


class ProgrammeVersion(models.Model):
    """A published version of the programme: its number, what changed since the version
    before (`changes`: lines of text written when published) and the sessions as they were
    (`snapshot`, the next version's base). Those who selected or registered for a changed
    session are told once, when the version is published."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("номер"))
    published_at = models.DateTimeField(_("опубликована"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changes = models.JSONField(_("что изменилось"), default=list)
    snapshot = models.JSONField(default=dict)
    notified = models.PositiveIntegerField(_("уведомлено человек"), default=0)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="unique_programme_version")
        ]
        verbose_name = _("версия программы")
        verbose_name_plural = _("версии программы")

    def __str__(self) -> str:
        return f"{self.programme}: {self.number}"


class Resolution(models.Model):
    """The resolution of a section of the Civic Forum: a document, public once published
    (before, its organisers only)."""

    track = models.OneToOneField(Track, on_delete=models.CASCADE, related_name="resolution")
    summary = models.TextField(_("главное"), blank=True, max_length=MESSAGE)
    file = PrivateFileField(
        _("документ"), prefix="festivals/resolutions", name_field="original_name", blank=True
    )
    original_name = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(_("опубликована"), null=True, blank=True)

    class Meta:
        verbose_name = _("резолюция секции")
        verbose_name_plural = _("резолюции секций")

    def __str__(self) -> str:
        return str(self.track)
