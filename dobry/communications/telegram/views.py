"""The profile's Telegram page (link by a deep link, unlink) and the bot's webhook."""

import hmac
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.communications.models import TelegramLink
from dobry.communications.telegram import bot, services
from dobry.core.feedback import domain_error_message


def _context(request: HttpRequest) -> dict[str, object]:
    user = request_user(request)
    return {
        "configured": bot.configured(),
        "link": TelegramLink.objects.filter(user=user).first(),
        "bot_username": settings.DOBRY_TELEGRAM_BOT_USERNAME,
    }


@login_required
def telegram_page(request: HttpRequest) -> HttpResponse:
    return render(request, "communications/telegram.html", _context(request))


@login_required
@require_POST
def telegram_link(request: HttpRequest) -> HttpResponse:
    """A fresh deep link, shown once on this answer (the code is kept only as a hash)."""
    context = _context(request)
    with domain_error_message(request) as outcome:
        code, expires_at = services.telegram_link_code_create(user=request_user(request))
    if not outcome.ok:
        return redirect("communications:telegram")
    context.update(deep_link=bot.deep_link(code), expires_at=expires_at)
    return render(request, "communications/telegram.html", context)


@login_required
@require_POST
def telegram_unlink(request: HttpRequest) -> HttpResponse:
    if services.telegram_unlink(user=request_user(request)):
        messages.success(request, _("Telegram отвязан: бот больше не пишет вам."))
    return redirect("communications:telegram")


SECRET_HEADER = "HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN"


@csrf_exempt
@require_POST
def telegram_webhook(request: HttpRequest) -> HttpResponse:
    """The Bot API posts each update here (setWebhook with `secret_token`); an update
    without the secret is refused, one the bot does not understand is answered 200 so
    Telegram does not send it again."""
    secret = str(settings.DOBRY_TELEGRAM_WEBHOOK_SECRET)
    given = request.META.get(SECRET_HEADER, "")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return JsonResponse({"message": _("Неверный ключ.")}, status=403)
    try:
        update = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"message": _("Тело запроса — не JSON.")}, status=400)
    return JsonResponse({"result": services.telegram_update_handle(update)})
