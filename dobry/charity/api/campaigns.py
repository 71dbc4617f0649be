"""Campaigns by API: the public list and a campaign, writing and the moves, updates, the
payment QR code (ГОСТ Р 56042-2014) and the bank details it is built from."""

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from dobry.accounts.auth import api_user, api_viewer
from dobry.api.auth import OPTIONAL_AUTH
from dobry.api.fields import (
    Amount,
    Day,
    DistrictSlug,
    Id,
    Money,
    Pages,
    SearchText,
    chosen_object,
    district_by_slug,
    known_object,
    sent_fields,
)
from dobry.api.moves import register_moves
from dobry.charity import permissions, selectors
from dobry.charity.models import CAMPAIGN_WORKFLOW, BankDetails, Campaign, CampaignUpdate
from dobry.charity.payment_qr import MAX_SUM_KOPECKS, payment_payload, qr_response
from dobry.charity.payments import purpose_text
from dobry.charity.services import campaigns as campaign_services
from dobry.core.errors import DomainError
from dobry.core.input_schema import InputSchema
from dobry.core.text_limits import text_limit
from dobry.helprequests.models import Programme
from dobry.organizations.areas import Area
from dobry.organizations.models import Organization

router = Router(tags=["charity"])


def _limit(name: str) -> int:
    return text_limit(Campaign, name)


class CampaignOut(Schema):
    id: int
    code: str = Field(description="what a payment's purpose carries: «DG-12»")
    organization_id: int
    organization: str = Field(alias="organization.name")
    title: str
    purpose: str
    goal: Money
    received: Money = Field(description="the sum of recorded donations, roubles")
    donors: int = Field(description="distinct donors")
    deadline: date = Field(description="the last day of collecting, the city's local date")
    area: str
    status: Campaign.Status
    url: str

    @staticmethod
    def resolve_url(obj: Campaign) -> str:
        return obj.get_absolute_url()


class CampaignDetailOut(CampaignOut):
    story: str = Field(description="sanitised HTML")
    cover_url: str | None
    cover_alt: str
    programme_id: int | None
    event_id: int | None
    agreement_id: int | None = Field(description="the grant project (a signed agreement)")
    moves: list[str] = Field(description="what the caller may do now: publish, finish, reopen")
    can_manage: bool

    @staticmethod
    def resolve_cover_url(obj: Campaign) -> str | None:
        return obj.cover.url if obj.cover else None


class CampaignFilters(Schema):
    q: SearchText | None = None
    show: Literal["collecting", "ending", "finished"] | None = None
    area: Area | None = None
    organization: Id | None = None
    district: DistrictSlug | None = None


class CampaignIn(InputSchema):
    title: str = Field(min_length=1, max_length=_limit("title"))
    purpose: str = Field(min_length=1, max_length=_limit("purpose"))
    story: str = Field("", max_length=_limit("story"), description="HTML; sanitised when saved")
    goal: Amount = Field(description="roubles")
    deadline: Day = Field(description="the city's local date")
    area: Area | None = None
    district: DistrictSlug | None = None
    programme: Id | None = None
    event: Id | None = None
    agreement: Id | None = Field(None, description="a signed grant agreement of the organisation")
    cover_alt: str = Field("", max_length=_limit("cover_alt"))


class CampaignPatch(InputSchema):
    title: str | None = Field(None, min_length=1, max_length=_limit("title"))
    purpose: str | None = Field(None, min_length=1, max_length=_limit("purpose"))
    story: str | None = Field(None, max_length=_limit("story"))
    goal: Amount | None = None
    deadline: Day | None = None
    area: Area | None = None
    district: DistrictSlug | None = None
    programme: Id | None = None
    event: Id | None = None
    agreement: Id | None = None
    cover_alt: str | None = Field(None, max_length=_limit("cover_alt"))


class UpdateOut(Schema):
    id: int
    text: str
    photo_url: str | None
    photo_alt: str

    @staticmethod
    def resolve_photo_url(obj: CampaignUpdate) -> str | None:
        return obj.photo.url if obj.photo else None


class QrQuery(Schema):
    sum: Amount | None = Field(
        None,
        gt=0,
        le=Decimal(MAX_SUM_KOPECKS) / 100,
        decimal_places=2,  # a sum in whole kopecks: «0.001» is no sum to pay (was a 500)
        description="roubles, at most two decimals; none: the donor types it in the bank's app",
    )
    format: Literal["json", "png", "svg"] = "json"


class PaymentQrOut(Schema):
    payload: str = Field(description="the ГОСТ Р 56042-2014 text the QR code holds")
    purpose: str
    code: str = Field(description="the campaign's code, or the signed-in donor's own")
    sum_kopecks: int | None
    png_url: str
    svg_url: str


class BankDetailsIO(InputSchema):
    payee_name: str = Field(min_length=1, max_length=160)
    inn: str = Field(min_length=10, max_length=12)
    kpp: str = Field("", max_length=9)
    account: str = Field(min_length=20, max_length=20)
    bank_name: str = Field(min_length=1, max_length=45)
    bic: str = Field(min_length=9, max_length=9)
    correspondent_account: str = Field(min_length=20, max_length=20)


def _campaign_detail(campaign: Campaign, request: HttpRequest) -> Campaign:
    """The campaign with its figures and what the caller may do with it now."""
    user = api_viewer(request)
    progress = selectors.progress_of(campaign)
    moves = CAMPAIGN_WORKFLOW.moves_for(user, campaign, permissions.can_move_campaign)
    vars(campaign).update(
        received=progress.received,
        donors=progress.donors,
        moves=[move.name for move in moves],
        can_manage=permissions.can_manage_money(user, campaign.organization).allowed,
    )
    return campaign


def _values(organization: Organization, data: dict[str, Any]) -> dict[str, Any]:
    """Links named by id or slug, as objects of this organisation (an unknown one: 422)."""
    if "district" in data:
        data["district"] = district_by_slug(data["district"])
    if "area" in data:
        data["area"] = data["area"] or ""
    if "programme" in data:
        data["programme"] = chosen_object(
            Programme.objects.filter(organization=organization), data["programme"], name="programme"
        )
    if "event" in data:
        data["event"] = chosen_object(
            selectors.linkable_events(organization), data["event"], name="event"
        )
    if "agreement" in data:
        data["agreement"] = chosen_object(
            selectors.linkable_agreements(organization), data["agreement"], name="agreement"
        )
    return data


def _current(campaign: Campaign) -> dict[str, Any]:
    """The campaign's editable values, for a PATCH that sends only some."""
    names = ("title", "purpose", "story", "goal", "deadline", "area", "district")
    values = {name: getattr(campaign, name) for name in names}
    return {
        **values,
        "programme": campaign.programme,
        "event": campaign.event,
        "agreement": campaign.agreement,
        "cover_alt": campaign.cover_alt,
    }


@router.get(
    "/campaigns",
    response=list[CampaignOut],
    auth=OPTIONAL_AUTH,
    summary="Public campaigns, collecting ones first by deadline",
)
@paginate(Pages, page_size=selectors.CAMPAIGN_PAGE)
def list_campaigns(request: HttpRequest, filters: Query[CampaignFilters]) -> object:
    data = filters.dict(exclude_none=True)
    if "district" in data:
        data["district"] = district_by_slug(data["district"])
    if "organization" in data:
        data["organization"] = known_object(
            selectors.catalogue_organizations(), data["organization"], name="organization"
        )
    return selectors.campaign_catalogue(api_viewer(request), data)


@router.get(
    "/campaigns/{int:pk}",
    response=CampaignDetailOut,
    auth=OPTIONAL_AUTH,
    summary="A campaign (drafts to its organisation's editors only)",
)
def get_campaign(request: HttpRequest, pk: int) -> Campaign:
    return _campaign_detail(permissions.get_campaign_for_user(api_viewer(request), pk), request)


@router.post(
    "/organizations/{int:organization_pk}/campaigns",
    response={201: CampaignDetailOut},
    summary="Create a draft campaign (the organisation's owner and editors)",
)
def create_campaign(
    request: HttpRequest, organization_pk: int, payload: CampaignIn
) -> Status[Campaign]:
    user = api_user(request)
    organization = permissions.get_money_organization_for_user(user, organization_pk)
    values = _values(organization, payload.dict())
    campaign = campaign_services.campaign_create(actor=user, organization=organization, **values)
    return Status(201, _campaign_detail(campaign, request))


@router.patch("/campaigns/{int:pk}", response=CampaignDetailOut, summary="Edit a campaign")
def update_campaign(request: HttpRequest, pk: int, payload: CampaignPatch) -> Campaign:
    user = api_user(request)
    campaign = permissions.get_campaign_for_user(user, pk, action="manage")
    sent = sent_fields(payload, nullable={"area", "district", "programme", "event", "agreement"})
    values = {**_current(campaign), **_values(campaign.organization, sent)}
    campaign_services.campaign_edit(actor=user, campaign=campaign, **values)
    return _campaign_detail(campaign, request)


@router.post(
    "/campaigns/{int:pk}/cover",
    response=CampaignDetailOut,
    summary="Set the cover: a PNG, JPEG or WebP picture and what it shows (multipart)",
)
def set_campaign_cover(
    request: HttpRequest, pk: int, cover: File[UploadedFile], cover_alt: Form[str]
) -> Campaign:
    user = api_user(request)
    campaign = permissions.get_campaign_for_user(user, pk, action="manage")
    values = {**_current(campaign), "cover": cover, "cover_alt": cover_alt}
    campaign_services.campaign_edit(actor=user, campaign=campaign, **values)
    return _campaign_detail(campaign, request)


def _move_campaign(request: HttpRequest, pk: int, name: str) -> Campaign:
    user = api_user(request)
    campaign = permissions.get_campaign_for_user(user, pk)
    moved = campaign_services.campaign_move(actor=user, campaign=campaign, name=name)
    return _campaign_detail(moved, request)


register_moves(
    router,
    "/campaigns/{int:pk}",
    CAMPAIGN_WORKFLOW,
    _move_campaign,
    noun="campaign",
    response=CampaignDetailOut,
    summaries={
        "publish": "Start collecting (a verified organisation with bank details)",
        "finish": "Finish collecting",
        "reopen": "Collect again",
    },
)


@router.get(
    "/campaigns/{int:pk}/updates",
    response=list[UpdateOut],
    auth=OPTIONAL_AUTH,
    summary="A campaign's updates, newest first",
)
@paginate(Pages, page_size=selectors.DESK_PAGE)
def list_campaign_updates(request: HttpRequest, pk: int) -> object:
    return selectors.updates_of(permissions.get_campaign_for_user(api_viewer(request), pk))


@router.post(
    "/campaigns/{int:pk}/updates",
    response={201: UpdateOut},
    summary="Post an update (multipart: text, an optional photo and what it shows)",
)
def post_campaign_update(
    request: HttpRequest,
    pk: int,
    text: Form[str],
    photo: File[UploadedFile | None] = None,
    photo_alt: Form[str] = "",
) -> Status[CampaignUpdate]:
    user = api_user(request)
    campaign = permissions.get_campaign_for_user(user, pk, action="manage")
    update = campaign_services.campaign_post_update(
        actor=user, campaign=campaign, text=text, photo=photo, photo_alt=photo_alt
    )
    return Status(201, update)


@router.get(
    "/campaigns/{int:pk}/payment-qr",
    response=PaymentQrOut,
    auth=OPTIONAL_AUTH,
    summary="The payment QR code (ГОСТ Р 56042-2014): its payload, or ?format=png|svg the image",
    openapi_extra={"responses": {"200": {"content": {"image/png": {}, "image/svg+xml": {}}}}},
)
def payment_qr(request: HttpRequest, pk: int, query: Query[QrQuery]) -> Any:
    user = api_viewer(request)
    campaign = permissions.get_campaign_for_user(user, pk)
    details = BankDetails.objects.filter(organization=campaign.organization).first()
    if not campaign.is_collecting or details is None:
        raise DomainError(_("Сбор не идёт: QR-код для перевода есть только у начатых сборов."))
    code = campaign.code
    if user.is_authenticated:
        code = campaign_services.donor_code_for(donor=api_user(request), campaign=campaign).code
    kopecks = None if query.sum is None else int((query.sum * 100).to_integral_value())
    purpose = purpose_text(campaign, code)
    payload = payment_payload(details.payee(), purpose=purpose, sum_kopecks=kopecks)
    if query.format != "json":
        return qr_response(payload, query.format)
    base = f"/api/v1/campaigns/{campaign.pk}/payment-qr?" + (
        f"sum={query.sum}&" if query.sum else ""
    )
    return {
        "payload": payload,
        "purpose": purpose,
        "code": code,
        "sum_kopecks": kopecks,
        "png_url": base + "format=png",
        "svg_url": base + "format=svg",
    }


@router.get(
    "/organizations/{int:organization_pk}/bank-details",
    response=BankDetailsIO,
    summary="The organisation's bank details (its owner and editors)",
)
def get_bank_details(request: HttpRequest, organization_pk: int) -> BankDetails:
    organization = permissions.get_money_organization_for_user(api_user(request), organization_pk)
    details = BankDetails.objects.filter(organization=organization).first()
    if details is None:
        raise Http404
    return details


@router.put(
    "/organizations/{int:organization_pk}/bank-details",
    response=BankDetailsIO,
    summary="Set the bank details (checked: БИК, КПП, the accounts' control keys)",
)
def put_bank_details(
    request: HttpRequest, organization_pk: int, payload: BankDetailsIO
) -> BankDetails:
    user = api_user(request)
    organization = permissions.get_money_organization_for_user(user, organization_pk)
    return campaign_services.bank_details_save(
        actor=user, organization=organization, **payload.dict()
    )
