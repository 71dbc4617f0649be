from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedTextField

from dobry.accounts.personal_data import ACCOUNT_ERASED
from dobry.core.clock import local_today
from dobry.core.dates import StatusInTime
from dobry.core.files import PrivateFileField
from dobry.core.models import District, TimeStampedModel
from dobry.core.text_limits import LONG, MESSAGE, SHORT
from dobry.core.validators import validate_person_name
from dobry.core.workflow import Move, Workflow
from dobry.organizations.models import Organization


class Category(models.TextChoices):
    DELIVERY = "delivery", _("Доставка продуктов и лекарств")
    ACCOMPANIMENT = "accompaniment", _("Сопровождение в поликлинику или учреждение")
    HOME = "home", _("Помощь по дому")
    TRANSPORT = "transport", _("Транспорт")
    DIGITAL = "digital", _("Помощь с телефоном и компьютером")
    TUTORING = "tutoring", _("Занятия с детьми")
    COMPANY = "company", _("Общение")
    FAMILY_DISABILITY = "family_disability", _("Помощь семье с ребёнком с инвалидностью")
    LEGAL = "legal", _("Правовая помощь и льготы")
    OTHER = "other", _("Другое")


class Funding(models.TextChoices):
    BUDGET = "budget", _("бюджет")
    EXTRA_BUDGETARY = "extra_budgetary", _("внебюджетные средства")
    GRANT = "grant", _("грант")


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def of_verified(self) -> "ProgrammeQuerySet":
        """Programmes of verified organisations: a returned or blocked organisation's
        programmes leave the catalogue, the routing and the counts until it is verified."""
        return self.filter(organization__status=Organization.Status.VERIFIED)

    def running(self, on: object = None) -> "ProgrammeQuerySet":
        """Active programmes of verified organisations running on `on` (the city's today)."""
        day = on or local_today()
        return (
            self.of_verified()
            .filter(is_active=True, starts_on__lte=day)
            .filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=day))
        )


class Programme(TimeStampedModel):
    """An organisation's ongoing programme of help (the passport counts 23)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    name = models.CharField(_("название"), max_length=200)
    category = models.CharField(_("вид помощи"), max_length=30, choices=Category.choices)
    target_group = models.CharField(_("кому помогаем"), max_length=300)
    description = models.TextField(_("описание"), blank=True, max_length=LONG)
    districts = models.ManyToManyField(District, verbose_name=_("районы"), blank=True)
    starts_on = models.DateField(_("с"))
    ends_on = models.DateField(_("по"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("сколько человек может принять"), null=True, blank=True
    )
    funding = models.JSONField(_("источники финансирования"), default=list, blank=True)
    is_active = models.BooleanField(_("работает"), default=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("программа помощи")
        verbose_name_plural = _("программы помощи")

    def __str__(self) -> str:
        return self.name

    @property
    def funding_labels(self) -> list[str]:
        return [str(Funding(f).label) for f in self.funding if f in Funding.values]


class ProgrammeRecord(models.Model):
    """How many people a programme helped in a month beyond the platform's requests
    (parcels handed out, visits of a standing care programme): the passport counts them
    among the residents helped. «Впервые» lets a period count each regular once."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="records", verbose_name=_("программа")
    )
    month = models.DateField(_("месяц"))
    people = models.PositiveIntegerField(_("получили помощь в этом месяце, человек"))
    first_time = models.PositiveIntegerField(_("из них впервые в этой программе"))
    note = models.TextField(_("комментарий"), blank=True, max_length=SHORT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The public KPI counts a record only once a coordinator confirmed it (one they enter
    # themselves is confirmed by entering it); an organisation's correction asks again.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("подтверждена координатором"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "month"], name="one_record_a_month"),
            models.CheckConstraint(
                condition=models.Q(first_time__lte=models.F("people")),
                name="first_time_within_people",
            ),
        ]
        verbose_name = _("запись программы о получателях помощи")
        verbose_name_plural = _("записи программ о получателях помощи")

    def __str__(self) -> str:
        return f"{self.programme}: {self.month:%m.%Y}"


class HelpRequest(TimeStampedModel):
    """A request for help. Only `summary` and `district` are public; the recipient's name,
    phone, address and details are private; health data is encrypted and audited."""

    class Status(models.TextChoices):
        NEW = "new", _("новая")
        VERIFIED = "verified", _("проверена")
        MATCHING = "matching", _("подбор помощника")
        OFFERED = "offered", _("предложена волонтёрам")
        ASSIGNED = "assigned", _("помощник найден")
        IN_PROGRESS = "in_progress", _("помощь оказывается")
        DONE = "done", _("выполнена")
        WAITING = "waiting", _("ждём ответа получателя")
        CANCELLED = "cancelled", _("отменена")
        REJECTED = "rejected", _("отклонена")

    class Priority(models.IntegerChoices):
        LOW = 0, _("обычная")
        HIGH = 1, _("срочная")
        CRITICAL = 2, _("очень срочная")

    class Relation(models.TextChoices):
        SELF = "self", _("для себя")
        RELATIVE = "relative", _("для родственника или знакомого")
        SOCIAL_WORKER = "social_worker", _("социальный работник")
        PHONE_CALL = "phone_call", _("принята по телефону")

    class Recurrence(models.TextChoices):
        ONCE = "once", _("один раз")
        WEEKLY = "weekly", _("каждую неделю")
        MONTHLY = "monthly", _("каждый месяц")

    OPEN = (
        Status.NEW,
        Status.VERIFIED,
        Status.MATCHING,
        Status.OFFERED,
        Status.ASSIGNED,
        Status.IN_PROGRESS,
        Status.WAITING,
    )
    ACTIVE_TASK = (Status.ASSIGNED, Status.IN_PROGRESS)

    category = models.CharField(_("чем помочь"), max_length=30, choices=Category.choices)
    summary = models.CharField(_("коротко (видят все, без имён и адреса)"), max_length=140)
    details = models.TextField(_("что именно нужно"), max_length=MESSAGE)
    district = models.ForeignKey(
        District,
        verbose_name=_("район"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.CharField(_("адрес"), max_length=300, blank=True)
    recipient_name = models.CharField(
        _("кому помочь: имя"), max_length=200, validators=[validate_person_name]
    )
    recipient_phone = models.CharField(_("телефон"), max_length=16, blank=True, db_index=True)
    # The health data itself lives in HealthInfo, fetched only by the audited read; lists
    # and pages need only to know that there is some.
    has_health_info = models.BooleanField(_("есть сведения о здоровье"), default=False)
    # Likewise for the scan of the paper consent kept with them (HealthInfo.consent_scan):
    # the page offers its download without fetching the row.
    has_consent_scan = models.BooleanField(_("есть скан согласия"), default=False)
    asap = models.BooleanField(_("как можно скорее"), default=False)
    wanted_from = models.DateTimeField(_("с"), null=True, blank=True)
    wanted_to = models.DateTimeField(_("до"), null=True, blank=True)
    recurrence = models.CharField(
        _("как часто"), max_length=10, choices=Recurrence.choices, default=Recurrence.ONCE
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="occurrences"
    )
    volunteers_needed = models.PositiveSmallIntegerField(_("сколько помощников"), default=1)
    needs_car = models.BooleanField(_("нужен автомобиль"), default=False)
    woman_volunteer = models.BooleanField(_("нужна помощница-женщина"), default=False)
    adults_only = models.BooleanField(_("только совершеннолетние"), default=False)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто просит"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="help_requests",
    )
    # The coordinator who registered a request taken by phone or in person: not the person
    # who asked (`requester` is None then), so they get no resident's messages, no rating
    # form and no unaudited reading of the recipient's data.
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто зарегистрировал"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    relation = models.CharField(
        _("кто просит"), max_length=20, choices=Relation.choices, default=Relation.SELF
    )
    status = models.CharField(
        _("статус"), max_length=12, choices=Status.choices, default=Status.NEW, db_index=True
    )
    priority = models.PositiveSmallIntegerField(
        _("срочность"), choices=Priority.choices, default=Priority.LOW
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("программа"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    possible_duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("возможный повтор"),
    )
    reason = models.TextField(_("причина"), blank=True, max_length=SHORT)
    rating = models.PositiveSmallIntegerField(_("оценка помощи"), null=True, blank=True)
    feedback = models.TextField(_("отзыв"), blank=True, max_length=SHORT)
    closed_at = models.DateTimeField(null=True, blank=True)
    invited_at = models.DateTimeField(_("приглашён в волонтёры"), null=True, blank=True)
    minimised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-priority", "created_at"]
        indexes = [
            # the coordinators' queue in its order, open requests only: a region's 10,000 open
            # among 200,000 were sorted on every visit (37 ms). The statuses are `OPEN`'s
            # (a Meta cannot name the class's own; a test holds them equal).
            models.Index(
                fields=["-priority", "created_at", "id"],
                condition=models.Q(
                    status__in=[
                        "new", "verified", "matching", "offered", "assigned", "in_progress",
                        "waiting",
                    ]
                ),
                name="help_queue_order",
            )
        ]  # fmt: skip
        verbose_name = _("просьба о помощи")
        verbose_name_plural = _("просьбы о помощи")

    def __str__(self) -> str:
        return self.summary_text

    def get_absolute_url(self) -> str:
        return reverse("helprequests:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def summary_text(self) -> str:
        """The public summary in the reader's language when the platform wrote it (kept
        as its source text, `SYSTEM_SUMMARIES`: the demo year's «Помощь жителю выполнена»);
        what a person typed, as typed. Pages, messages and the API show this."""
        return gettext(self.summary) if self.summary in SYSTEM_SUMMARIES else self.summary

    @property
    def reason_text(self) -> str:
        """The reason in the reader's language when the platform gave it (kept as its
        source text, `SYSTEM_REASONS`); what a person typed, as typed."""
        return gettext(self.reason) if self.reason in SYSTEM_REASONS else self.reason


# Reasons the platform gives itself when it moves a request: stored as their Russian
# source text whatever language the actor used, and read in the reader's (`reason_text`,
# and the audit journal's «причина», `core.audit.SYSTEM_TEXT_KEYS`).
CANCELLED_BY_REQUESTER = gettext_noop("Отменена тем, кто просил о помощи.")
SYSTEM_REASONS = frozenset({ACCOUNT_ERASED, CANCELLED_BY_REQUESTER})
# Summaries the platform writes itself (generated records of help given), stored as their
# source text and read in the reader's language (`summary_text`).
HELP_GIVEN_SUMMARY = gettext_noop("Помощь жителю выполнена")
SYSTEM_SUMMARIES = frozenset({HELP_GIVEN_SUMMARY})


# How the written consent for health data was given, when a coordinator registered the
# request for the resident (the audit entry of the submission keeps it; a resident's own
# consent keeps its `ConsentRecord.Method`).
HEALTH_CONSENT_PAPER_SCAN = "paper_scan"


_S = HelpRequest.Status


def _to(target: str, sources: set[str], *, reason: bool = False, manual: bool = True) -> Move:
    """A move of a help request is named by where it leads: the coordinators' select
    chooses the new status, and the services move «to» one. `manual=False` marks a status
    the platform sets through another step (`Move.button`): «offered» by an offer,
    «assigned» by a volunteer accepting one, «in progress» by the helper's report, «done»
    by closing the request after a report — never by the status select."""
    return Move(
        target,
        frozenset(sources),
        target,
        _S(target).label,
        needs_reason=reason,
        reason_prompt=_("Укажите причину.") if reason else None,
        button=manual,
    )


# The triage of a request, as the coordinators' guide describes it: checked (or a question
# for the person who asked: «waiting», with a reason), matched with helpers by offers, a
# helper found, help given; refused or cancelled (with a reason) until it is done. The
# platform makes the moves that are not `manual` when offers are made, answered or expire,
# help is reported and the request closed; who makes which manual move is
# `permissions.can_move`.
HELP_REQUEST_WORKFLOW = Workflow(
    HelpRequest.Status,
    (
        _to(_S.VERIFIED, {_S.NEW, _S.WAITING}),
        _to(_S.MATCHING, {_S.VERIFIED, _S.OFFERED, _S.ASSIGNED, _S.IN_PROGRESS, _S.WAITING}),
        _to(_S.OFFERED, {_S.MATCHING}, manual=False),
        _to(_S.ASSIGNED, {_S.MATCHING, _S.OFFERED}, manual=False),
        _to(_S.IN_PROGRESS, {_S.ASSIGNED}, manual=False),
        _to(_S.DONE, {_S.ASSIGNED, _S.IN_PROGRESS}, manual=False),
        _to(_S.WAITING, {_S.NEW, _S.VERIFIED, _S.MATCHING, _S.OFFERED}, reason=True),
        _to(
            _S.CANCELLED,
            {_S.NEW, _S.VERIFIED, _S.MATCHING, _S.OFFERED, _S.ASSIGNED, _S.IN_PROGRESS, _S.WAITING},
            reason=True,
        ),
        _to(_S.REJECTED, {_S.NEW, _S.VERIFIED, _S.WAITING}, reason=True),
    ),
    model=HelpRequest,
)


class HealthInfo(models.Model):
    """Health or disability information about the person helped (152-ФЗ art. 10): its own
    row, so that loading a request (queue, matching, lists) never decrypts it; only
    `services.private_data.health_info_read` fetches it, and every such read is audited."""

    help_request = models.OneToOneField(
        HelpRequest, on_delete=models.CASCADE, primary_key=True, related_name="health"
    )
    # Stored as a Fernet token.
    text = EncryptedTextField(_("сведения о здоровье и инвалидности"), max_length=SHORT)
    consent_version = models.PositiveIntegerField(_("версия согласия"), null=True, blank=True)
    consent_at = models.DateTimeField(_("согласие дано"))
    # The written consent (art. 9 part 4) of a resident whose request a coordinator took by
    # phone or in person: the scan of the signed form. Empty when the person gave their own
    # consent online. No column for the uploaded name: it may hold the person's name.
    consent_scan = PrivateFileField(
        _("скан согласия на обработку сведений о здоровье"), prefix="health-consents", blank=True
    )

    class Meta:
        verbose_name = _("сведения о здоровье")
        verbose_name_plural = _("сведения о здоровье")

    def __str__(self) -> str:
        return str(self.help_request)


class HelpOffer(models.Model):
    """A request offered to a volunteer, who accepts or declines before it expires."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("предложено")
        ACCEPTED = "accepted", _("принято")
        DECLINED = "declined", _("отказ")
        EXPIRED = "expired", _("время вышло")
        WITHDRAWN = "withdrawn", _("отозвано")

    # Unanswered past its time the offer is over, before the job marks it (`offers_expire`).
    STATUS_IN_TIME = StatusInTime(
        ends=lambda offer: offer.expires_at, past={Status.OFFERED: Status.EXPIRED.label}
    )

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="offers")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="help_offers"
    )
    status = models.CharField(
        _("статус"), max_length=10, choices=Status.choices, default=Status.OFFERED
    )
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(_("ответить до"))
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "volunteer"],
                condition=models.Q(status__in=["offered", "accepted"]),
                name="one_live_offer_per_volunteer",
            )
        ]
        verbose_name = _("предложение помощи")
        verbose_name_plural = _("предложения помощи")

    def __str__(self) -> str:
        return f"{self.request} → {self.volunteer}"


_O = HelpOffer.Status
# The volunteer accepts or declines before the offer expires; the platform expires it, and
# withdraws it when the request closes or has enough helpers (accepted ones too, unless the
# help was given).
OFFER_WORKFLOW = Workflow(
    HelpOffer.Status,
    (
        Move(
            "accept",
            frozenset({_O.OFFERED}),
            _O.ACCEPTED,
            _("Помогу"),
            refused=_("Предложение уже недействительно."),
        ),
        Move(
            "decline",
            frozenset({_O.OFFERED}),
            _O.DECLINED,
            _("Не смогу"),
            refused=_("Предложение уже недействительно."),
        ),
        Move("expire", frozenset({_O.OFFERED}), _O.EXPIRED, _("Время вышло"), button=False),
        Move(
            "withdraw",
            frozenset({_O.OFFERED, _O.ACCEPTED}),
            _O.WITHDRAWN,
            _("Отозвать"),
            button=False,
        ),
    ),
    model=HelpOffer,
)


class HelpReport(models.Model):
    """What a volunteer did, and how long it took; the hours go to the record book."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="reports")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="help_reports"
    )
    text = models.TextField(_("что сделано"), max_length=MESSAGE)
    hours = models.DecimalField(_("часов"), max_digits=5, decimal_places=2)
    # the city's day the help was given: the record book's entry is dated by it
    day = models.DateField(_("день помощи"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "volunteer"], name="one_report_per_volunteer"
            )
        ]
        verbose_name = _("отчёт о помощи")
        verbose_name_plural = _("отчёты о помощи")

    def __str__(self) -> str:
        return f"{self.request}: {self.volunteer}"
