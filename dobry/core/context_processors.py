from typing import Any

from django.conf import settings
from django.http import HttpRequest

from dobry.core import accessibility


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()
    return {
        "site_name": settings.DOBRY_SITE_NAME,
        "city_name": settings.DOBRY_CITY_NAME,
        "low_vision": accessibility.read(request),
        "unread_notifications": unread,
    }
