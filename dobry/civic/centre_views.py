"""What the author, the team and the resource centre do with an initiative: stage moves,
results on the timeline, the centre's public answer, links to what came of it; and the
coordinators' moderation queue and list of initiatives awaiting an answer."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.civic import forms, permissions, selectors
from dobry.civic.models import InitiativeLink
from dobry.civic.services import initiatives as services
from dobry.civic.services import people
from dobry.civic.services.links import link_kind_choices
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message, form_error_message
from dobry.core.redirects import redirect_to_next
from dobry.core.request_values import form_values


@login_required
@require_POST
def initiative_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    initiative = permissions.get_initiative_for_user(user, pk)
    values = form_values(forms.InitiativeMoveForm(request.POST))
    with domain_error_message(request, success=_("Готово."), details=True):
        services.initiative_move(
            actor=user, initiative=initiative, name=values["move"], note=values.get("note") or ""
        )
    return redirect(initiative)


@login_required
@require_POST
def timeline_post(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    initiative = permissions.get_initiative_for_user(user, pk)
    form = forms.TimelineForm(request.POST, request.FILES)
    if not form.is_valid():
        form_error_message(request, form, _("Результат не добавлен."))
        return redirect(initiative)
    with domain_error_message(request, success=_("Результат добавлен в хронику."), details=True):
        try:
            services.timeline_post(actor=user, initiative=initiative, **form.cleaned_data)
        except ValidationError as error:
            raise DomainError(
                _("Результат не добавлен."), field_errors=error.message_dict
            ) from None
    return redirect(initiative)


@login_required
@require_POST
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    initiative = permissions.get_initiative_for_user(user, pk)
    form = forms.ResponseForm(request.POST)
    if not form.is_valid():
        form_error_message(request, form, _("Ответ не сохранён."))
        return redirect(initiative)
    with domain_error_message(request, success=_("Ответ опубликован."), details=True):
        services.centre_respond(actor=user, initiative=initiative, **form.cleaned_data)
    return redirect(initiative)


@login_required
@require_POST
def link_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    initiative = permissions.get_initiative_for_user(user, pk)
    form = forms.LinkForm(request.POST, kinds=link_kind_choices())
    if not form.is_valid():
        form_error_message(request, form, _("Связь не добавлена."))
        return redirect(initiative)
    with domain_error_message(request, success=_("Связь добавлена."), details=True):
        services.link_add(actor=user, initiative=initiative, **form.cleaned_data)
    return redirect(initiative)


@login_required
@require_POST
def link_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    link = get_object_or_404(InitiativeLink.objects.select_related("initiative"), pk=pk)
    with domain_error_message(request, success=_("Связь удалена.")):
        services.link_remove(actor=user, link=link)
    return redirect(link.initiative)


@login_required
@require_POST
def comment_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    found = permissions.get_comment_for_user(user, pk)
    name = form_values(forms.CommentMoveForm(request.POST))["move"]
    with domain_error_message(request, success=_("Готово.")):
        people.comment_move(actor=user, comment=found, name=name)
    return redirect_to_next(request, f"{found.initiative.get_absolute_url()}#comments")


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    """The coordinators' desk: reported comments and initiatives awaiting an answer."""
    decision = permissions.can_moderate(request.user)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    context = {
        "comments": list(selectors.moderation_queue()),
        "awaiting": list(selectors.awaiting_response()),
    }
    return render(request, "civic/moderation.html", context)
