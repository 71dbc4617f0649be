"""The catalogue of external grant calls: public lists and page, the fit for an
organisation, following a call, and the resource centre's editing pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.core.clock import local_today
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message, form_error_message
from dobry.core.forms import add_service_error
from dobry.core.request_values import form_values, paginate
from dobry.opportunities import imports, permissions, selectors, suits
from dobry.opportunities.cabinet import cabinet_of
from dobry.opportunities.forms import (
    FilterForm,
    FollowForm,
    ImportActionForm,
    ImportForm,
    OpportunityForm,
    SuitsForm,
)
from dobry.opportunities.models import Follow
from dobry.opportunities.services import catalogue, follows

PAGE_SIZE = 20
# The ranking sorts every open call that passes the filters; more than this is a sign the
# filters were left empty, and the first ones by deadline are ranked.
RANKED_AT_MOST = 200


def _filters(data: dict, *, archive: bool = False) -> selectors.Filters:
    return selectors.Filters(
        q=data.get("q") or "",
        programme=data.get("programme") or "",
        area=data.get("area") or "",
        kind=data.get("kind") or "",
        amount=data.get("amount"),
        archive=archive,
    )


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def opportunity_list(request: HttpRequest) -> HttpResponse:
    """Open and upcoming calls; for a member of an organisation, ranked for it with reasons."""
    organizations = permissions.member_organizations(request.user)
    form = SuitsForm(request.GET or None, organizations=organizations)
    data = form_values(form)
    found = selectors.opportunities(_filters(data))
    context = {"form": form, "query": _query(request), "can_keep": False}
    context["can_keep"] = permissions.can_keep_catalogue(request.user).allowed
    context["has_organizations"] = organizations.exists()
    organization = data.get("organization")
    if organization is not None:
        context["organization"] = organization
        context["fits"] = suits.rank_for(
            organization,
            found[:RANKED_AT_MOST],
            today=local_today(),
            wanted=data.get("amount"),
        )
    else:
        context["page"] = paginate(request.GET, found, PAGE_SIZE)
    return render(request, "opportunities/list.html", context)


def opportunity_archive_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    found = selectors.opportunities(_filters(form_values(form), archive=True))
    page = paginate(request.GET, found, PAGE_SIZE)
    return render(
        request,
        "opportunities/archive.html",
        {"form": form, "page": page, "query": _query(request)},
    )


def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = permissions.get_opportunity_for_user(request.user, pk)
    mine = permissions.following_organizations(request.user)
    followed = set(
        Follow.objects.filter(opportunity=opportunity, organization__in=mine).values_list(
            "organization_id", flat=True
        )
    )
    today = local_today()
    fits = [
        (organization, suits.rank_for(organization, [opportunity], today=today)[0])
        for organization in permissions.member_organizations(request.user)[:10]
    ]
    context = {
        "opportunity": opportunity,
        "following": [o for o in mine if o.pk in followed],
        "follow_form": FollowForm(organizations=mine.exclude(pk__in=followed)),
        "fits": fits,
        "can_keep": permissions.can_keep_catalogue(request.user).allowed,
    }
    return render(request, "opportunities/detail.html", context)


@login_required
def opportunity_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not permissions.can_keep_catalogue(user):
        raise PermissionDenied
    form = OpportunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = catalogue.opportunity_create(actor=user, **form.cleaned_data)
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Конкурс добавлен в каталог."))
            return redirect(opportunity)
    return render(request, "opportunities/form.html", {"form": form})


@login_required
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    opportunity = permissions.get_opportunity_for_user(user, pk)
    if not permissions.can_keep_catalogue(user):
        raise PermissionDenied
    form = OpportunityForm(request.POST or None, instance=opportunity)
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = catalogue.opportunity_update(
                actor=user, opportunity=opportunity, **form.cleaned_data
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Описание конкурса сохранено."))
            return redirect(opportunity)
    return render(request, "opportunities/form.html", {"form": form, "opportunity": opportunity})


@login_required
@require_POST
def opportunity_archive(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    opportunity = permissions.get_opportunity_for_user(user, pk)
    if not permissions.can_keep_catalogue(user):
        raise PermissionDenied
    archived = not opportunity.withdrawn
    done = _("Конкурс перенесён в архив.") if archived else _("Конкурс возвращён из архива.")
    with domain_error_message(request, success=done):
        catalogue.opportunity_archive(actor=user, opportunity=opportunity, archived=archived)
    return redirect(opportunity)


@login_required
@require_POST
def opportunity_follow(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    opportunity = permissions.get_opportunity_for_user(user, pk)
    form = FollowForm(request.POST, organizations=permissions.following_organizations(user))
    if not form.is_valid():
        form_error_message(request, form, _("Выберите организацию."))
        return redirect(opportunity)
    with domain_error_message(request, success=_("Напомним о сроке подачи за 14 и за 3 дня.")):
        follows.follow_create(
            actor=user, opportunity=opportunity, organization=form.cleaned_data["organization"]
        )
    return redirect(opportunity)


@login_required
@require_POST
def opportunity_unfollow(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    opportunity = permissions.get_opportunity_for_user(user, pk)
    form = FollowForm(request.POST, organizations=permissions.following_organizations(user))
    if not form.is_valid():
        form_error_message(request, form, _("Выберите организацию."))
        return redirect(opportunity)
    with domain_error_message(request, success=_("Напоминаний об этом конкурсе больше не будет.")):
        follows.follow_delete(
            actor=user, opportunity=opportunity, organization=form.cleaned_data["organization"]
        )
    return redirect(opportunity)


@login_required
def applicant_cabinet(request: HttpRequest) -> HttpResponse:
    """The applicant's cabinet: applications, agreements, report deadlines, followed calls."""
    cabinet = cabinet_of(request_user(request), today=local_today())
    return render(request, "opportunities/cabinet.html", {"cabinet": cabinet})


@login_required
def opportunity_import(request: HttpRequest) -> HttpResponse:
    """Check a table (the mapping and each row's errors); «Загрузить» adds the valid rows."""
    user = request_user(request)
    if not permissions.can_keep_catalogue(user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        action = form_values(ImportActionForm(request.POST))["action"]
        upload = form.cleaned_data["file"]
        try:
            preview = imports.read(upload.read(), upload.name)
            if action == "import":
                context["added"] = catalogue.opportunities_import(actor=user, rows=preview.valid)
        except DomainError as error:
            add_service_error(form, error)
        else:
            context["preview"] = preview
            context["columns"] = [
                (header, imports.label_of(preview.mapping.get(column)))
                for column, header in enumerate(preview.headers)
            ]
    return render(request, "opportunities/import.html", context)
