"""What decides the awards: the allocation runs over the ranking (trial and final) and
the commission's meeting with its members."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dobry.core.clock import local_date, local_time
from dobry.core.files import PrivateFileField
from dobry.core.text_limits import MESSAGE
from dobry.core.validators import validate_person_name
from dobry.grants.models.competitions import Competition
from dobry.grants.models.reviews import Expert


class AllocationRun(models.Model):
    """One run of the allocation rule over the ranking: trial runs for discussion, the
    final one for the commission. The result is stored as computed, with the lottery's
    seed, so it can be checked later."""

    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="allocation_runs"
    )
    final = models.BooleanField(_("итоговое"), default=False)
    rule = models.CharField(max_length=20)
    result = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("распределение")
        verbose_name_plural = _("распределения")

    def __str__(self) -> str:
        return f"{self.competition} {local_time(self.created_at):%Y-%m-%d %H:%M}"


class Meeting(models.Model):
    """The commission's meeting that decides the awards."""

    class Decision(models.TextChoices):
        ADOPTED = "adopted", _("распределение утверждено")
        AMENDED = "amended", _("распределение утверждено с изменениями")

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="meetings")
    held_at = models.DateTimeField(_("дата и время"))
    place = models.CharField(_("место"), max_length=300, blank=True)
    agenda = models.TextField(_("повестка"), blank=True, max_length=MESSAGE)
    quorum = models.PositiveSmallIntegerField(_("кворум, человек"))
    allocation = models.ForeignKey(
        AllocationRun, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("решение"), max_length=20, choices=Decision.choices, blank=True)
    amendments = models.JSONField(_("изменения"), default=list, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    signed_protocol = PrivateFileField(
        _("подписанный протокол"),
        prefix="grants/protocols",
        name_field="signed_protocol_name",
        blank=True,
    )
    signed_protocol_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-held_at", "-id"]
        verbose_name = _("заседание комиссии")
        verbose_name_plural = _("заседания комиссии")

    def __str__(self) -> str:
        return f"{self.competition}: {local_date(self.held_at):%d.%m.%Y}"


class CommissionMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("председатель")
        SECRETARY = "secretary", _("секретарь")
        MEMBER = "member", _("член комиссии")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("ФИО"), max_length=200, validators=[validate_person_name])
    position = models.CharField(_("должность"), max_length=300, blank=True)
    sector = models.CharField(_("кого представляет"), max_length=20, choices=Expert.Sector.choices)
    role = models.CharField(_("роль"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    present = models.BooleanField(_("присутствует"), default=True)

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("член комиссии")
        verbose_name_plural = _("члены комиссии")

    def __str__(self) -> str:
        return self.name
