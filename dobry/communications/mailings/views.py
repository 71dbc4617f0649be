"""The mailings' pages: staff compose, preview, test-send, schedule, follow the progress
and read the statistics; segments and imported contacts; the public opt-in link."""

import secrets
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dobry.accounts.auth import request_user
from dobry.accounts.models import User
from dobry.communications import permissions
from dobry.communications.mailings import compose, contacts, forms, segments, selectors, services
from dobry.communications.models import Mailing, MailingContact, Segment
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message
from dobry.core.forms import add_service_error
from dobry.core.request_values import form_values, paginate

UPLOAD_SECONDS = 3600


def staff_only(view: Any) -> Any:
    """Coordinators and officials only; anyone else is refused with the reason."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        decision = permissions.can_manage_mailings(request_user(request))
        if not decision:
            raise PermissionDenied(decision.reason)
        return view(request, *args, **kwargs)

    return wrapped


@staff_only
def mailing_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request.GET, selectors.mailings(), 30)
    return render(request, "communications/mailings/list.html", {"page": page})


@staff_only
@require_http_methods(["GET", "HEAD", "POST"])
def mailing_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = request_user(request)
    mailing = permissions.get_mailing_for_user(user, pk) if pk else None
    if mailing is not None and not mailing.editable:
        messages.error(request, _("Изменить можно только черновик рассылки."))
        return redirect("mailings:detail", mailing.pk)
    # the template is a choice in the query string: a wrong one is a 400 naming it
    template_form = forms.TemplateForm(request.GET or None)
    template = form_values(template_form).get("template") or "blank"
    if request.method == "POST":
        form = forms.MailingForm(request.POST)
        if form.is_valid():
            try:
                insert = form.insert()
                mailing = services.mailing_save(
                    actor=user, mailing=mailing, insert=insert, **form.cleaned_data
                )
            except DomainError as error:
                add_service_error(form, error)
            else:
                return redirect("mailings:detail", mailing.pk)
    elif mailing is not None:
        form = forms.MailingForm(
            initial={
                "subject": mailing.subject,
                "body_text": mailing.body_text,
                "body_html": mailing.body_html,
                "segment": mailing.segment_id,
            }
        )
    else:
        subject, body = compose.template_body(template)
        form = forms.MailingForm(initial={"subject": subject, "body_text": body})
    return render(
        request,
        "communications/mailings/edit.html",
        {"form": form, "mailing": mailing, "template_form": template_form},
    )


def _detail(
    request: HttpRequest, mailing: Mailing, schedule_form: forms.ScheduleForm, status: int = 200
) -> HttpResponse:
    context = {
        "mailing": mailing,
        "rendered": compose.render(mailing),
        "size": segments.segment_size(mailing.segment) if mailing.editable else None,
        "schedule_form": schedule_form,
        **selectors.progress(mailing),
    }
    return render(request, "communications/mailings/detail.html", context, status=status)


@staff_only
def mailing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mailing = permissions.get_mailing_for_user(request_user(request), pk)
    return _detail(request, mailing, forms.ScheduleForm())


@staff_only
def mailing_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone: HTMX asks for it every few seconds while sending."""
    mailing = permissions.get_mailing_for_user(request_user(request), pk)
    return render(
        request,
        "communications/mailings/_progress.html",
        {"mailing": mailing, **selectors.progress(mailing)},
    )


@staff_only
@require_POST
def mailing_test(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    mailing = permissions.get_mailing_for_user(user, pk)
    sent = _("Проверочное письмо отправлено на %(email)s.") % {"email": user.email}
    with domain_error_message(request, success=sent):
        services.mailing_test_send(actor=user, mailing=mailing)
    return redirect("mailings:detail", mailing.pk)


@staff_only
@require_POST
def mailing_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """The time is checked on the form (shown again with the error summary); the move,
    and whether anyone is in the segment, by the service."""
    user = request_user(request)
    mailing = permissions.get_mailing_for_user(user, pk)
    form = forms.ScheduleForm(request.POST)
    if not form.is_valid():
        return _detail(request, mailing, form)
    with domain_error_message(request, success=_("Рассылка запланирована.")):
        services.mailing_schedule(actor=user, mailing=mailing, at=form.cleaned_data["at"])
    return redirect("mailings:detail", mailing.pk)


@staff_only
@require_POST
def mailing_unschedule(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    mailing = permissions.get_mailing_for_user(user, pk)
    with domain_error_message(request, success=_("Рассылка снова черновик.")):
        services.mailing_unschedule(actor=user, mailing=mailing)
    return redirect("mailings:detail", mailing.pk)


@staff_only
@require_POST
def mailing_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    mailing = permissions.get_mailing_for_user(user, pk)
    with domain_error_message(request, success=_("Рассылка отменена.")):
        services.mailing_cancel(actor=user, mailing=mailing)
    return redirect("mailings:detail", mailing.pk)


@staff_only
def segment_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request.GET, Segment.objects.order_by("name", "pk"), 30)
    return render(request, "communications/mailings/segments.html", {"page": page})


@staff_only
@require_http_methods(["GET", "HEAD", "POST"])
def segment_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = request_user(request)
    segment = permissions.get_segment_for_user(user, pk) if pk else None
    if request.method == "POST":
        form = forms.SegmentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                segment = services.segment_save(
                    actor=user,
                    segment=segment,
                    name=data["name"],
                    roles=data["roles"],
                    organization_kinds=data["organization_kinds"],
                    areas=data["areas"],
                    district_ids=[d.pk for d in data["districts"]],
                    active_months=data["active_months"],
                )
            except DomainError as error:
                add_service_error(form, error)
            else:
                return redirect("mailings:segment", segment.pk)
    elif segment is not None:
        form = forms.SegmentForm(
            initial={
                "name": segment.name,
                "roles": segment.roles,
                "organization_kinds": segment.organization_kinds,
                "areas": segment.areas,
                "districts": list(segment.districts.all()),
                "active_months": segment.active_months,
            }
        )
    else:
        form = forms.SegmentForm()
    size = segments.segment_size(segment) if segment is not None else None
    return render(
        request,
        "communications/mailings/segment_edit.html",
        {"form": form, "segment": segment, "size": size},
    )


def _import_key(user_pk: int, token: str) -> str:
    return f"mailing-import:{user_pk}:{token}"


@staff_only
@require_http_methods(["GET", "HEAD", "POST"])
def contact_list(request: HttpRequest) -> HttpResponse:
    """The imported contacts and the import: upload → preview with the columns' mapping
    and each row's errors → import (the file waits in the cache for an hour between).
    Each POST names its step (the button pressed): upload, check again or import."""
    user = request_user(request)
    upload_form = forms.UploadForm()
    preview: dict[str, Any] = {}
    if request.method == "POST":
        step = form_values(forms.ImportStepForm(request.POST))
        if step["step"] == "upload":
            upload_form = forms.UploadForm(request.POST, request.FILES)
            preview = _upload(user.pk, upload_form)
        else:
            stored = cache.get(_import_key(user.pk, step["token"])) if step["token"] else None
            if stored is None:
                messages.error(request, _("Файл больше не доступен: загрузите его снова."))
                return redirect("mailings:contacts")
            preview = _check(request, user, stored, step["token"], step["step"] == "import")
            if "report" in preview:
                cache.delete(_import_key(user.pk, step["token"]))
                return render(request, "communications/mailings/import_report.html", preview)
    page = paginate(request.GET, MailingContact.objects.select_related("district"), 50)
    return render(
        request,
        "communications/mailings/contacts.html",
        {"page": page, "upload_form": upload_form, **preview},
    )


def _upload(user_pk: int, upload_form: forms.UploadForm) -> dict[str, Any]:
    """Read the uploaded table and keep it for the next steps; its preview, or nothing
    when the file is refused (the form then says why)."""
    if not upload_form.is_valid():
        return {}
    upload = upload_form.cleaned_data["file"]
    try:
        table = contacts.read_table(upload.read(), upload.name)
    except DomainError as error:
        add_service_error(upload_form, error)
        return {}
    token = secrets.token_urlsafe(16)
    cache.set(
        _import_key(user_pk, token), (table, upload_form.cleaned_data["source"]), UPLOAD_SECONDS
    )
    mapping = contacts.guess_mapping(table.headers)
    form = forms.MappingForm(
        initial={k: ("" if v is None else str(v)) for k, v in mapping.items()},
        headers=table.headers,
    )
    rows = contacts.check_rows(table, mapping) if mapping.get("email") is not None else []
    return _rows_preview(table, token, form, rows)


def _check(
    request: HttpRequest,
    user: User,
    stored: tuple[contacts.Table, str],
    token: str,
    do_import: bool,
) -> dict[str, Any]:
    """The rows checked with the mapping sent; imported too when the import was asked
    for (then only `report`)."""
    table, source = stored
    mapping_form = forms.MappingForm(request.POST, headers=table.headers)
    rows: list[contacts.CheckedRow] = []
    if mapping_form.is_valid():
        try:
            rows = contacts.check_rows(table, mapping_form.cleaned_data, source)
            if do_import:
                return {"report": contacts.contacts_import(actor=user, rows=rows)}
        except DomainError as error:
            add_service_error(mapping_form, error)
            rows = []
    return _rows_preview(table, token, mapping_form, rows)


def _rows_preview(
    table: contacts.Table,
    token: str,
    mapping_form: forms.MappingForm,
    rows: list[contacts.CheckedRow],
) -> dict[str, Any]:
    return {
        "table": table,
        "token": token,
        "mapping_form": mapping_form,
        "rows": rows[:50],
        "errors": sum(1 for r in rows if r.errors),
        "total": len(rows),
    }


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The double opt-in link: the page asks, the button (a POST) confirms — a mail
    scanner that opens the link confirms nothing."""
    contact = contacts.contact_from_token(token)
    if contact is None:
        return render(
            request, "communications/mailings/confirm.html", {"invalid": True}, status=404
        )
    if request.method == "POST":
        contacts.contact_confirm(contact)
    return render(request, "communications/mailings/confirm.html", {"contact": contact})
