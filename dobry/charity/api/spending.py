"""How the money was spent, by API: spending items (public list; written by the
organisation's editors, receipts uploaded and published one by one) and the
organisation's public reports — the same permission functions, selectors and services
as the pages."""

from datetime import date

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from dobry.accounts.auth import api_user, api_viewer
from dobry.api.auth import OPTIONAL_AUTH
from dobry.api.fields import Amount, Day, Id, Money, Pages, chosen_object, known_object, sent_fields
from dobry.charity import permissions, public_report, selectors
from dobry.charity.models import Campaign, SpendingItem
from dobry.charity.services import spending as spending_services
from dobry.core.clock import local_today
from dobry.core.errors import DomainError
from dobry.core.input_schema import InputSchema
from dobry.core.permissions import Actor
from dobry.core.request_values import FIRST_DATE
from dobry.core.text_limits import text_limit
from dobry.organizations.models import Organization
from dobry.organizations.permissions import remember_memberships

router = Router(tags=["charity"])
DESCRIPTION = text_limit(SpendingItem, "description")


class SpendingOut(Schema):
    id: int
    organization_id: int
    campaign_id: int | None = Field(description="none: spent on the organisation's work")
    spent_on: date = Field(description="the city's local date")
    amount: Money
    purpose: SpendingItem.Purpose
    description: str
    has_receipt: bool
    receipt_published: bool
    receipt_url: str | None = Field(
        description="the access-checked download, when the caller may read the receipt"
    )


class SpendingFilters(Schema):
    organization: Id | None = None
    campaign: Id | None = None
    year: int | None = Field(None, ge=FIRST_DATE.year, le=2100, description="local year")


class SpendingIn(InputSchema):
    spent_on: Day = Field(description="the city's local date, not in the future")
    amount: Amount = Field(description="roubles")
    purpose: SpendingItem.Purpose = SpendingItem.Purpose.GOODS
    description: str = Field(min_length=1, max_length=DESCRIPTION)
    campaign: Id | None = Field(None, description="none: spent on the organisation's work")


class SpendingPatch(InputSchema):
    spent_on: Day | None = None
    amount: Amount | None = None
    purpose: SpendingItem.Purpose | None = None
    description: str | None = Field(None, min_length=1, max_length=DESCRIPTION)
    campaign: Id | None = None


class MoneyRowOut(Schema):
    campaign_id: int | None
    title: str
    received: Money
    in_kind: Money = Field(description="the value of help in kind received, roubles")
    spent: Money


class MoneyReportOut(Schema):
    organization_id: int
    campaigns: list[MoneyRowOut] = Field(
        description="public campaigns, newest first, then the work in general (campaign_id null)"
    )
    total: MoneyRowOut = Field(description="the sums of all rows (campaign_id null, title empty)")


class ReceivedOut(Schema):
    campaign_id: int | None
    title: str
    donations: int
    amount: Money


class InKindOut(Schema):
    need_id: int
    title: str
    quantity: int
    unit: str
    value: Money


class PurposeOut(Schema):
    purpose: SpendingItem.Purpose
    label: str
    amount: Money


class FinishedOut(Schema):
    campaign_id: int
    title: str
    goal: Money
    received: Money
    spent: Money
    finished_on: date | None


class YearReportOut(Schema):
    organization_id: int
    organization: str
    year: int = Field(description="the local calendar year")
    received_total: Money
    donors: int
    in_kind_total: Money
    spent_total: Money
    admin_percent: str = Field(description="administrative costs, percent of spending")
    received: list[ReceivedOut]
    in_kind: list[InKindOut]
    spending: list[PurposeOut]
    spending_items: list[SpendingOut] = Field(description="the year's items, oldest first")
    finished: list[FinishedOut]
    fulfilled_needs: list[int] = Field(description="ids of the needs fully received")
    docx_url: str
    xlsx_url: str


def _out(item: SpendingItem, user: Actor) -> SpendingItem:
    readable = bool(item.receipt) and permissions.can_read_receipt(user, item).allowed
    vars(item).update(
        has_receipt=bool(item.receipt),
        receipt_url=item.receipt.url if readable else None,
    )
    return item


def shared_organizations(items: list[SpendingItem]) -> list[Organization]:
    """One Organization object per organisation of `items` (set back on each item), so a
    check's cached membership serves every row of that organisation."""
    shared: dict[int, Organization] = {}
    for item in items:
        item.organization = shared.setdefault(item.organization_id, item.organization)
    return list(shared.values())


def _campaign(organization: Organization, pk: int | None) -> Campaign | None:
    return chosen_object(Campaign.objects.filter(organization=organization), pk, name="campaign")


def _items_out(items: list[SpendingItem], user: Actor) -> list[SpendingItem]:
    remember_memberships(user, shared_organizations(items))
    return [_out(item, user) for item in items]


def _page_out(items: list[SpendingItem], request: HttpRequest) -> list[SpendingItem]:
    """The rows of one page, each with what the caller may read of its receipt (the
    caller's memberships read once for the page)."""
    return _items_out(items, api_viewer(request))


@router.get(
    "/spending",
    response=list[SpendingOut],
    auth=OPTIONAL_AUTH,
    summary="Spending items, newest first (?organization=, ?campaign=, ?year=)",
)
@paginate(Pages, page_size=selectors.SPENDING_PAGE, then=_page_out)
def list_spending(request: HttpRequest, filters: Query[SpendingFilters]) -> object:
    user = api_viewer(request)
    data = filters.dict(exclude_none=True)
    if "organization" in data:
        data["organization"] = known_object(
            Organization.objects.all(), data["organization"], name="organization"
        )
    if "campaign" in data:
        data["campaign"] = known_object(
            permissions.visible_campaigns(user), data["campaign"], name="campaign"
        )
    return selectors.spending_list(user, data)


@router.get(
    "/spending/{int:pk}", response=SpendingOut, auth=OPTIONAL_AUTH, summary="A spending item"
)
def get_spending(request: HttpRequest, pk: int) -> SpendingItem:
    user = api_viewer(request)
    return _out(permissions.get_spending_for_user(user, pk), user)


@router.post(
    "/organizations/{int:organization_pk}/spending",
    response={201: SpendingOut},
    summary="Record a spending item (the organisation's owner and editors)",
)
def create_spending(
    request: HttpRequest, organization_pk: int, payload: SpendingIn
) -> Status[SpendingItem]:
    user = api_user(request)
    organization = permissions.get_money_organization_for_user(user, organization_pk)
    values = payload.dict()
    values["campaign"] = _campaign(organization, values["campaign"])
    item = spending_services.spending_create(actor=user, organization=organization, **values)
    return Status(201, _out(item, user))


@router.patch("/spending/{int:pk}", response=SpendingOut, summary="Change a spending item")
def update_spending(request: HttpRequest, pk: int, payload: SpendingPatch) -> SpendingItem:
    user = api_user(request)
    item = permissions.get_spending_for_user(user, pk, action="manage")
    sent = sent_fields(payload, nullable={"campaign"})
    if "campaign" in sent:
        sent["campaign"] = _campaign(item.organization, sent["campaign"])
    values = {
        "spent_on": item.spent_on,
        "amount": item.amount,
        "purpose": item.purpose,
        "description": item.description,
        "campaign": item.campaign,
        **sent,
    }
    spending_services.spending_edit(actor=user, item=item, **values)
    return _out(item, user)


@router.delete(
    "/spending/{int:pk}", response={204: None}, summary="Delete a spending item and its receipt"
)
def delete_spending(request: HttpRequest, pk: int) -> Status[None]:
    user = api_user(request)
    item = permissions.get_spending_for_user(user, pk, action="manage")
    spending_services.spending_delete(actor=user, item=item)
    return Status(204, None)


@router.post(
    "/spending/{int:pk}/receipt",
    response=SpendingOut,
    summary="Attach or replace the receipt (multipart; private until published)",
)
def upload_receipt(request: HttpRequest, pk: int, receipt: File[UploadedFile]) -> SpendingItem:
    user = api_user(request)
    item = permissions.get_spending_for_user(user, pk, action="manage")
    spending_services.spending_attach_receipt(actor=user, item=item, receipt=receipt)
    return _out(item, user)


def _publish(request: HttpRequest, pk: int, publish: bool) -> SpendingItem:
    user = api_user(request)
    item = permissions.get_spending_for_user(user, pk, action="manage")
    item = spending_services.spending_publish_receipt(actor=user, item=item, publish=publish)
    return _out(item, user)


@router.post(
    "/spending/{int:pk}/publish-receipt",
    response=SpendingOut,
    summary="Publish the receipt: anyone may read it",
)
def publish_receipt(request: HttpRequest, pk: int) -> SpendingItem:
    return _publish(request, pk, True)


@router.post(
    "/spending/{int:pk}/unpublish-receipt",
    response=SpendingOut,
    summary="Take the receipt back: the organisation's editors only",
)
def unpublish_receipt(request: HttpRequest, pk: int) -> SpendingItem:
    return _publish(request, pk, False)


def _row(row: public_report.MoneyRow) -> dict[str, object]:
    return {
        "campaign_id": row.campaign.pk if row.campaign else None,
        "title": row.title,
        "received": row.received,
        "in_kind": row.in_kind,
        "spent": row.spent,
    }


@router.get(
    "/organizations/{int:organization_pk}/money-report",
    response=MoneyReportOut,
    auth=OPTIONAL_AUTH,
    summary="Money and help in kind received and spent, per campaign, all time",
)
def money_report(request: HttpRequest, organization_pk: int) -> dict[str, object]:
    organization = permissions.get_report_organization_for_user(
        api_viewer(request), organization_pk
    )
    rows = public_report.organization_money(organization, "")
    return {
        "organization_id": organization.pk,
        "campaigns": [_row(row) for row in rows],
        "total": _row(public_report.totals(rows)),
    }


class YearQuery(Schema):
    year: int | None = Field(
        None,
        ge=FIRST_DATE.year,
        le=2100,
        description="the local calendar year, up to the current one; default: last year",
    )


@router.get(
    "/organizations/{int:organization_pk}/yearly-report",
    response=YearReportOut,
    auth=OPTIONAL_AUTH,
    summary="The yearly public report of a charitable organisation (ФЗ-135 ст. 19)",
)
def yearly_report(
    request: HttpRequest, organization_pk: int, query: Query[YearQuery]
) -> dict[str, object]:
    user = api_viewer(request)
    organization = permissions.get_report_organization_for_user(user, organization_pk)
    this_year = local_today().year
    year = this_year - 1 if query.year is None else query.year
    if year > this_year:
        raise DomainError(_("Проверьте год."), field_errors={"year": [_("Год ещё не наступил.")]})
    report = public_report.yearly_report(organization, year)
    page = f"/donate/organization/{organization.pk}/report/{year}/"
    return {
        "organization_id": organization.pk,
        "organization": organization.name,
        "year": year,
        "received_total": report.received_total,
        "donors": report.donors,
        "in_kind_total": report.in_kind_total,
        "spent_total": report.spent_total,
        "admin_percent": f"{report.admin_percent:f}",
        **_report_lines(report),
        "spending_items": _items_out(report.items, user),
        "fulfilled_needs": [need.pk for need in report.fulfilled],
        "docx_url": page + "?format=docx",
        "xlsx_url": page + "?format=xlsx",
    }


def _report_lines(report: public_report.YearReport) -> dict[str, list[dict[str, object]]]:
    """The yearly report's tables as the API gives them: money received by campaign, gifts
    in kind by need, spending by purpose and the campaigns finished in the year."""
    return {
        "received": [
            {
                "campaign_id": line.campaign.pk if line.campaign else None,
                "title": line.campaign.title if line.campaign else "",
                "donations": line.donations,
                "amount": line.amount,
            }
            for line in report.received
        ],
        "in_kind": [
            {
                "need_id": line.need.pk,
                "title": line.need.title,
                "quantity": line.quantity,
                "unit": line.need.unit,
                "value": line.value,
            }
            for line in report.in_kind
        ],
        "spending": [
            {"purpose": line.purpose, "label": line.label, "amount": line.amount}
            for line in report.spending
        ],
        "finished": [
            {
                "campaign_id": f.campaign.pk,
                "title": f.campaign.title,
                "goal": f.campaign.goal,
                "received": f.received,
                "spent": f.spent,
                "finished_on": f.campaign.finished_on,
            }
            for f in report.finished
        ],
    }
