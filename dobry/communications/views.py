from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dobry.accounts.auth import request_user
from dobry.communications import permissions, selectors, services
from dobry.communications.rendering import notifications_render
from dobry.communications.selectors import Preference
from dobry.core.redirects import local_url
from dobry.core.request_values import paginate


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
    def __init__(self, *args: object, preferences: list[Preference], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for preference in preferences:
            self.fields[preference.kind] = forms.BooleanField(
                label=preference.label, required=False, initial=preference.email
            )


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = PreferencesForm(
        request.POST or None, preferences=selectors.notification_preferences(user)
    )
    if request.method == "POST" and form.is_valid():
        services.notification_preferences_set(user=user, email_by_kind=form.cleaned_data)
        messages.success(request, _("Настройки писем сохранены."))
        return redirect("communications:preferences")
    return render(request, "communications/preferences.html", {"form": form})
