"""One's notifications, which of them also come by email or Telegram, and linking one's
Telegram: the same permission function, selectors and services as the notifications,
preferences and Telegram pages."""

from datetime import datetime
from typing import Annotated

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StringConstraints

from dobry.accounts.auth import api_user
from dobry.accounts.models import User
from dobry.api.fields import Pages
from dobry.communications import permissions, selectors, services
from dobry.communications.models import Notification, TelegramLink
from dobry.communications.rendering import notifications_render
from dobry.communications.telegram import bot
from dobry.communications.telegram import services as telegram_services
from dobry.core.input_schema import InputSchema
from dobry.core.text_limits import text_limit

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str = Field(description="in the request's language (`Accept-Language`)")
    body: str = Field(description="in the request's language, as the objects it names read now")
    url: str = Field(description="where it points on the site (a path); may be empty")
    created_at: datetime
    read_at: datetime | None


class NotificationFilters(Schema):
    unread: bool = Field(False, description="only the unread ones (`count` is the bell's)")


class ReadAllOut(Schema):
    marked: int = Field(description="how many were unread")


class PreferenceOut(Schema):
    kind: str
    label: str
    in_app: bool = Field(True, description="always: every notification is kept in the app")
    email: bool = Field(description="also sent by email")
    email_by_default: bool
    telegram: bool = Field(description="also sent by the city's Telegram bot to a linked chat")


Kind = Annotated[str, StringConstraints(min_length=1, max_length=text_limit(Notification, "kind"))]


class PreferencesIn(InputSchema):
    email: dict[Kind, bool] = Field(
        {}, description="kind → whether it also comes by email; kinds not named keep their choice"
    )
    telegram: dict[Kind, bool] = Field(
        {},
        description="kind → whether it also comes by Telegram (needs a linked chat); kinds "
        "not named keep their choice",
    )


class TelegramOut(Schema):
    configured: bool = Field(description="whether the site has a bot (else nothing is sent)")
    bot_username: str
    linked: bool
    linked_at: datetime | None


class TelegramLinkOut(Schema):
    url: str = Field(description="the deep link `https://t.me/<bot>?start=<code>`: open once")
    expires_at: datetime


@router.get(
    "/me/notifications",
    response=list[NotificationOut],
    summary="My notifications, newest first",
)
@paginate(Pages, page_size=30, then=lambda items, _request: notifications_render(items))
def list_notifications(request: HttpRequest, filters: Query[NotificationFilters]) -> object:
    return selectors.notifications_for(api_user(request), unread=filters.unread)


@router.post(
    "/me/notifications/{int:pk}/read",
    response=NotificationOut,
    summary="Mark one of my notifications read",
)
def read_notification(request: HttpRequest, pk: int) -> Notification:
    user = api_user(request)
    notification = permissions.get_notification_for_user(user, pk)
    return services.notification_mark_read(user=user, notification=notification)


@router.post(
    "/me/notifications/read-all",
    response=ReadAllOut,
    summary="Mark all my notifications read",
)
def read_all_notifications(request: HttpRequest) -> dict:
    return {"marked": services.notifications_mark_all_read(user=api_user(request))}


@router.get(
    "/me/notification-preferences",
    response=list[PreferenceOut],
    summary="Which notifications also come by email or Telegram (every kind, by label)",
)
def get_preferences(request: HttpRequest) -> list[selectors.Preference]:
    return selectors.notification_preferences(api_user(request))


@router.patch(
    "/me/notification-preferences",
    response=list[PreferenceOut],
    summary="Choose which notifications also come by email or Telegram",
)
def update_preferences(request: HttpRequest, payload: PreferencesIn) -> list[selectors.Preference]:
    user = api_user(request)
    services.notification_preferences_set(
        user=user, email_by_kind=payload.email, telegram_by_kind=payload.telegram
    )
    return selectors.notification_preferences(user)


def _telegram(user: User) -> dict[str, object]:
    link = TelegramLink.objects.filter(user=user).first()
    return {
        "configured": bot.configured(),
        "bot_username": settings.DOBRY_TELEGRAM_BOT_USERNAME,
        "linked": link is not None,
        "linked_at": link.linked_at if link else None,
    }


@router.get("/me/telegram", response=TelegramOut, summary="Whether my Telegram is linked")
def get_telegram(request: HttpRequest) -> dict[str, object]:
    return _telegram(api_user(request))


@router.post(
    "/me/telegram/link",
    response={201: TelegramLinkOut},
    summary="A one-time deep link that links the Telegram chat that opens it (422 without a bot)",
)
def link_telegram(request: HttpRequest) -> Status[dict[str, object]]:
    code, expires_at = telegram_services.telegram_link_code_create(user=api_user(request))
    return Status(201, {"url": bot.deep_link(code), "expires_at": expires_at})


@router.delete("/me/telegram", response=TelegramOut, summary="Unlink my Telegram")
def unlink_telegram(request: HttpRequest) -> dict[str, object]:
    user = api_user(request)
    telegram_services.telegram_unlink(user=user)
    return _telegram(user)
