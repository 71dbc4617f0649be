from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.core import references
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message, form_error_message
from dobry.core.forms import add_service_error
from dobry.core.page_cache import public_page
from dobry.core.request_values import form_values, paginate
from dobry.core.typography import quoted
from dobry.organizations import permissions, selectors, services
from dobry.organizations.forms import (
    InvitationForm,
    MembershipRoleForm,
    OrganizationFilterForm,
    OrganizationForm,
    ReturnForm,
)
from dobry.organizations.models import Membership, Organization
from dobry.organizations.sections import page_sections

PAGE_SIZE = 20


@public_page
def catalogue(request: HttpRequest) -> HttpResponse:
    form = OrganizationFilterForm(request.GET or None)
    organizations = Organization.objects.verified()
    if data := form_values(form):
        if data["verified"] == "all":
            organizations = Organization.objects.listed()
        organizations = organizations.search(data["q"])
        if data["kind"]:
            organizations = organizations.filter(kind=data["kind"])
        if data["area"]:
            organizations = organizations.with_area(data["area"])
        if data["district"]:
            organizations = organizations.filter(district=data["district"])
    page = paginate(request.GET, organizations.for_list().order_by("name", "pk"), PAGE_SIZE)
    page.object_list = permissions.as_shown_to(request.user, page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organizations/catalogue.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@public_page
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = permissions.get_organization_for_user(request.user, pk)
    user = request.user
    details = permissions.can_see_details(user, organization)
    context = {
        # not verified yet: its name only, to all but its members and the reviewers
        "organization": organization if details else permissions.name_only(organization),
        "details_hidden": "" if details else str(details.reason),
        "can_edit": permissions.can_edit(user, organization).allowed,
        "review_moves": permissions.review_moves(user, organization),
        "can_see_members": permissions.can_see_members(user, organization).allowed,
        "can_manage_members": permissions.can_manage_members(user, organization).allowed,
        "return_form": ReturnForm(),
        "sections": page_sections(organization, user) if details else [],
    }
    if context["can_see_members"]:
        context["memberships"] = selectors.members_of(organization, with_emails=False)
        context["support_records"] = references.attach(
            organization.support_records.all()[:20], "source", user
        )
    return render(request, "organizations/detail.html", context)


@login_required
def propose(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = OrganizationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_propose(
                user=user,
                fields=form.service_fields(),
                areas=form.cleaned_data["areas"],
                logo=form.cleaned_data.get("logo"),
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Спасибо! Организация отправлена на проверку координаторам ресурсного центра."),
            )
            return redirect(organization)
    return render(request, "organizations/form.html", {"form": form, "organization": None})


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    organization = permissions.get_organization_for_user(user, pk, action="edit")
    form = OrganizationForm(request.POST or None, request.FILES or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(
                actor=user,
                organization=organization,
                fields=form.service_fields(),
                areas=form.cleaned_data["areas"],
                logo=form.cleaned_data.get("logo") or None,
                confirm_review=form.confirms_review(),
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _saved_message(organization))
            return redirect(organization)
    return render(request, "organizations/form.html", {"form": form, "organization": organization})


def _saved_message(organization: Organization) -> str:
    if organization.status == Organization.Status.PENDING:
        return _("Изменения сохранены. Организация отправлена на проверку координаторам.")
    return _("Изменения сохранены.")


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not permissions.is_reviewer(user):
        raise PermissionDenied
    pending = Organization.objects.filter(status=Organization.Status.PENDING).for_list()
    page = paginate(request.GET, pending.order_by("created_at", "pk"), PAGE_SIZE)
    return render(request, "organizations/review_queue.html", {"page": page})


@login_required
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    organization = permissions.get_organization_for_user(user, pk, action="review")
    with domain_error_message(request, success=_("Организация проверена и отмечена значком.")):
        services.organization_verify(actor=user, organization=organization)
    return redirect(organization)


@login_required
@require_POST
def return_for_changes(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    organization = permissions.get_organization_for_user(user, pk, action="review")
    form = ReturnForm(request.POST)
    if not form.is_valid():
        form_error_message(request, form, _("Укажите, что нужно исправить."))
        return redirect(organization)
    with domain_error_message(request, success=_("Организация возвращена на доработку.")):
        services.organization_return(
            actor=user, organization=organization, reason=form.cleaned_data["reason"]
        )
    return redirect(organization)


@login_required
def members(request: HttpRequest, pk: int) -> HttpResponse:
    """The members page: read-only for those who may see the members (members and
    coordinators, `can_see_members`, as the API's list); the forms and the members'
    addresses only for those who manage them (`can_manage_members`: the owner)."""
    user = request_user(request)
    organization = permissions.get_organization_for_user(user, pk, action="see_members")
    can_manage = permissions.can_manage_members(user, organization)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied(can_manage.reason)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                actor=user,
                organization=organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Приглашение отправлено."))
            return redirect("organizations:members", pk=organization.pk)
    context = {
        "organization": organization,
        "can_manage": bool(can_manage),
        "form": form,
        "memberships": selectors.members_of(organization, with_emails=bool(can_manage)),
        "invitations": [
            (invitation, permissions.invitation_moves(user, invitation))
            for invitation in selectors.pending_invitations_of(organization)
        ]
        if can_manage
        else [],
        "role_choices": Membership.Role.choices,
    }
    return render(request, "organizations/members.html", context)


@login_required
@require_POST
def membership_role(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    user = request_user(request)
    membership = permissions.get_membership_for_user(user, pk, membership_pk, action="role")
    data = form_values(MembershipRoleForm(request.POST))
    with domain_error_message(request, success=_("Роль изменена.")):
        services.membership_set_role(actor=user, membership=membership, role=data["role"])
    return redirect("organizations:members", pk=pk)


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    """An owner removes a member; anyone may remove themselves (leave)."""
    user = request_user(request)
    membership = permissions.get_membership_for_user(user, pk, membership_pk, action="remove")
    leaving = membership.user_id == user.pk
    with domain_error_message(request) as outcome:
        services.membership_remove(actor=user, membership=membership)
    if not outcome.ok:
        return redirect(membership.organization)
    if leaving:
        messages.success(request, _("Вы вышли из организации."))
        return redirect("accounts:profile")
    messages.success(request, _("Участник исключён."))
    return redirect("organizations:members", pk=pk)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    user = request_user(request)
    invitation = permissions.get_invitation_for_user(user, pk, invitation_pk)
    with domain_error_message(request):
        services.invitation_revoke(actor=user, invitation=invitation)
    return redirect("organizations:members", pk=pk)


@login_required
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    user = request_user(request)
    invitation = permissions.get_invitation_by_token(token)
    if request.method == "POST":
        with domain_error_message(request) as outcome:
            services.invitation_accept(user=user, invitation=invitation)
        if outcome.ok:
            messages.success(
                request, _("Вы вступили в организацию %s.") % quoted(invitation.organization)
            )
            return redirect(invitation.organization)
    moves = {move.name: move for move in permissions.invitation_moves(user, invitation)}
    # someone else's or an expired invitation says why; a used one just says it is used
    refusal = permissions.invitation_refusal(user, invitation)
    return render(
        request,
        "organizations/invitation.html",
        {"invitation": invitation, "accept": moves.get("accept"), "refusal": refusal},
    )
