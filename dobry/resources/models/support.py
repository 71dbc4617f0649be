"""Support given to organisations and people: the passport's six kinds, one record each."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dobry.core.clock import happened_by_today
from dobry.core.references import ReferenceField
from dobry.core.text_limits import SHORT
from dobry.core.typography import quoted
from dobry.events.models import Event
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
    can give each kind of support only once.

    What an automatic entry is (`made_from`, with `made_params`) is a code, shown in the
    reader's language (`description_text`); its details are its source's, shown through the
    source's link — nothing typed there (a consultation's subject) is copied into it, so
    nothing outlives the source's minimising (issue 11). Staff write `description`."""

    class MadeFrom(models.TextChoices):
        CONSULTATION = "consultation", _("Консультация")
        ROOM = "room", _("Помещение")
        TRAINING = "training", _("Обучение")
        NEWS = "news", _("Новость")
        GRANT = "grant", _("Грант")

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
    description = models.TextField(_("что именно"), max_length=SHORT, blank=True)
    made_from = models.CharField(
        _("сделана из"), max_length=20, choices=MadeFrom.choices, blank=True
    )
    # {"room": the room's name} for a room, {"event_kind": Event.Kind} for a training,
    # {"competition": its title} for a grant.
    made_params = models.JSONField(default=dict, blank=True)
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
            # the record a grant, a room booking or a consultation made (services)
            ReferenceField.index("source", index="support_record_source"),
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

    @property
    def description_text(self) -> str:
        """What the entry is, in the active language: staff's own words, or the code of an
        automatic entry («Консультация», «Семинар», «Помещение „Зал“»)."""
        if not self.made_from:
            return self.description
        params = self.made_params if isinstance(self.made_params, dict) else {}
        if self.made_from == self.MadeFrom.TRAINING and params.get("event_kind"):
            return str(
                dict(Event.Kind.choices).get(params["event_kind"], self.MadeFrom.TRAINING.label)
            )
        if self.made_from == self.MadeFrom.ROOM and params.get("room"):
            return gettext("Помещение %(room)s") % {"room": quoted(params["room"])}
        if self.made_from == self.MadeFrom.GRANT and params.get("competition"):
            return gettext("Грант конкурса %(competition)s") % {
                "competition": quoted(params["competition"])
            }
        return str(self.MadeFrom(self.made_from).label)
