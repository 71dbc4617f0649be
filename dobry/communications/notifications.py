"""The kinds of notification about news."""

from django.utils.translation import gettext_lazy as _

from dobry.communications.kinds import register_kind

NEWS_SUBMITTED = register_kind(
    "news_submitted", _("Новость организации ждёт модерации (координаторам)")
)
NEWS_PUBLISHED = register_kind("news_published", _("Новость опубликована"))
NEWS_RETURNED = register_kind("news_returned", _("Новость возвращена на доработку"))
