"""Public pages of charity: the catalogue, a campaign with its payment QR code (a chosen
sum works without JavaScript: a GET form), the QR image itself."""

from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dobry.accounts.auth import request_user
from dobry.charity import permissions, selectors
from dobry.charity.forms import CampaignFilterForm, SumForm
from dobry.charity.models import CAMPAIGN_WORKFLOW, Campaign
from dobry.charity.payment_qr import qr_response
from dobry.charity.payments import campaign_payload, purpose_text
from dobry.charity.services.campaigns import donor_code_for
from dobry.core.numbers import money_text
from dobry.core.page_cache import public_page
from dobry.core.request_values import choice_param, form_values, paginate, query_without


@public_page
def catalogue(request: HttpRequest) -> HttpResponse:
    form = CampaignFilterForm(request.GET or None)
    filters = form_values(form)
    page = paginate(
        request.GET, selectors.campaign_catalogue(request.user, filters), selectors.CAMPAIGN_PAGE
    )
    context = {
        "form": form,
        "page": page,
        "query": query_without(request.GET, "page"),
        "all_organizations_query": query_without(request.GET, "page", "organization"),
        "managed": permissions.organizations_managed_by(request.user),
    }
    return render(request, "charity/catalogue.html", context)


def _chosen_sum(request: HttpRequest) -> tuple[SumForm, Decimal | None]:
    form = SumForm(request.GET if "sum" in request.GET else None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data.get("sum")
    return form, None


def _code_for(request: HttpRequest, campaign: Campaign) -> str:
    """The signed-in donor's own code, else the campaign's."""
    user = request.user
    if user.is_authenticated and campaign.is_collecting:
        return donor_code_for(donor=request_user(request), campaign=campaign).code
    return campaign.code


def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.get_campaign_for_user(request.user, pk)
    form, amount = _chosen_sum(request)
    collecting = campaign.is_collecting and hasattr(campaign.organization, "bank_details")
    code = _code_for(request, campaign) if collecting else campaign.code
    context = {
        "campaign": campaign,
        # a link made before drafts were refused is not shown (a draft is its editors')
        "event": selectors.shown_event(campaign),
        "progress": selectors.progress_of(campaign),
        "recent": selectors.recent_donations(campaign),
        "updates": selectors.updates_of(campaign),
        "spent": selectors.spent_on_campaign(campaign),
        "spending": selectors.spending_of_campaign(campaign),
        "news": selectors.news_about(campaign),
        "sum_form": form,
        "amount": amount,
        "amount_text": money_text(amount) if amount is not None else "",
        "collecting": collecting,
        "code": code,
        "purpose": purpose_text(campaign, code),
        "details": getattr(campaign.organization, "bank_details", None),
        "can_manage": permissions.can_manage_money(request.user, campaign.organization).allowed,
        "moves": CAMPAIGN_WORKFLOW.moves_for(request.user, campaign, permissions.can_move_campaign),
    }
    return render(request, "charity/campaign.html", context)


@require_GET
def campaign_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The QR image: ?format=svg (default) or png, ?sum= in roubles."""
    campaign = permissions.get_campaign_for_user(request.user, pk)
    if not campaign.is_collecting or not hasattr(campaign.organization, "bank_details"):
        raise Http404
    amount = form_values(SumForm(request.GET)).get("sum") if "sum" in request.GET else None
    kind = choice_param(request.GET, "format", ("svg", "png"), "svg")
    return qr_response(
        campaign_payload(campaign, amount=amount, code=_code_for(request, campaign)), kind
    )
