from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dobry.accounts.auth import request_user
from dobry.communications import permissions, selectors, services
from dobry.communications.models import TelegramLink
from dobry.communications.rendering import notifications_render
from dobry.communications.selectors import Preference
from dobry.communications.telegram import bot
from dobry.core.errors import DomainError
from dobry.core.forms import add_service_error
from dobry.core.redirects import local_url
from dobry.core.request_values import form_values, paginate


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    page = paginate(request.GET, selectors.notifications_for(user), 30)
    page.object_list = notifications_render(list(page.object_list))
    return render(request, "communications/notifications.html", {"page": page})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Go where a notification points; opening it from the list is a POST, which marks
    it read. A GET (an old link, a prefetching browser) only redirects: reading never
    writes."""
    user = request_user(request)
    notification = permissions.get_notification_for_user(user, pk)
    if request.method == "POST":
        services.notification_mark_read(user=user, notification=notification)
    return redirect(local_url(request, notification.url) or "communications:notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request_user(request))
    return redirect("communications:notifications")


class PreferencesForm(forms.Form):
    """A box per kind for email and, when the person linked Telegram, a second box per kind
    (`telegram-<kind>`) for Telegram."""

    def __init__(
        self,
        *args: object,
        preferences: list[Preference],
        telegram: bool = False,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.rows: list[tuple[str, str]] = []
        for preference in preferences:
            self.fields[preference.kind] = forms.BooleanField(
                label=preference.label, required=False, initial=preference.email
            )
            if telegram:
                self.fields[f"telegram-{preference.kind}"] = forms.BooleanField(
                    label=_("%(kind)s — в Telegram") % {"kind": preference.label},
                    required=False,
                    initial=preference.telegram,
                )
            self.rows.append((preference.kind, preference.label))

    def choices(self) -> tuple[dict[str, bool], dict[str, bool]]:
        """What was chosen: by email, by Telegram (kind → wanted)."""
        values = form_values(self)
        telegram = {
            k.removeprefix("telegram-"): v for k, v in values.items() if k.startswith("telegram-")
        }
        email = {k: v for k, v in values.items() if not k.startswith("telegram-")}
        return email, telegram

    def table(self) -> list[tuple[str, forms.BoundField, forms.BoundField | None]]:
        """A row per kind: its label, the email box, the Telegram box (if any)."""
        return [
            (
                label,
                self[kind],
                self[f"telegram-{kind}"] if f"telegram-{kind}" in self.fields else None,
            )
            for kind, label in self.rows
        ]


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    linked = TelegramLink.objects.filter(user=user).exists() and bot.configured()
    form = PreferencesForm(
        request.POST or None,
        preferences=selectors.notification_preferences(user),
        telegram=linked,
    )
    if request.method == "POST" and form.is_valid():
        email, telegram = form.choices()
        try:
            services.notification_preferences_set(
                user=user, email_by_kind=email, telegram_by_kind=telegram
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Настройки уведомлений сохранены."))
            return redirect("communications:preferences")
    context = {"form": form, "telegram_linked": linked, "telegram_configured": bot.configured()}
    return render(request, "communications/preferences.html", context)
