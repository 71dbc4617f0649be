"""Consultations: a question to the resource centre and its thread of messages."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dobry.core.files import PrivateFileField
from dobry.core.text_limits import MESSAGE, SHORT
from dobry.core.workflow import Move, Workflow
from dobry.organizations.models import Organization


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
