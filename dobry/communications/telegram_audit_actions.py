"""What the audit entries of Telegram and the city's channels mean (see dobry.core.audit)."""

from django.utils.translation import gettext_lazy as _

from dobry.core.audit import register_actions, register_fields

register_actions(
    {
        "telegram.link": _("Telegram связан с профилем"),
        "telegram.unlink": _("Telegram отвязан от профиля"),
        "channel_post.propose": _("новость предложена к публикации в канале"),
        "channel_post.approve": _("публикация в канале одобрена"),
        "channel_post.reject": _("публикация в канале отклонена"),
        "channel_post.retry": _("публикация в канале поставлена в очередь снова"),
        "channel_post.repropose": _("публикация в канале возвращена на одобрение"),
        "channel_post.send": _("новость опубликована в канале"),
        "channel_post.fail": _("публикация в канале не удалась"),
    }
)
register_fields({"channel": _("канал")})
