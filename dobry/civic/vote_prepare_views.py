"""The coordinators' pages that prepare a residents' vote: a new vote, and the preparation
page of one — its rules, its options (from the competition's applications, initiatives or
named by hand) and its officers. The options and rules are what residents vote by: once
voting has opened they no longer change (`permissions.can_prepare_vote`), and the page says
why (409 to a form sent after)."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.accounts.models import User
from dobry.civic import permissions, vote_forms
from dobry.civic.models import Vote, VoteOption
from dobry.civic.services import votes
from dobry.core.errors import DomainError
from dobry.core.feedback import form_saved
from dobry.core.forms import add_service_error
from dobry.core.permissions import Decision


def _allowed(decision: Decision) -> None:
    if not decision and not decision.not_now:
        raise PermissionDenied(str(decision.reason))


@login_required
def vote_new(request: HttpRequest) -> HttpResponse:
    """A coordinator prepares a new vote (a draft, seen by coordinators only)."""
    user = request_user(request)
    _allowed(permissions.can_manage_votes(user))
    form = vote_forms.VoteCreateForm(request.POST or None)
    vote = form_saved(
        request,
        form,
        lambda: votes.vote_create(actor=user, **form.cleaned_data),
        success=_("Голосование подготовлено. Добавьте варианты."),
    )
    if vote:
        return redirect("votes:prepare", vote.pk)
    return render(request, "civic/votes/new.html", {"form": form})


def _prepare_page(
    request: HttpRequest, vote: Vote, forms: dict[str, Form] | None = None, *, status: int = 200
) -> HttpResponse:
    """The preparation page; `forms` are forms sent and refused, shown with their errors."""
    forms = forms or {}
    user = request_user(request)
    decision = permissions.can_prepare_vote(user, vote)
    context = {
        "vote": vote,
        "decision": decision,
        "officers_decision": permissions.can_manage_officers(user, vote),
        "options": vote.options.select_related("application", "initiative"),
        "officers": vote.officers.order_by("last_name", "first_name", "pk"),
        "rules_form": forms.get("rules_form") or vote_forms.VoteRulesForm.of(vote),
        "option_form": forms.get("option_form") or vote_forms.OptionForm(vote=vote),
        "officer_form": forms.get("officer_form") or vote_forms.OfficerForm(),
        "closes_automatically_at": votes.closes_automatically_at(vote),
    }
    return render(request, "civic/votes/prepare.html", context, status=status)


def _coordinators_vote(request: HttpRequest, pk: int) -> Vote:
    return permissions.get_vote_for_user(request_user(request), pk, action="prepare")


def _refused(
    request: HttpRequest,
    vote: Vote,
    may: Callable[[User, Vote], Decision] = permissions.can_prepare_vote,
) -> HttpResponse | None:
    """The page again with the reason (409) when a form comes after voting opened."""
    decision = may(request_user(request), vote)
    _allowed(decision)
    if decision:
        return None
    messages.error(request, str(decision.reason))
    return _prepare_page(request, vote, status=409)


def _prepare_form(
    request: HttpRequest, vote: Vote, name: str, form: Form, save: Callable[[], object], done: str
) -> HttpResponse:
    """A form of the preparation page: after voting opened, the page with the reason (409);
    saved, back to the page; refused or not valid, the page with the form's errors."""
    refused = _refused(request, vote)
    if refused:
        return refused
    if form_saved(request, form, save, success=done):
        return redirect("votes:prepare", vote.pk)
    return _prepare_page(request, vote, {name: form})


@login_required
def vote_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    """The preparation page; a POST saves the rules."""
    vote = _coordinators_vote(request, pk)
    if request.method != "POST":
        return _prepare_page(request, vote)
    user = request_user(request)
    form = vote_forms.VoteRulesForm(request.POST)
    return _prepare_form(
        request,
        vote,
        "rules_form",
        form,
        lambda: votes.vote_update(actor=user, vote=vote, **form.cleaned_data),
        _("Правила голосования сохранены."),
    )


@login_required
@require_POST
def option_add(request: HttpRequest, pk: int) -> HttpResponse:
    vote = _coordinators_vote(request, pk)
    user = request_user(request)
    form = vote_forms.OptionForm(request.POST, vote=vote)
    return _prepare_form(
        request,
        vote,
        "option_form",
        form,
        lambda: votes.option_add(actor=user, vote=vote, **form.cleaned_data),
        _("Вариант добавлен."),
    )


@login_required
@require_POST
def option_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    option = VoteOption.objects.select_related("vote").filter(pk=pk).first()
    if option is None:
        raise Http404
    vote = _coordinators_vote(request, option.vote_id)
    refused = _refused(request, vote)
    if refused:
        return refused
    votes.option_remove(actor=user, option=option)
    messages.success(request, _("Вариант убран."))
    return redirect("votes:prepare", vote.pk)


@login_required
@require_POST
def officers(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a member of the counting commission by the account's email, or take one off."""
    vote = _coordinators_vote(request, pk)
    refused = _refused(request, vote, permissions.can_manage_officers)
    if refused:
        return refused
    user = request_user(request)
    form = vote_forms.OfficerForm(request.POST)
    if form.is_valid():
        officer = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if officer is None:
            form.add_error("email", _("Учётная запись с таким email не найдена."))
        else:
            try:
                if form.cleaned_data["action"] == "remove":
                    votes.officer_remove(actor=user, vote=vote, officer=officer)
                    done = _("Член счётной комиссии снят.")
                else:
                    votes.officer_add(actor=user, vote=vote, officer=officer)
                    done = _("Член счётной комиссии добавлен.")
            except DomainError as error:
                add_service_error(form, error)
            else:
                messages.success(request, done)
                return redirect("votes:prepare", vote.pk)
    return _prepare_page(request, vote, {"officer_form": form})
