import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from dobry.accounts import personal_data, selectors, services
from dobry.accounts.auth import request_user
from dobry.accounts.forms import (
    ApiTokenForm,
    ConsentCodeForm,
    DeleteAccountForm,
    LanguageForm,
    PaperConsentForm,
    ProfileForm,
)
from dobry.accounts.models import ConsentDocument, ConsentRecord
from dobry.core.client_ip import client_ip
from dobry.core.clock import local_today
from dobry.core.confirm import confirm_page
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message
from dobry.core.forms import add_service_error
from dobry.core.typography import quoted


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = ProfileForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_profile_update(
                user=user, fields={name: form.cleaned_data[name] for name in ProfileForm.FIELDS}
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
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
    overview = selectors.consent_overview(request_user(request))
    return render(
        request,
        "accounts/consents.html",
        {
            "records": overview.records,
            "missing": overview.missing,
            "required": ConsentDocument.REQUIRED_AT_SIGNUP,
            "written": ConsentDocument.WRITTEN,
        },
    )


@login_required
@require_POST
def consent_give(request: HttpRequest, kind: str) -> HttpResponse:
    user = request_user(request)
    if kind not in ConsentDocument.Kind.values:
        raise Http404
    with domain_error_message(request, success=_("Согласие сохранено.")):
        services.consent_accept(user=user, kind=kind, ip_address=client_ip(request))
    return redirect("accounts:consents")


@login_required
def consent_sign(request: HttpRequest, kind: str) -> HttpResponse:
    """Sign a written consent with a code sent to the confirmed email (63-ФЗ art. 6 p. 2):
    POST `send` asks for a code, POST `code` signs."""
    user = request_user(request)
    if kind not in ConsentDocument.WRITTEN:
        raise Http404
    document = ConsentDocument.current(kind)
    form = ConsentCodeForm(request.POST if "code" in request.POST else None)
    if request.method == "POST" and "send" in request.POST:
        with domain_error_message(
            request, success=_("Код отправлен на %(email)s.") % {"email": user.email}
        ):
            services.consent_code_send(user=user, kind=kind)
        return redirect("accounts:consent_sign", kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_sign_with_code(
                user=user, kind=kind, code=form.cleaned_data["code"], ip_address=client_ip(request)
            )
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            messages.success(request, _("Согласие подписано."))
            return redirect("accounts:consents")
    signed = services.user_has_written_consent(user, kind)
    status = 422 if form.errors else 200
    return render(
        request,
        "accounts/consent_sign.html",
        {"document": document, "form": form, "signed": signed},
        status=status,
    )


@login_required
def consent_paper(request: HttpRequest) -> HttpResponse:
    """A coordinator attaches the scan of a consent signed on paper."""
    user = request_user(request)
    decision = services.can_record_paper_consent(user)
    if not decision:
        raise PermissionDenied(decision.reason)
    form = PaperConsentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record_paper(
                actor=user,
                user=form.cleaned_data["email"],
                kind=form.cleaned_data["kind"],
                scan=form.cleaned_data["scan"],
                ip_address=client_ip(request),
            )
        except DomainError as error:
            for field, errors in (error.field_errors or {"__all__": [error.message]}).items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Бумажное согласие внесено."))
            return redirect("accounts:consent_paper")
    status = 422 if form.errors else 200
    return render(request, "accounts/consent_paper.html", {"form": form}, status=status)


# What withdrawing each optional consent does, said before the person confirms.
WITHDRAWAL_CONSEQUENCES: dict[str, str | Promise] = {
    ConsentDocument.Kind.NEWSLETTER: gettext_lazy(
        "Рассылки на ваш адрес прекратятся; уведомления о ваших сменах и просьбах останутся."
    ),
    ConsentDocument.Kind.PUBLIC_PROFILE: gettext_lazy(
        "Ваш профиль волонтёра перестанет быть виден другим."
    ),
    ConsentDocument.Kind.HEALTH_DATA: gettext_lazy(
        "Сведения о здоровье будут удалены из всех ваших просьб о помощи, в том числе из "
        "просьб за близких, поданных по этому согласию; сами просьбы останутся. Удалённое "
        "нельзя вернуть."
    ),
    ConsentDocument.Kind.VOLUNTEER_HEALTH: gettext_lazy(
        "Ваши особые потребности (например, пандус или сопровождающий) будут удалены, и "
        "организаторы смен их больше не увидят. Удалённое нельзя вернуть."
    ),
}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw an optional consent: a GET says what withdrawing erases, the POST does it."""
    user = request_user(request)
    record = get_object_or_404(ConsentRecord, pk=pk, user=user)
    if request.method != "POST":
        return confirm_page(
            request,
            title=_("Отозвать согласие %(title)s?")
            % {"title": quoted(record.document.shown_title)},
            explanation=WITHDRAWAL_CONSEQUENCES.get(record.document.kind, ""),
            button=_("Отозвать"),
            back_url=reverse("accounts:consents"),
        )
    with domain_error_message(request, success=_("Согласие отозвано.")):
        services.consent_withdraw(user=user, record=record)
    return redirect("accounts:consents")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def export_data(request: HttpRequest) -> HttpResponse:
    """The person's data as JSON, on POST only (a GET asks first: dobry/core/confirm.py)."""
    user = request_user(request)
    if request.method != "POST":
        return confirm_page(
            request,
            title=_("Скачать мои данные"),
            explanation=_(
                "Файл JSON со всем, что платформа хранит о вас. Выгрузка записывается в журнал."
            ),
            button=_("Скачать мои данные"),
            back_url=reverse("accounts:profile"),
        )
    data = services.user_export_data(user=user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    stamp = local_today().isoformat()
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
    notices = personal_data.erase_notices(user)
    return render(request, "accounts/delete.html", {"form": form, "notices": notices})


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
    tokens = selectors.api_tokens(user)
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "tokens": tokens,
            "raw_token": raw_token,
            "token_days": settings.DOBRY_API_TOKEN_DAYS,
        },
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    token = get_object_or_404(user.api_tokens, pk=pk)
    services.api_token_revoke(user=user, token=token)
    messages.success(request, _("Токен отозван."))
    return redirect("accounts:api_tokens")


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The header's language switch (Django's `set_language`, whose cookie it still sets):
    for a signed-in person the choice is also stored as their language
    (`services.user_profile_update`), which pages, API answers and emails follow
    (`UserLanguageMiddleware`) — else the stored one would overrule the switch."""
    form = LanguageForm(request.POST)
    if request.user.is_authenticated and form.is_valid():
        language = form.cleaned_data["language"]
        services.user_profile_update(user=request_user(request), fields={"language": language})
    return django_set_language(request)
