"""What the records cannot tell by themselves: the targets the administration sets, and
the reach of media and social networks reported by their sources."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dobry.core.numbers import plain_number


class Indicator(models.TextChoices):
    """The passport's six indicators (section 4)."""

    INFRASTRUCTURE_EVENTS = "infrastructure_events", _("Мероприятия инфраструктуры проекта")
    INFORMED_SHARE = "informed_share", _("Доля информированного населения, %")
    INVOLVED_SHARE = "involved_share", _("Доля вовлечённых жителей, %")
    SUPPORTED_ORGANISATIONS = "supported_organisations", _("Организации, получившие поддержку")
    PROGRAMMES = "programmes", _("Программы добровольческой и благотворительной помощи")
    HELPED_RESIDENTS = "helped_residents", _("Жители, получившие помощь")


class Target(models.Model):
    """The value the practice aims at for an indicator in a year."""

    indicator = models.CharField(_("показатель"), max_length=40, choices=Indicator.choices)
    year = models.PositiveSmallIntegerField(_("год"))
    value = models.DecimalField(_("цель"), max_digits=12, decimal_places=2)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "indicator"]
        verbose_name = _("цель показателя")
        verbose_name_plural = _("цели показателей")
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="unique_target")]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} {self.year}: {plain_number(self.value)}"


class ReachFigure(models.Model):
    """People reached by a publication or a campaign outside the platform, as its source
    reports them (a newspaper's circulation, a post's audience…)."""

    class Channel(models.TextChoices):
        MEDIA = "media", _("СМИ")
        SOCIAL = "social", _("социальные сети")
        OUTDOOR = "outdoor", _("наружная реклама и печатные материалы")
        OTHER = "other", _("другое")

    date = models.DateField(_("дата"))
    channel = models.CharField(_("канал"), max_length=12, choices=Channel.choices)
    title = models.CharField(_("что опубликовано"), max_length=300)
    source = models.CharField(
        _("источник цифры"),
        max_length=300,
        help_text=_("Например: тираж газеты «Город и горожане», статистика сообщества ВКонтакте."),
    )
    people = models.PositiveIntegerField(_("охват, человек"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("охват публикации")
        verbose_name_plural = _("охваты публикаций")

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.title}: {self.people}"


class Snapshot(models.Model):
    """An indicator's value for a closed month, stored so that historical figures stay
    stable (records edited later do not rewrite the past) and the dashboard is fast."""

    indicator = models.CharField(_("показатель"), max_length=40, choices=Indicator.choices)
    month = models.DateField(_("месяц"))  # the first day
    value = models.DecimalField(_("значение"), max_digits=14, decimal_places=2)
    parts = models.JSONField(_("составляющие"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("посчитано"), auto_now=True)

    class Meta:
        ordering = ["month", "indicator"]
        verbose_name = _("значение за месяц")
        verbose_name_plural = _("значения за месяцы")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "month"], name="unique_snapshot")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.month:%m.%Y}: {plain_number(self.value)}"
