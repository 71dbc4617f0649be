import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts import services
from dobry.accounts.auth import request_user
from dobry.accounts.forms import ApiTokenForm, DeleteAccountForm, ProfileForm
from dobry.accounts.models import ConsentDocument, ConsentRecord
from dobry.core.audit import log_action
from dobry.core.errors import DomainError


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        log_action(actor=user, action="user.update_profile", obj=user)
        messages.success(request, _("Профиль сохранён."))
        return redirect("accounts:profile")
    memberships = user.memberships.select_related("organization")
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships})


def consent_document(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ConsentDocument.Kind.values:
        raise Http404
    document = ConsentDocument.current(kind)
    if document is None:
        raise Http404
    return render(request, "accounts/consent_document.html", {"document": document})


@login_required
def consents(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    records = user.consents.select_related("document")
    given = {r.document.kind for r in records if r.is_active}
    missing = [
        document
        for kind in ConsentDocument.Kind.values
        if kind not in given and (document := ConsentDocument.current(kind)) is not None
    ]
    return render(
        request,
        "accounts/consents.html",
        {"records": records, "missing": missing, "required": ConsentDocument.REQUIRED_AT_SIGNUP},
    )


@login_required
@require_POST
def consent_give(request: HttpRequest, kind: str) -> HttpResponse:
    user = request_user(request)
    if kind not in ConsentDocument.Kind.values:
        raise Http404
    try:
        services.consent_accept(user=user, kind=kind, ip_address=request.META.get("REMOTE_ADDR"))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Согласие сохранено."))
    return redirect("accounts:consents")


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    record = get_object_or_404(ConsentRecord, pk=pk, user=user)
    try:
        services.consent_withdraw(user=user, record=record)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Согласие отозвано."))
    return redirect("accounts:consents")


@login_required
def export_data(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    data = services.user_export_data(user=user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="dobry-my-data-{stamp}.json"'
    return response


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_erase(user=user, actor=user)
        logout(request)
        messages.success(request, _("Ваша учётная запись удалена, персональные данные стёрты."))
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = ApiTokenForm(request.POST or None)
    raw_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw_token = services.api_token_create(user=user, name=form.cleaned_data["name"])
        except (DomainError, ValidationError) as error:
            form.add_error("name", str(error))
        else:
            form = ApiTokenForm()
    tokens = user.api_tokens.all()
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": tokens, "raw_token": raw_token},
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    token = get_object_or_404(user.api_tokens, pk=pk)
    services.api_token_revoke(user=user, token=token)
    messages.success(request, _("Токен отозван."))
    return redirect("accounts:api_tokens")
