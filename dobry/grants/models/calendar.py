"""The production calendar's data: the government's transfers of days off that staff keep
(the rules that read them: `dobry.grants.agreements.calendar`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dobry.core.request_values import validate_date_range


class WorkCalendarDay(models.Model):
    """A day the government's yearly decree on transfers of days off makes different from
    the public holidays the `holidays` library knows (ТК РФ ст. 112 part 5): a weekday made
    a day off (`working=False`, e.g. 9 January 2026) or a weekend day made a working day
    (`working=True`, e.g. Saturday 20 February 2027). Staff keep these rows as each decree
    is published; a row always wins over the library (`calendar.is_working_day`)."""

    day = models.DateField(_("дата"), unique=True, validators=[validate_date_range])
    working = models.BooleanField(_("рабочий день"))
    note = models.CharField(_("основание"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("перенос дня в производственном календаре")
        verbose_name_plural = _("производственный календарь: переносы")

    def __str__(self) -> str:
        kind = _("рабочий") if self.working else _("выходной")
        return f"{self.day:%d.%m.%Y} — {kind}"
