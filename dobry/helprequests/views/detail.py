"""A request's page: what each reader may see of it and do with it; the recipient's data
and health data behind a confirmation (a POST, audited)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dobry.accounts.auth import request_user
from dobry.accounts.models import User
from dobry.core.confirm import confirm_page
from dobry.core.permissions import Actor
from dobry.core.workflow import Move
from dobry.helprequests import permissions, selectors
from dobry.helprequests.files import consent_scan_url
from dobry.helprequests.forms import (
    FeedbackForm,
    OfferForm,
    PriorityForm,
    ReportForm,
    RouteForm,
    TransitionForm,
)
from dobry.helprequests.matching import candidates
from dobry.helprequests.models import HELP_REQUEST_WORKFLOW, HelpOffer, HelpRequest
from dobry.helprequests.services import private_data


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The request's page. A coordinator's reading of the recipient's data is audited, so
    for them a GET shows a «Показать» button instead (`private`, a POST)."""
    help_request = permissions.get_request_for_user(request.user, pk)
    return _detail_page(request, help_request, reveal=False)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def private(request: HttpRequest, pk: int) -> HttpResponse:
    """The request's page with the recipient's name, phone, address and details, on a POST
    only (a GET asks first: dobry/core/confirm.py); the reading is written to the audit log
    by `private_data.private_fields_read`. 403 for those `can_see_private` refuses."""
    user = request_user(request)
    help_request = permissions.get_request_for_user(user, pk)
    if not permissions.can_see_private(user, help_request):
        raise PermissionDenied
    if request.method != "POST":
        return confirm_page(
            request,
            title=_("Данные получателя помощи"),
            explanation=_(
                "Имя, телефон и адрес — персональные данные (152-ФЗ). Откройте их, только если "
                "они нужны для помощи: просмотр записывается в журнал."
            ),
            button=_("Показать"),
            back_url=help_request.get_absolute_url(),
        )
    return _detail_page(request, help_request, reveal=True)


def _offer_to_answer(user: Actor, help_request: HelpRequest) -> tuple[HelpOffer | None, list[Move]]:
    """The offer made to `user` that they may still answer, and its answers (the buttons)."""
    offer = selectors.offer_to_answer(user, help_request)
    moves = permissions.offer_moves(user, offer) if offer is not None else []
    return (offer, moves) if moves else (None, [])


def _detail_page(request: HttpRequest, help_request: HelpRequest, *, reveal: bool) -> HttpResponse:
    """The request's page as its reader may see it (`reveal`: the recipient's data asked
    for with a POST) and act on it."""
    user = request.user
    context = _shown_to(user, help_request, reveal=reveal)
    context.update(_reader_actions(user, help_request, can_handle=bool(context["can_handle"])))
    if context["can_handle"]:
        context.update(_desk_of(user, help_request))
    return render(request, "helprequests/detail.html", context)


def _shown_to(user: Actor, help_request: HelpRequest, *, reveal: bool) -> dict[str, Any]:
    """What the reader sees of the request: the recipient's data (a coordinator's reading
    is audited, so it waits for their POST), whether health data and the consent's scan
    may be opened, and whether they work the request."""
    audited = permissions.private_read_is_audited(user, help_request)
    shown = private_data.private_fields_shown(user=user, help_request=help_request, reveal=reveal)
    return {
        "item": help_request,
        "private": shown,
        "private_on_request": audited and not shown,
        "health_allowed": help_request.has_health_info
        and bool(permissions.can_see_health(user, help_request)),
        "consent_scan_url": consent_scan_url(help_request)
        if help_request.has_consent_scan and permissions.can_see_consent_scan(user, help_request)
        else "",
        "is_coordinator": permissions.is_coordinator(user),
        "can_handle": permissions.can_handle(user, help_request),
    }


def _reader_actions(user: Actor, help_request: HelpRequest, *, can_handle: bool) -> dict[str, Any]:
    """What the reader may do as a volunteer or as the person who asked: answer an offer,
    offer themselves, report, rate, correct or cancel their request, be invited."""
    context: dict[str, Any] = {}
    context["my_offer"], context["my_offer_moves"] = _offer_to_answer(user, help_request)
    context["can_self_offer"] = (
        user.is_authenticated
        and help_request.status in permissions.PUBLIC_STATUSES
        and help_request.requester_id != user.pk
        and not can_handle
        and not context["my_offer"]
    )
    if user.is_authenticated and permissions.is_accepted_volunteer(user, help_request):
        context["report_form"] = ReportForm()
    done = help_request.status == HelpRequest.Status.DONE
    if done and help_request.requester_id == user.pk and not help_request.rating:
        context["feedback_form"] = FeedbackForm()
    done_by_self = (
        done
        and help_request.relation == HelpRequest.Relation.SELF
        and help_request.requester is not None
        and not hasattr(help_request.requester, "volunteer_profile")
    )
    context["can_edit"] = bool(permissions.can_edit(user, help_request))
    context["can_cancel"] = bool(permissions.can_cancel(user, help_request))
    context["invite_self"] = done_by_self and help_request.requester_id == user.pk
    context["can_invite"] = done_by_self and can_handle and help_request.invited_at is None
    return context


def _desk_of(user: Actor, help_request: HelpRequest) -> dict[str, Any]:
    """The desk of those who work the request: its candidates while it may be offered, the
    forms of its moves, urgency, routing and offers, and whom it was offered to."""
    context: dict[str, Any] = {}
    if help_request.status in (
        HelpRequest.Status.VERIFIED,
        HelpRequest.Status.MATCHING,
        HelpRequest.Status.OFFERED,
    ):
        context["offerable"] = True
        context["candidates"] = candidates(
            help_request, actor=user if isinstance(user, User) else None
        )
    context.update(
        transition_form=TransitionForm(
            help_request=help_request, moves=permissions.moves_by_hand(user, help_request)
        ),
        moves={m.name: m for m in HELP_REQUEST_WORKFLOW.allowed(help_request.status)},
        priority_form=PriorityForm(initial={"priority": help_request.priority}),
        route_form=RouteForm(),
        offer_form=OfferForm(),
        offers=selectors.offers_of(help_request),
    )
    return context


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def health(request: HttpRequest, pk: int) -> HttpResponse:
    """Health data, shown on a POST only (a GET asks first: dobry/core/confirm.py); every
    opening is written to the audit log."""
    user = request_user(request)
    help_request = permissions.get_request_for_user(user, pk)
    if not permissions.can_see_health(user, help_request):
        raise PermissionDenied
    if request.method != "POST":
        return confirm_page(
            request,
            title=_("Сведения о здоровье"),
            explanation=_(
                "Это особая категория персональных данных (152-ФЗ, ст. 10). Откройте их, только "
                "если они нужны для помощи: просмотр записывается в журнал."
            ),
            button=_("Показать сведения о здоровье"),
            back_url=help_request.get_absolute_url(),
        )
    text = private_data.health_info_read(user=user, help_request=help_request)
    return render(request, "helprequests/health.html", {"item": help_request, "text": text})
