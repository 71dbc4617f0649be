import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedTextField

from dobry.core.clock import happened_by_today, local_today
from dobry.core.models import District, TimeStampedModel
from dobry.core.numbers import plain_number
from dobry.core.references import ReferenceField
from dobry.core.text_limits import SHORT
from dobry.core.workflow import Move, Workflow


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


# Under this age a volunteer takes part (shifts, a public profile) with a parent's consent.
ADULT_AGE = 18


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# The cells of a week a volunteer may say they are free in: «mon-morning» … «sun-evening».
AVAILABILITY_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
AVAILABILITY_PARTS = ("morning", "day", "evening")
AVAILABILITY_SLOTS = tuple(f"{d}-{p}" for d in AVAILABILITY_DAYS for p in AVAILABILITY_PARTS)
# The oldest a volunteer's date of birth may make them.
MAX_AGE = 110


class VolunteerProfile(TimeStampedModel):
    """What a volunteer tells organisers about themselves. One per user, made on demand."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_profile"
    )
    date_of_birth = models.DateField(_("дата рождения"), null=True, blank=True)
    skills = models.TextField(
        _("навыки"),
        blank=True,
        help_text=_("Через запятую: вожу машину, фотограф, знаю жестовый язык…"),
        max_length=SHORT,
    )
    interests = models.JSONField(_("интересы (направления)"), default=list, blank=True)
    districts = models.ManyToManyField(District, verbose_name=_("районы"), blank=True)
    availability = models.JSONField(
        _("когда могу помогать"),
        default=list,
        blank=True,
        help_text=_("Ячейки недели вида «mon-morning»."),
    )
    languages = models.CharField(_("языки"), max_length=200, blank=True)
    woman = models.BooleanField(
        _("я женщина"),
        default=False,
        help_text=_(
            "Необязательно. Отметьте, если готовы откликаться на просьбы, где нужна "
            "помощница-женщина."
        ),
    )
    # Health data (152-ФЗ art. 10): kept only under the volunteer's written consent, as a
    # Fernet token; organisers of the person's shifts read it through an audited service.
    accessibility_needs = EncryptedTextField(
        _("что нужно для моего участия"),
        null=True,
        blank=True,
        help_text=_(
            "Например: нужен пандус, сопровождающий, крупный шрифт. Это сведения о здоровье: "
            "их принимают только с письменным согласием и видят только организаторы ваших "
            "смен."
        ),
        max_length=SHORT,
    )
    emergency_contact = models.CharField(
        _("контакт на экстренный случай"), max_length=200, blank=True
    )
    parental_consent_by = models.CharField(
        _("согласие родителя (законного представителя): ФИО"), max_length=200, blank=True
    )
    parental_consent_at = models.DateTimeField(
        _("согласие родителя получено"), null=True, blank=True
    )
    parental_consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    public_profile = models.BooleanField(_("показывать мой профиль другим"), default=False)
    calendar_token = models.CharField(max_length=43, unique=True, default=new_calendar_token)
    weekly_digest = models.BooleanField(
        _("присылать раз в неделю подборку подходящих дел"), default=False
    )
    last_digest_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("профиль волонтёра")
        verbose_name_plural = _("профили волонтёров")

    def __str__(self) -> str:
        return str(self.user)

    def age(self, on: date | None = None) -> int | None:
        if self.date_of_birth is None:
            return None
        return age_on(self.date_of_birth, on or local_today())

    @property
    def has_parental_consent(self) -> bool:
        return self.parental_consent_at is not None


class Qualification(models.Model):
    """A skill or document a shift may require (медкнижка, first aid course, driving licence)."""

    name = models.CharField(_("название"), max_length=150, unique=True)
    slug = models.SlugField(_("код"), max_length=60, unique=True)
    expires = models.BooleanField(_("имеет срок действия"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("квалификация")
        verbose_name_plural = _("квалификации")

    def __str__(self) -> str:
        return self.name


class VolunteerQualificationQuerySet(models.QuerySet["VolunteerQualification"]):
    def valid_on(self, day: date) -> "VolunteerQualificationQuerySet":
        return self.filter(models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day))


class VolunteerQualification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="qualifications"
    )
    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="+")
    valid_until = models.DateField(_("действует до"), null=True, blank=True)

    objects = VolunteerQualificationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "qualification"], name="unique_user_qualification"
            )
        ]
        verbose_name = _("квалификация волонтёра")
        verbose_name_plural = _("квалификации волонтёров")

    def __str__(self) -> str:
        return f"{self.user}: {self.qualification}"


class HoursEntryQuerySet(models.QuerySet["HoursEntry"]):
    def confirmed(self) -> "HoursEntryQuerySet":
        return self.filter(status=HoursEntry.Status.CONFIRMED)

    def pending(self) -> "HoursEntryQuerySet":
        return self.filter(status=HoursEntry.Status.PENDING)

    def happened(self) -> "HoursEntryQuerySet":
        """Hours dated by today (`clock.happened_by_today`): services refuse future dates,
        and anything dated ahead (imported, or from before they did) is not counted."""
        return self.filter(happened_by_today("date"))


class HoursEntry(models.Model):
    """A line of the hours ledger. Entries are confirmed, adjusted or declined — never
    deleted — so the record book and the reports can be traced back."""

    class Status(models.TextChoices):
        PENDING = "pending", _("ждёт подтверждения")
        CONFIRMED = "confirmed", _("подтверждено")
        DECLINED = "declined", _("отклонено")

    class Source(models.TextChoices):
        ATTENDANCE = "attendance", _("отметка прихода и ухода")
        BULK = "bulk", _("отметка по списку")
        CLAIM = "claim", _("заявлено волонтёром")
        HELP_REQUEST = "help_request", _("помощь по просьбе")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hours_entries"
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="hours_entries"
    )
    registration = models.OneToOneField(
        "events.Registration",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hours_entry",
    )
    date = models.DateField(_("дата"))
    hours = models.DecimalField(_("часы"), max_digits=5, decimal_places=2)
    claimed_hours = models.DecimalField(_("заявлено часов"), max_digits=5, decimal_places=2)
    area = models.CharField(_("направление"), max_length=40, blank=True)
    description = models.TextField(_("что было сделано"), blank=True, max_length=SHORT)
    source = models.CharField(_("источник"), max_length=12, choices=Source.choices)
    # what the hours were given for, in an app above this one (a help request)
    origin = ReferenceField(_("основание"))
    status = models.CharField(
        _("статус"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    reason = models.TextField(_("причина изменения или отказа"), blank=True, max_length=SHORT)
    thanks = models.TextField(_("благодарность организатора"), blank=True, max_length=SHORT)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HoursEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [ReferenceField.whole("origin", constraint="hours_entry_origin_whole")]
        indexes = [
            # one person's record book, and the reports' sums per person: with the hours in
            # the index, a year of 10 million entries sums in 0.8 s on SQLite, not 19 s
            models.Index(fields=["user", "status", "date", "hours"]),
            models.Index(fields=["organization", "status"]),
        ]
        verbose_name = _("запись о часах")
        verbose_name_plural = _("часы волонтёров")

    def __str__(self) -> str:
        return f"{self.user}: {plain_number(self.hours)} ч, {self.date:%d.%m.%Y}"


_H = HoursEntry.Status
# Claimed (or recorded from attendance) hours wait for the organisation: confirmed as they
# are, adjusted (confirmed with other hours, which needs a reason) or declined (a reason).
HOURS_WORKFLOW = Workflow(
    HoursEntry.Status,
    (
        Move(
            "confirm",
            frozenset({_H.PENDING}),
            _H.CONFIRMED,
            _("Подтвердить"),
            refused=_("Эти часы уже рассмотрены."),
        ),
        Move(
            "adjust",
            frozenset({_H.PENDING}),
            _H.CONFIRMED,
            _("Подтвердить с изменением"),
            needs_reason=True,
            refused=_("Эти часы уже рассмотрены."),
            reason_prompt=_("Объясните, почему часы изменены."),
            button=False,
        ),
        Move(
            "decline",
            frozenset({_H.PENDING}),
            _H.DECLINED,
            _("Отклонить"),
            needs_reason=True,
            refused=_("Эти часы уже рассмотрены."),
        ),
    ),
    model=HoursEntry,
)
