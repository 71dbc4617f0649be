"""The pages of residents' votes: the list, a vote with its ballot (and its tally once
closed), the receipt check, the resident's confirmation by SMS, and for staff the list of
who voted, paper ballots from a polling point, confirming residents, announcing and
closing a vote."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.accounts.models import User
from dobry.civic import permissions, vote_forms, vote_selectors
from dobry.civic.models import VOTE_WORKFLOW, ResidentVerification, Vote, VoteOption
from dobry.civic.services import verification, votes
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message
from dobry.core.forms import add_service_error
from dobry.core.page_cache import public_page
from dobry.core.permissions import Decision
from dobry.core.request_values import form_values, paginate
from dobry.core.validators import normalize_phone


def _allowed(decision: Decision) -> None:
    if not decision:
        raise PermissionDenied(str(decision.reason))


@public_page
def vote_list(request: HttpRequest) -> HttpResponse:
    found = vote_selectors.vote_list(request.user)
    context = {
        "page": paginate(request.GET, found, vote_selectors.VOTE_PAGE),
        "can_prepare": permissions.can_manage_votes(request.user),
    }
    return render(request, "civic/votes/list.html", context)


def _budget_left(vote: Vote, chosen: list[VoteOption]) -> tuple[Decimal, Decimal, Decimal] | None:
    """What the marked options cost, what is left of the budget and by how much the
    choice is over it (budget votes), roubles."""
    if not vote.is_budget or vote.budget is None:
        return None
    spent = sum((o.cost or Decimal(0) for o in chosen), Decimal(0))
    left = vote.budget - spent
    return spent, max(left, Decimal(0)), max(-left, Decimal(0))


def vote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The vote, its options and — for a verified resident while it runs — the ballot; a
    POST casts it (or, «check», only counts what is left of a budget)."""
    user = request.user
    vote = permissions.get_vote_for_user(user, pk)
    if request.method == "POST" and not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    posted = request.method == "POST"
    form = vote_forms.BallotForm(request.POST if posted else None, vote=vote)
    chosen = list(form.cleaned_data["options"]) if form.is_valid() else []
    if posted and form.is_valid() and form.cleaned_data["action"] != "check":
        try:
            receipt = votes.ballot_cast(
                actor=request_user(request), vote=vote, option_ids=[o.pk for o in chosen]
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            return render(
                request, "civic/votes/receipt_issued.html", {"vote": vote, "receipt": receipt}
            )
    can_cast = permissions.can_cast(user, vote)
    context = {
        "vote": vote,
        "options": vote.options.select_related("application", "initiative"),
        "form": form,
        "can_cast": can_cast,
        "voted": user.is_authenticated and votes.has_voted(vote, request_user(request)),
        "budget": _budget_left(vote, chosen),
        "chosen": {o.pk for o in chosen},
        "tally": vote_selectors.tally(user, vote)
        if permissions.can_see_tally(user, vote)
        else None,
        "moves": VOTE_WORKFLOW.moves_for(user, vote, permissions.can_move_vote),
        "can_see_voters": permissions.can_see_voters(user, vote),
        "can_prepare": permissions.can_manage_votes(user),
        "can_enter_paper": permissions.can_enter_paper(user, vote),
        "sms": verification.sms_available(),
    }
    return render(request, "civic/votes/vote.html", context)


@login_required
@require_POST
def vote_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    vote = permissions.get_vote_for_user(user, pk)
    values = form_values(vote_forms.VoteMoveForm(request.POST))
    with domain_error_message(request, success=_("Готово.")):
        votes.vote_move(actor=user, vote=vote, name=values["move"])
    return redirect(vote)


@login_required
def voters(request: HttpRequest, pk: int) -> HttpResponse:
    """Who voted — the day, the way, the polling point — never what they chose."""
    user = request_user(request)
    vote = permissions.get_vote_for_user(user, pk)
    _allowed(permissions.can_see_voters(user, vote))
    page = paginate(request.GET, vote_selectors.voter_list(vote), vote_selectors.VOTER_PAGE)
    return render(request, "civic/votes/voters.html", {"vote": vote, "page": page})


def _find_resident(text: str) -> User | None:
    """An account by its email, or by its phone (the profile's or the confirmed one)."""
    text = text.strip()
    if "@" in text:
        return User.objects.filter(email__iexact=text).first()
    try:
        phone = normalize_phone(text)
    except ValidationError:  # a wrong phone finds no one
        return None
    confirmed = ResidentVerification.objects.filter(phone=phone).values("user_id")
    return User.objects.filter(Q(phone=phone) | Q(pk__in=confirmed)).order_by("pk").first()


@login_required
def paper_ballot(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer enters a paper ballot of a resident they identified at the polling point."""
    user = request_user(request)
    vote = permissions.get_vote_for_user(user, pk)
    decision = permissions.can_enter_paper(user, vote)
    if not decision and not decision.not_now:
        raise PermissionDenied(str(decision.reason))
    form = vote_forms.PaperBallotForm(request.POST or None, vote=vote)
    if request.method == "POST" and form.is_valid():
        voter = _find_resident(form.cleaned_data["voter"])
        if voter is None:
            form.add_error("voter", _("Учётная запись с таким email или телефоном не найдена."))
        else:
            try:
                receipt = votes.paper_ballot_enter(
                    actor=user,
                    vote=vote,
                    voter=voter,
                    option_ids=[o.pk for o in form.cleaned_data["options"]],
                    polling_point=form.cleaned_data["polling_point"],
                )
            except DomainError as error:
                add_service_error(form, error)
            else:
                context = {"vote": vote, "receipt": receipt, "paper": True}
                return render(request, "civic/votes/receipt_issued.html", context)
    context = {"vote": vote, "form": form, "decision": decision}
    return render(request, "civic/votes/paper.html", context)


def receipt(request: HttpRequest) -> HttpResponse:
    """Anyone with a receipt code checks that its ballot is counted (and in which vote)."""
    form = vote_forms.ReceiptForm(request.GET or None)
    found: Vote | None = None
    if form.is_bound and form.is_valid():
        found = votes.receipt_check(form.cleaned_data["code"])
    return render(request, "civic/votes/receipt.html", {"form": form, "found": found})


@login_required
def confirm(request: HttpRequest) -> HttpResponse:
    """A resident confirms their phone with a code from an SMS (when SMS is configured)."""
    user = request_user(request)
    phone_form = vote_forms.PhoneForm(request.POST if "phone" in request.POST else None)
    code_form = vote_forms.PhoneCodeForm(request.POST if "code" in request.POST else None)
    if phone_form.is_bound and phone_form.is_valid():
        try:
            verification.phone_code_send(user=user, phone=phone_form.cleaned_data["phone"])
        except DomainError as error:
            add_service_error(phone_form, error)
        else:
            messages.success(request, _("Код отправлен. Введите его ниже."))
            return redirect("votes:confirm")
    if code_form.is_bound and code_form.is_valid():
        try:
            verification.phone_code_confirm(user=user, code=code_form.cleaned_data["code"])
        except DomainError as error:
            add_service_error(code_form, error)
        else:
            messages.success(request, _("Телефон подтверждён: вы можете голосовать."))
            return redirect("votes:list")
    context = {
        "verified": ResidentVerification.objects.filter(user=user).first(),
        "sms": verification.sms_available(),
        "phone_form": phone_form,
        "code_form": code_form,
    }
    return render(request, "civic/votes/confirm.html", context)


@login_required
def residents(request: HttpRequest) -> HttpResponse:
    """A coordinator confirms a resident to vote (or withdraws it) by the account's email."""
    user = request_user(request)
    _allowed(permissions.can_verify_residents(user))
    form = vote_forms.ResidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resident = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if resident is None:
            form.add_error("email", _("Учётная запись с таким email не найдена."))
        else:
            try:
                if form.cleaned_data["action"] == "verify":
                    verification.resident_verify(actor=user, user=resident)
                    done = _("Житель подтверждён и может голосовать.")
                else:
                    verification.resident_unverify(actor=user, user=resident)
                    done = _("Подтверждение снято.")
            except DomainError as error:
                add_service_error(form, error)
            else:
                messages.success(request, done)
                return redirect("votes:residents")
    count = ResidentVerification.objects.count()
    return render(request, "civic/votes/residents.html", {"form": form, "count": count})
