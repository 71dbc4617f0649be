"""The НКО library pages: search, an item with its versions, downloads, staff editing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dobry.accounts.auth import request_user
from dobry.core.errors import DomainError
from dobry.core.forms import add_service_error
from dobry.core.request_values import form_values, paginate
from dobry.resources import library, permissions
from dobry.resources.forms import FaqForm, LibraryFileForm, LibraryItemForm, LibrarySearchForm


def library_list(request: HttpRequest) -> HttpResponse:
    form = LibrarySearchForm(request.GET or None)
    items = permissions.library_items_for_user(request.user).select_related("category")
    if data := form_values(form):
        if data["kind"]:
            items = items.filter(kind=data["kind"])
        if data["category"]:
            items = items.filter(category=data["category"])
        items = library.search(items, data["q"])
    page = paginate(request.GET, items, 20)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "resources/library.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_edit": permissions.is_consultant(request.user),
        },
    )


def library_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = permissions.get_library_item_for_user(request.user, pk)
    can_edit = permissions.is_consultant(request.user)
    form = LibraryFileForm(request.POST or None, request.FILES or None) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                library.library_file_add(
                    actor=request_user(request),
                    item=item,
                    file=form.cleaned_data["file"],
                    note=form.cleaned_data["note"],
                )
            except (DomainError, ValidationError) as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Новая версия загружена."))
                return redirect(item)
    return render(
        request,
        "resources/library_item.html",
        {"item": item, "files": item.files.all(), "form": form, "can_edit": can_edit},
    )


def library_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Count a download, then send to the newest file (through the access-checked file
    view) or to the item's link."""
    item = permissions.get_library_item_for_user(request.user, pk)
    current = item.files.first()
    if current is None and not item.url:
        raise Http404
    library.library_download_count(item=item)
    return redirect(current.file.url if current is not None else item.url)


@login_required
def library_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not permissions.is_consultant(user):
        raise PermissionDenied
    form = LibraryItemForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = library.library_item_create(actor=user, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Материал добавлен в библиотеку."))
            return redirect(item)
    return render(request, "resources/library_form.html", {"form": form})


@login_required
def faq_from_consultation(request: HttpRequest, pk: int) -> HttpResponse:
    """The edit step: the coordinator reads the question and answer as the public will,
    edits it, and publishes (POST); names and contacts left in it are refused per field."""
    user = request_user(request)
    consultation = permissions.get_consultation_for_user(user, pk, answer=True)
    if not (decision := permissions.can_publish_faq(user, consultation)):
        messages.error(request, str(decision.reason))
        return redirect(consultation)
    form = FaqForm(request.POST or None, initial=library.faq_draft(consultation))
    if request.method == "POST" and form.is_valid():
        try:
            item, created = library.library_item_from_consultation(
                actor=user, consultation=consultation, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Ответ опубликован в библиотеке.")
                if created
                else _("Вопрос и ответ в библиотеке обновлены."),
            )
            return redirect(item)
    return render(request, "resources/faq_form.html", {"form": form, "consultation": consultation})
