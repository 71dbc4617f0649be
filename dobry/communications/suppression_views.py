"""One-click unsubscribe (no login), the staff's suppression list, and the provider's bounce
webhook."""

import hmac
import json
from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from dobry.accounts.auth import request_user
from dobry.accounts.models import User
from dobry.communications import bounces, permissions
from dobry.communications.kinds import KINDS, kinds_received_by
from dobry.communications.models import Suppression, normalise_email
from dobry.communications.unsubscribe import (
    MAILING_KIND,
    Unsubscribe,
    is_transactional,
    read_token,
    subscriptions_set,
    suppression_remove,
    unsubscribe_all,
)
from dobry.core.errors import DomainError
from dobry.core.forms import add_service_error
from dobry.core.request_values import form_values, paginate


def _token(token: str) -> Unsubscribe:
    try:
        return read_token(token)
    except DomainError:
        raise Http404 from None


def kind_choices(address: str, current: str = "") -> list[tuple[str, str]]:
    """The kinds the address may keep or drop: the non-transactional notification kinds its
    account's roles receive (`kinds.kinds_received_by`: a volunteer is not offered the
    coordinators' kinds; an address with no account only those for anyone), the city's
    mailings, and `current`, the kind of the message they came from (a mailing list), if it
    is none of them. The unsubscribe page (anyone holding the link sees it) and
    /api/v1/me/subscriptions alike."""
    account = (
        User.objects.filter(email__iexact=address, is_active=True).first() if address else None
    )
    choices = [
        (k.key, str(k.label)) for k in kinds_received_by(account) if not is_transactional(k.key)
    ]
    choices.append((MAILING_KIND, _("Рассылки города: новости и анонсы")))
    known = {key for key, _label in choices}
    if current and current not in known and current not in KINDS and not is_transactional(current):
        choices.append((current, current))
    return sorted(choices, key=lambda choice: choice[1])


def masked_email(address: str) -> str:
    """«i***@mail.ru» for «ivanova@mail.ru»: whoever holds an unsubscribe link (a forwarded
    letter) learns the domain, not the address."""
    local, at, domain = address.partition("@")
    return f"{local[:1]}***{at}{domain}" if at else "***"


class KeepForm(forms.Form):
    def __init__(self, *args: object, choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for key, label in choices:
            self.fields[key] = forms.BooleanField(label=label, required=False, initial=False)


# The signed token is the authority (RFC 8058): a mail provider's POST carries no cookie and
# no CSRF token, and a forged token is a 404 that changes nothing.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: the page with the button and the kinds one may keep; POST: unsubscribed from
    everything at once (idempotent), answering 200."""
    target = _token(token)
    if request.method == "POST":
        unsubscribe_all(target)
        context = {"target": target, "email": masked_email(target.email)}
        return render(request, "communications/unsubscribe/done.html", context)
    form = KeepForm(choices=kind_choices(target.email, target.kind))
    context = {"target": target, "email": masked_email(target.email), "token": token, "form": form}
    return render(request, "communications/unsubscribe/page.html", context)


@csrf_exempt
@require_POST
def unsubscribe_keep(request: HttpRequest, token: str) -> HttpResponse:
    """Stay subscribed to the kinds ticked, unsubscribed from the others."""
    target = _token(token)
    form = KeepForm(request.POST, choices=kind_choices(target.email, target.kind))
    keep = form_values(form)
    subscriptions_set(address=target.email, keep=keep, delivery=target.delivery)
    kept = [str(form.fields[key].label) for key, wanted in keep.items() if wanted]
    context = {"target": target, "email": masked_email(target.email), "kept": kept}
    return render(request, "communications/unsubscribe/kept.html", context)


class SuppressionFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Адрес"), required=False, max_length=254)
    reason = forms.ChoiceField(
        label=gettext_lazy("Причина"),
        required=False,
        choices=[("", gettext_lazy("Любая")), *Suppression.Reason.choices],
    )


def suppression_list_for(q: str = "", reason: str = "") -> QuerySet[Suppression]:
    """The list staff see, filtered by a part of the address and a reason (page and API)."""
    rows = Suppression.objects.all()
    if q.strip():
        rows = rows.filter(email__contains=normalise_email(q))
    if reason:
        rows = rows.filter(reason=reason)
    return rows


@login_required
def suppression_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not permissions.can_manage_suppressions(user):
        raise PermissionDenied
    form = SuppressionFilterForm(request.GET or None)
    filters = form_values(form)
    rows = suppression_list_for(filters.get("q", ""), filters.get("reason", ""))
    page = paginate(request.GET, rows, 50)
    context = {"page": page, "form": form, "remove_form": RemoveForm()}
    return render(request, "communications/unsubscribe/staff_list.html", context)


class RemoveForm(forms.Form):
    why = forms.CharField(label=gettext_lazy("Почему снять адрес"), max_length=500)


@login_required
@require_POST
def suppression_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    suppression = permissions.get_suppression_for_user(user, pk)
    form = RemoveForm(request.POST)
    if form.is_valid():
        try:
            suppression_remove(actor=user, suppression=suppression, why=form.cleaned_data["why"])
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Адрес снят со стоп-листа."))
            return redirect("suppression:list")
    context = {"suppression": suppression, "remove_form": form}
    return render(request, "communications/unsubscribe/remove.html", context, status=400)


SECRET_HEADER = "HTTP_X_DOBRY_BOUNCE_SECRET"


@csrf_exempt
@require_POST
def bounce_webhook(request: HttpRequest) -> HttpResponse:
    """The mail provider reports a bounce or a complaint: JSON `{"address", "type": hard |
    soft | complaint, "time": ISO 8601, "key": the message's X-Dobry-Key}` (or a list of
    them; `time` and `key` optional), with the shared secret in `X-Dobry-Bounce-Secret`."""
    secret = str(settings.DOBRY_BOUNCE_WEBHOOK_SECRET)
    given = request.META.get(SECRET_HEADER, "")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return JsonResponse({"message": _("Неверный ключ.")}, status=403)
    try:
        reports = parse_bounce_reports(request.body)
    except ValueError as error:
        return JsonResponse({"message": str(error)}, status=400)
    for report in reports:
        bounces.bounce_record(report, source="webhook")
    return JsonResponse({"recorded": len(reports)})


def parse_bounce_reports(body: bytes) -> list[bounces.Bounce]:
    """The webhook's body as bounces; a ValueError with a translated message otherwise."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ValueError(_("Тело запроса — не JSON.")) from None
    items = data if isinstance(data, list) else [data]
    if not items or len(items) > 1000:
        raise ValueError(_("Нужно от 1 до 1000 сообщений."))
    return [_one_report(item) for item in items]


def _one_report(item: object) -> bounces.Bounce:
    if not isinstance(item, dict):
        raise ValueError(_("Каждое сообщение — объект с полями address, type, time."))
    address, kind, moment = item.get("address"), item.get("type"), item.get("time")
    key = item.get("key", "")
    if not isinstance(key, str) or len(key) > 100:
        raise ValueError(_("Ключ письма — строка заголовка X-Dobry-Key."))
    if not isinstance(address, str) or "@" not in address or len(address) > 254:
        raise ValueError(_("Неверный адрес получателя."))
    if kind not in (bounces.HARD, bounces.SOFT, bounces.COMPLAINT):
        raise ValueError(_("Тип — hard, soft или complaint."))
    at = timezone.now()
    if moment is not None:
        try:
            at = datetime.fromisoformat(str(moment))
        except ValueError:
            raise ValueError(_("Время — в формате ISO 8601.")) from None
        if timezone.is_naive(at) or not 1990 <= at.year <= 2100:
            raise ValueError(_("Время — в формате ISO 8601 с часовым поясом."))
    return bounces.Bounce(address=address, type=str(kind), at=at, key=key)
