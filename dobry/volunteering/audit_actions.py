"""What the volunteers' audit entries mean (see dobry.core.audit)."""

from django.utils.translation import gettext_lazy as _

from dobry.core.audit import register_actions, register_fields

register_actions(
    {
        "hours.record": _("внесены часы"),
        "hours.confirm": _("часы подтверждены"),
        "hours.decline": _("часы не подтверждены"),
        "parental_consent.record": _("внесено согласие родителя"),
        "volunteer_profile.update": _("изменён профиль волонтёра"),
        "volunteer_profile.public": _("изменена видимость профиля волонтёра"),
        "volunteer_profile.accessibility_set": _("указаны потребности для участия"),
        "volunteer_profile.accessibility_erase": _("потребности для участия удалены"),
        "volunteer_profile.accessibility_read_own": _(
            "свои потребности для участия прочитаны через API"
        ),
    }
)
register_fields(
    {
        "claimed": _("заявлено часов"),
        "source": _("источник"),
        "parent": _("родитель"),
        "given": _("указаны"),
        "public": _("профиль открыт"),
        "token": _("API-токен"),
    }
)
