"""An organisation's charity desk: bank details, campaigns and their updates, donations
recorded by hand, bank statements (upload → preview → commit) and the queue of payments
waiting for a person. Only the organisation's owner and editors (`permissions`)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.charity import permissions, selectors
from dobry.charity.forms import (
    AssignForm,
    BankDetailsForm,
    CampaignForm,
    CampaignMoveForm,
    CampaignUpdateForm,
    DonationForm,
    EntryMoveForm,
    MappingForm,
    StatementMoveForm,
    StatementUploadForm,
)
from dobry.charity.models import STATEMENT_WORKFLOW
from dobry.charity.services import campaigns as campaign_services
from dobry.charity.services import donations as donation_services
from dobry.charity.services import statements as statement_services
from dobry.charity.statements import StatementError
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message, form_error_message
from dobry.core.forms import add_service_error
from dobry.core.request_values import form_values, paginate

SERVICE_ERRORS = (DomainError, ValidationError)


@login_required
def desk(request: HttpRequest, organization_pk: int) -> HttpResponse:
    organization = permissions.get_money_organization_for_user(request.user, organization_pk)
    context = {
        "organization": organization,
        "details": getattr(organization, "bank_details", None),
        "campaigns": selectors.campaigns_of(organization),
        "queued": selectors.queue_of(organization).count(),
        "needs": selectors.needs_of(organization),
        "can_start": permissions.can_start_campaign(request.user, organization),
    }
    return render(request, "charity/desk.html", context)


@login_required
def bank_details(request: HttpRequest, organization_pk: int) -> HttpResponse:
    user = request_user(request)
    organization = permissions.get_money_organization_for_user(user, organization_pk)
    instance = getattr(organization, "bank_details", None)
    form = BankDetailsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            campaign_services.bank_details_save(
                actor=user, organization=organization, **form.cleaned_data
            )
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Реквизиты сохранены и проверены."))
            return redirect("charity:desk", organization.pk)
    return render(
        request, "charity/bank_details.html", {"organization": organization, "form": form}
    )


@login_required
def campaign_create(request: HttpRequest, organization_pk: int) -> HttpResponse:
    user = request_user(request)
    organization = permissions.get_money_organization_for_user(user, organization_pk)
    # The page says why a campaign cannot be started yet rather than take a form the
    # service would refuse (the API answers the same decision with 409).
    refusal = permissions.can_start_campaign(user, organization)
    form = CampaignForm(request.POST or None, request.FILES or None, organization=organization)
    if refusal and request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_services.campaign_create(
                actor=user, organization=organization, **form.service_values()
            )
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Черновик сбора сохранён. Проверьте его и начните сбор."))
            return redirect(campaign)
    context = {
        "organization": organization,
        "form": form,
        "campaign": None,
        "refusal": None if refusal else refusal.reason,
    }
    return render(request, "charity/campaign_form.html", context)


@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    campaign = permissions.get_campaign_for_user(user, pk, action="manage")
    form = CampaignForm(
        request.POST or None,
        request.FILES or None,
        instance=campaign,
        organization=campaign.organization,
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign_services.campaign_edit(actor=user, campaign=campaign, **form.service_values())
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Изменения сохранены."))
            return redirect(campaign)
    context = {"organization": campaign.organization, "form": form, "campaign": campaign}
    return render(request, "charity/campaign_form.html", context)


@login_required
@require_POST
def campaign_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    campaign = permissions.get_campaign_for_user(user, pk)
    name = form_values(CampaignMoveForm(request.POST))["move"]
    with domain_error_message(request, success=_("Готово.")):
        campaign_services.campaign_move(actor=user, campaign=campaign, name=name)
    return redirect(campaign)


@login_required
@require_POST
def campaign_post_update(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    campaign = permissions.get_campaign_for_user(user, pk, action="manage")
    form = CampaignUpdateForm(request.POST, request.FILES)
    if not form.is_valid():
        form_error_message(request, form, _("Напишите, что нового."))
        return redirect(campaign)
    with domain_error_message(request, success=_("Новость сбора опубликована."), details=True):
        try:
            campaign_services.campaign_post_update(
                actor=user, campaign=campaign, **form.cleaned_data
            )
        except ValidationError as error:
            raise DomainError(" ".join(error.messages)) from None
    return redirect(campaign)


@login_required
def donations(request: HttpRequest, organization_pk: int) -> HttpResponse:
    user = request_user(request)
    organization = permissions.get_money_organization_for_user(user, organization_pk)
    # The page says why a donation cannot be recorded yet rather than take a form the
    # service would refuse (the API answers the same decision with 409).
    refusal = permissions.can_record_donation(user, organization)
    form = DonationForm(request.POST or None, organization=organization)
    if refusal and request.method == "POST" and form.is_valid():
        try:
            donation_services.donation_record(
                actor=user, organization=organization, **form.cleaned_data
            )
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Пожертвование записано."))
            return redirect("charity:donations", organization.pk)
    page = paginate(request.GET, selectors.donations_of(organization), selectors.DESK_PAGE)
    return render(
        request,
        "charity/donations.html",
        {
            "organization": organization,
            "form": form,
            "page": page,
            "refusal": None if refusal else refusal.reason,
        },
    )


@login_required
def statements(request: HttpRequest, organization_pk: int) -> HttpResponse:
    user = request_user(request)
    organization = permissions.get_money_organization_for_user(user, organization_pk)
    form = StatementUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            statement = statement_services.statement_upload(
                actor=user, organization=organization, upload=form.cleaned_data["file"]
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            return redirect("charity:statement", statement.pk)
    page = paginate(request.GET, selectors.statements_of(organization), selectors.DESK_PAGE)
    context = {"organization": organization, "form": form, "page": page}
    return render(request, "charity/statements.html", context)


def _preview_context(statement: Any) -> dict[str, Any]:
    try:
        preview = statement_services.statement_preview(statement)
        problem = ""
    except StatementError as error:
        preview, problem = None, error.message
    return {"preview": preview, "problem": problem}


@login_required
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    found = permissions.get_statement_for_user(user, pk)
    mapping_form = None
    if found.format == found.Format.TABLE and found.status == found.Status.PREVIEW:
        mapping_form = MappingForm(
            request.POST or None, headers=found.content.get("headers", []), initial=found.mapping
        )
        if request.method == "POST" and mapping_form.is_valid():
            try:
                statement_services.statement_map(
                    actor=user, statement=found, mapping=mapping_form.cleaned_data
                )
            except DomainError as error:
                add_service_error(mapping_form, error)
            else:
                return redirect("charity:statement", found.pk)
    context = {
        "statement": found,
        "organization": found.organization,
        "mapping_form": mapping_form,
        "moves": STATEMENT_WORKFLOW.moves_for(user, found, permissions.can_move_statement),
    }
    if found.status == found.Status.PREVIEW:
        context.update(_preview_context(found))
    return render(request, "charity/statement.html", context)


@login_required
@require_POST
def statement_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    found = permissions.get_statement_for_user(user, pk)
    name = form_values(StatementMoveForm(request.POST))["move"]
    service = {
        "commit": statement_services.statement_commit,
        "discard": statement_services.statement_discard,
    }
    with domain_error_message(request) as outcome:
        found = service[name](actor=user, statement=found)
    if outcome.ok and name == "commit":
        messages.success(
            request,
            _(
                "Записано платежей: %(written)s, уже были загружены: %(duplicates)s, сопоставлено со сборами: %(matched)s."
            )
            % {
                "written": found.lines_read - found.duplicates,
                "duplicates": found.duplicates,
                "matched": found.matched,
            },
        )
        return redirect("charity:queue", found.organization_id)
    if outcome.ok:
        return redirect("charity:statements", found.organization_id)
    return redirect("charity:statement", found.pk)


@login_required
def queue(request: HttpRequest, organization_pk: int) -> HttpResponse:
    user = request_user(request)
    organization = permissions.get_money_organization_for_user(user, organization_pk)
    page = paginate(request.GET, selectors.queue_of(organization), selectors.DESK_PAGE)
    # one list of campaigns for every entry's choice (the choices read once, not per row)
    campaigns = list(selectors.collecting_campaigns_of(organization))
    context = {"organization": organization, "page": page, "campaigns": campaigns}
    return render(request, "charity/queue.html", context)


@login_required
@require_POST
def entry_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    entry = permissions.get_entry_for_user(user, pk)
    name = form_values(EntryMoveForm(request.POST))["move"]
    form = AssignForm(request.POST, organization=entry.organization)
    campaign = form_values(form).get("campaign") if name == "assign" else None
    with domain_error_message(request, success=_("Готово.")):
        if name == "assign":
            donation_services.entry_assign(actor=user, entry=entry, campaign=campaign)
        else:
            donation_services.entry_move(actor=user, entry=entry, name=name)
    return redirect(reverse("charity:queue", args=[entry.organization_id]))
