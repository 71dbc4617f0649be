"""What the communications' audit entries mean (see dobry.core.audit)."""

from django.utils.translation import gettext_lazy as _

from dobry.communications.models import NewsItem
from dobry.core.audit import register_actions, register_fields, register_values

register_actions(
    {
        "news.create": _("новость создана"),
        "news.update": _("новость изменена"),
        "news.submit": _("новость отправлена на модерацию"),
        "news.withdraw": _("новость забрана с модерации"),
        "news.publish": _("новость опубликована"),
        "news.schedule": _("публикация новости запланирована"),
        "news.return": _("новость возвращена на доработку"),
        "news.release": _("новость опубликована по расписанию"),
        "news.unpublish": _("новость снята с публикации"),
        "news.redraft": _("новость возвращена в черновики"),
    }
)
register_values("news.create", {"publisher": NewsItem.Publisher})
register_fields({"publisher": _("от чьего имени")})
