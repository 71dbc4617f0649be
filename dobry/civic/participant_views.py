"""What residents do on an initiative's page: post and edit it, support it, follow it,
join its team, comment and report a comment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.civic import forms, permissions
from dobry.civic.models import Initiative
from dobry.civic.services import initiatives as initiative_services
from dobry.civic.services import people
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message, form_error_message
from dobry.core.forms import add_service_error


def _initiative_form(request: HttpRequest, initiative: Initiative | None) -> HttpResponse:
    user = request_user(request)
    form = forms.InitiativeForm(
        request.POST or None, instance=initiative, groups=forms.group_choices(user, initiative)
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = initiative_services.initiative_save(
                actor=user, initiative=initiative, **form.service_values()
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Сохранено."))
            return redirect(saved)
    return render(request, "civic/initiative_form.html", {"form": form, "initiative": initiative})


@login_required
def initiative_create(request: HttpRequest) -> HttpResponse:
    return _initiative_form(request, None)


@login_required
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = permissions.get_initiative_for_user(request.user, pk, action="edit")
    return _initiative_form(request, initiative)


@login_required
@require_POST
def support(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    initiative = permissions.get_initiative_for_user(user, pk)
    with domain_error_message(request, success=_("Спасибо за поддержку!")):
        people.support_add(actor=user, initiative=initiative)
    return redirect(initiative)


@login_required
@require_POST
def unsupport(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    initiative = permissions.get_initiative_for_user(user, pk)
    with domain_error_message(request, success=_("Поддержка отозвана.")):
        people.support_remove(actor=user, initiative=initiative)
    return redirect(initiative)


def _follow(request: HttpRequest, pk: int, *, on: bool) -> HttpResponse:
    user = request_user(request)
    initiative = permissions.get_initiative_for_user(user, pk)
    success = _("Вы подписаны на новости инициативы.") if on else _("Подписка отменена.")
    with domain_error_message(request, success=success):
        people.follow_set(actor=user, initiative=initiative, follow=on)
    return redirect(initiative)


@login_required
@require_POST
def follow(request: HttpRequest, pk: int) -> HttpResponse:
    return _follow(request, pk, on=True)


@login_required
@require_POST
def unfollow(request: HttpRequest, pk: int) -> HttpResponse:
    return _follow(request, pk, on=False)


@login_required
@require_POST
def team(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    initiative = permissions.get_initiative_for_user(user, pk)
    form = forms.TeamForm(request.POST)
    if not form.is_valid():
        form_error_message(request, form, _("Напишите, чем займётесь в команде."))
        return redirect(initiative)
    with domain_error_message(request, success=_("Вы в команде!"), details=True):
        people.team_join(actor=user, initiative=initiative, **form.cleaned_data)
    return redirect(initiative)


@login_required
@require_POST
def team_leave(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    initiative = permissions.get_initiative_for_user(user, pk)
    with domain_error_message(request, success=_("Вы вышли из команды.")):
        people.team_leave(actor=user, initiative=initiative)
    return redirect(initiative)


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    initiative = permissions.get_initiative_for_user(user, pk)
    form = forms.CommentForm(request.POST)
    if not form.is_valid():
        form_error_message(request, form, _("Комментарий не отправлен."))
        return redirect(initiative)
    with domain_error_message(request, success=_("Комментарий опубликован."), details=True):
        people.comment_add(actor=user, initiative=initiative, **form.cleaned_data)
    return redirect(f"{initiative.get_absolute_url()}#comments")


@login_required
@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    found = permissions.get_comment_for_user(user, pk)
    form = forms.ReportForm(request.POST)
    if not form.is_valid():
        form_error_message(request, form, _("Жалоба не отправлена."))
        return redirect(found.initiative)
    success = _("Спасибо: модератор посмотрит комментарий.")
    with domain_error_message(request, success=success):
        people.comment_report(actor=user, comment=found, **form.cleaned_data)
    return redirect(f"{found.initiative.get_absolute_url()}#comments")
