"""The kinds of notification about news and the posts to the city's channels."""

from django.utils.translation import gettext_lazy as _

from dobry.communications.kinds import COORDINATORS, register_kind

NEWS_SUBMITTED = register_kind(
    "news_submitted", _("Новость организации ждёт модерации (координаторам)"), audience=COORDINATORS
)
NEWS_PUBLISHED = register_kind("news_published", _("Новость опубликована"))
NEWS_RETURNED = register_kind("news_returned", _("Новость возвращена на доработку"))
CHANNEL_POST_PROPOSED = register_kind(
    "channel_post_proposed",
    _("Публикация в канале ждёт одобрения (координаторам)"),
    audience=COORDINATORS,
)
