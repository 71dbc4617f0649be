"""Project groups: members, meetings, decisions and tasks."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dobry.core.clock import local_date
from dobry.core.text_limits import LONG, MESSAGE, SHORT
from dobry.organizations.models import Organization


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
