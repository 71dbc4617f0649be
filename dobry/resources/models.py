from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dobry.core.clock import happened_by_today, local_date, local_time
from dobry.core.dates import StatusInTime
from dobry.core.files import PrivateFileField
from dobry.core.references import ReferenceField
from dobry.core.search import SearchableModel
from dobry.core.text_limits import LONG, MESSAGE, SHORT
from dobry.core.workflow import Move, Workflow
from dobry.organizations.models import Organization


class SupportKind(models.TextChoices):
    """The passport's six kinds of support."""

    ADMINISTRATIVE = "administrative", _("административная")
    ORGANISATIONAL = "organisational", _("организационная")
    INFORMATIONAL = "informational", _("информационная")
    CONSULTING = "consulting", _("консультационная")
    PROPERTY = "property", _("имущественная")
    FINANCIAL = "financial", _("финансовая")


class Giver(models.TextChoices):
    RESOURCE_CENTRE = "resource_centre", _("ресурсный центр")
    ADMINISTRATION = "administration", _("администрация")
    ENTERPRISE = "enterprise", _("предприятие")
    MUNICIPAL = "municipal", _("муниципальное учреждение")


class SupportRecordQuerySet(models.QuerySet["SupportRecord"]):
    def in_period(self, start: object = None, end: object = None) -> "SupportRecordQuerySet":
        queryset = self
        if start:
            queryset = queryset.filter(date__gte=start)
        if end:
            queryset = queryset.filter(date__lte=end)
        return queryset

    def happened(self) -> "SupportRecordQuerySet":
        """Support given by today: a room booked for next week is not support yet
        (`clock.happened_by_today`)."""
        return self.filter(happened_by_today("date"))


class SupportRecord(models.Model):
    """One act of support, recorded once. Entries made automatically from other records
    (a closed consultation, a room used, a grant paid) name their source, and the source
    can give each kind of support only once."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация или группа"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="support_records",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("житель (создаёт организацию или группу)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_records",
    )
    kind = models.CharField(_("вид поддержки"), max_length=20, choices=SupportKind.choices)
    date = models.DateField(_("дата"))
    description = models.TextField(_("что именно"), max_length=SHORT)
    giver = models.CharField(
        _("кто оказал"), max_length=20, choices=Giver.choices, default=Giver.RESOURCE_CENTRE
    )
    giver_name = models.CharField(_("подразделение или организация"), max_length=200, blank=True)
    value_rub = models.DecimalField(
        _("стоимость, руб."), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # the record it was made from (a consultation, a room booking, a seminar attended…)
    source = ReferenceField(_("источник"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupportRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_kind", "source_pk", "kind"],
                condition=~Q(source_kind=""),
                name="one_support_record_per_source_and_kind",
            ),
            ReferenceField.whole("source", constraint="support_record_source_whole"),
            models.CheckConstraint(
                condition=Q(organization__isnull=False) | Q(person__isnull=False),
                name="support_record_has_a_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "date"]),
            models.Index(fields=["organization", "date"]),
        ]
        verbose_name = _("запись о поддержке")
        verbose_name_plural = _("реестр поддержки")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.recipient_name} ({self.date:%d.%m.%Y})"

    @property
    def recipient_name(self) -> str:
        if self.organization_id:
            return str(self.organization)
        return str(self.person) if self.person_id else "—"


class Consultation(models.Model):
    class Topic(models.TextChoices):
        REGISTRATION = "registration", _("Регистрация НКО")
        REPORTING = "reporting", _("Бухгалтерия и отчётность в Минюст")
        GRANTS = "grants", _("Грантовые заявки")
        PROCUREMENT = "procurement", _("Закупки по 44-ФЗ")
        LEGAL = "legal", _("Юридические вопросы")
        PR = "pr", _("PR и СМИ")
        PREMISES = "premises", _("Помещения")
        OTHER = "other", _("Другое")

    class Status(models.TextChoices):
        NEW = "new", _("новая")
        IN_PROGRESS = "in_progress", _("в работе")
        CLOSED = "closed", _("закрыта")

    class Channel(models.TextChoices):
        ONLINE = "online", _("на платформе")
        IN_PERSON = "in_person", _("лично")
        PHONE = "phone", _("по телефону")

    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто спрашивает"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("от имени организации"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )
    topic = models.CharField(_("тема"), max_length=20, choices=Topic.choices)
    subject = models.CharField(_("коротко о вопросе"), max_length=200)
    channel = models.CharField(
        _("как проходила"), max_length=12, choices=Channel.choices, default=Channel.ONLINE
    )
    status = models.CharField(
        _("статус"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("консультант"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations_taken",
    )
    summary = models.TextField(_("итог консультации"), blank=True, max_length=MESSAGE)
    rating = models.PositiveSmallIntegerField(_("оценка"), null=True, blank=True)
    rating_comment = models.TextField(_("отзыв"), blank=True, max_length=SHORT)
    created_at = models.DateTimeField(_("создана"), auto_now_add=True, db_index=True)
    taken_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("закрыта"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("консультация")
        verbose_name_plural = _("консультации")

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("resources:consultation", args=[self.pk])

    @property
    def who(self) -> str:
        """Who the consultation was for: the organisation, else the asker, else «—».

        A consultation recorded in person may have no asker, and an asker who deleted
        the account leaves none either.
        """
        if self.organization_id:
            return str(self.organization)
        if self.asker_id and self.asker is not None:
            return self.asker.display_name
        return "—"


_C = Consultation.Status
# A consultant takes a new question (or answers it, which takes it) and closes it with a
# summary: the closing is the consulting support of the asker's organisation.
CONSULTATION_WORKFLOW = Workflow(
    Consultation.Status,
    (
        Move("take", frozenset({_C.NEW}), _C.IN_PROGRESS, _("Взять в работу")),
        Move(
            "close",
            frozenset({_C.NEW, _C.IN_PROGRESS}),
            _C.CLOSED,
            _("Закрыть консультацию"),
        ),
    ),
    model=Consultation,
)


def attachment_path(instance: "ConsultationMessage", filename: str) -> str:
    """Kept for old migrations; attachments are private files now (PrivateFileField)."""
    import secrets

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"consultations/{instance.consultation_id}/{secrets.token_hex(8)}.{extension}"


class ConsultationMessage(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("текст"), max_length=MESSAGE)
    attachment = PrivateFileField(
        _("файл"), prefix="consultations", name_field="attachment_name", blank=True
    )
    attachment_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("сообщение консультации")
        verbose_name_plural = _("сообщения консультаций")

    def __str__(self) -> str:
        return self.text[:60]


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
    attendees = models.PositiveSmallIntegerField(_("участников"), default=1)
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


class LibraryCategory(models.Model):
    name = models.CharField(_("название"), max_length=120, unique=True)
    slug = models.SlugField(_("код"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("раздел библиотеки")
        verbose_name_plural = _("разделы библиотеки")

    def __str__(self) -> str:
        return self.name


class LibraryItemQuerySet(models.QuerySet["LibraryItem"]):
    """Who may see which items is decided in `permissions.library_items_for_user`."""


class LibraryItem(SearchableModel):
    """A document, template, guide, recording, link or FAQ of the НКО library."""

    SEARCH_FIELDS = ("title", "description", "body", "tags")

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("документ")
        TEMPLATE = "template", _("шаблон")
        GUIDE = "guide", _("методичка")
        RECORDING = "recording", _("запись семинара")
        LINK = "link", _("ссылка")
        FAQ = "faq", _("вопрос и ответ")

    title = models.CharField(_("название"), max_length=250)
    kind = models.CharField(_("вид"), max_length=12, choices=Kind.choices)
    category = models.ForeignKey(
        LibraryCategory,
        verbose_name=_("раздел"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    tags = models.CharField(_("метки"), max_length=300, blank=True, help_text=_("Через запятую."))
    description = models.TextField(_("описание"), blank=True, max_length=MESSAGE)
    body = models.TextField(_("текст"), blank=True, max_length=LONG)
    url = models.URLField(_("ссылка"), blank=True)
    members_only = models.BooleanField(_("только для участников организаций"), default=False)
    published = models.BooleanField(_("опубликовано"), default=True)
    # The consultation an FAQ item was published from: one item each (a unique link), which
    # publishing again updates.
    consultation = models.OneToOneField(
        Consultation,
        verbose_name=_("из консультации"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faq_item",
    )
    download_count = models.PositiveIntegerField(_("скачиваний"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LibraryItemQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("материал библиотеки")
        verbose_name_plural = _("библиотека НКО")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:library_item", args=[self.pk])

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]


def library_path(instance: "LibraryFile", filename: str) -> str:
    """Kept for old migrations; library files are private files now (PrivateFileField)."""
    import secrets

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"library/{instance.item_id}/{secrets.token_hex(8)}.{extension}"


class LibraryFile(models.Model):
    """A version of a library item's file; the newest is the one people download."""

    item = models.ForeignKey(LibraryItem, on_delete=models.CASCADE, related_name="files")
    version = models.PositiveSmallIntegerField(_("версия"))
    file = PrivateFileField(_("файл"), prefix="library", name_field="original_name")
    original_name = models.CharField(max_length=200)
    note = models.CharField(_("что изменилось"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="unique_library_file_version")
        ]
        verbose_name = _("файл библиотеки")
        verbose_name_plural = _("файлы библиотеки")

    def __str__(self) -> str:
        return f"{self.item} v{self.version}"


class ProjectGroup(models.Model):
    """A project group or negotiation platform: people from НКО, institutions and
    enterprises around a social project or topic (passport, section 7, item 5)."""

    title = models.CharField(_("название"), max_length=200)
    topic = models.TextField(_("тема и цель"), blank=True, max_length=SHORT)
    is_active = models.BooleanField(_("работает"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="GroupMember", related_name="project_groups"
    )

    class Meta:
        ordering = ["-is_active", "title"]
        verbose_name = _("проектная группа")
        verbose_name_plural = _("проектные группы")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:group", args=[self.pk])


class GroupMember(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("ведущий")
        MEMBER = "member", _("участник")

    group = models.ForeignKey(ProjectGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("от организации"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    role = models.CharField(_("роль"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="unique_group_member")
        ]
        verbose_name = _("участник проектной группы")
        verbose_name_plural = _("участники проектных групп")

    def __str__(self) -> str:
        return f"{self.user} — {self.group}"


class Meeting(models.Model):
    group = models.ForeignKey(ProjectGroup, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("когда"))
    place = models.CharField(_("где"), max_length=200, blank=True)
    agenda = models.TextField(_("повестка"), max_length=MESSAGE)
    minutes = models.TextField(_("протокол встречи"), blank=True, max_length=LONG)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("встреча")
        verbose_name_plural = _("встречи")

    def __str__(self) -> str:
        return f"{self.group}: {local_date(self.starts_at):%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("resources:meeting", args=[self.pk])


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("решение"), max_length=MESSAGE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("решение")
        verbose_name_plural = _("решения")

    def __str__(self) -> str:
        return self.text[:80]


class GroupTaskQuerySet(models.QuerySet["GroupTask"]):
    def open(self) -> "GroupTaskQuerySet":
        return self.filter(done_at__isnull=True)


class GroupTask(models.Model):
    """A task that follows from a decision: an owner and a due date."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("задача"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ответственный"),
        on_delete=models.PROTECT,
        related_name="group_tasks",
    )
    due_on = models.DateField(_("срок"))
    done_at = models.DateTimeField(_("выполнена"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = GroupTaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("задача группы")
        verbose_name_plural = _("задачи групп")

    def __str__(self) -> str:
        return self.title
