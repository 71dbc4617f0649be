"""Money by API: donations, bank statements (upload → preview → commit, never twice) and
the queue of payments waiting for a person; a donor's own donations."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from dobry.accounts.auth import api_user
from dobry.api.fields import Amount, Day, Id, Money, Pages, chosen_object
from dobry.api.moves import register_moves
from dobry.charity import permissions, selectors
from dobry.charity.matching import Match
from dobry.charity.models import (
    ENTRY_WORKFLOW,
    STATEMENT_WORKFLOW,
    Donation,
    StatementEntry,
    StatementImport,
)
from dobry.charity.services import donations as donation_services
from dobry.charity.services import statements as statement_services
from dobry.charity.statements import StatementError
from dobry.core.input_schema import InputSchema
from dobry.core.text_limits import SHORT

router = Router(tags=["charity"])


class DonationOut(Schema):
    id: int
    organization_id: int
    campaign_id: int | None
    amount: Money
    received_on: date = Field(description="the city's local date")
    source: Donation.Source
    donor_name: str
    is_anonymous: bool
    has_account: bool

    @staticmethod
    def resolve_has_account(obj: Donation) -> bool:
        return obj.donor_id is not None


class MyDonationOut(Schema):
    id: int
    organization: str = Field(alias="organization.name")
    campaign_id: int | None
    amount: Money
    received_on: date


class DonationIn(InputSchema):
    amount: Amount = Field(description="roubles")
    received_on: Day = Field(description="the city's local date, not in the future")
    campaign: Id | None = Field(None, description="none: a donation to the organisation's work")
    donor_name: str = Field("", max_length=300)
    donor_contact: str = Field("", max_length=200, description="email or phone: links an account")
    is_anonymous: bool = True
    note: str = Field("", max_length=SHORT)


class LineOut(Schema):
    line: int
    paid_on: date
    amount: Money
    payer: str
    purpose: str
    number: str
    duplicate: bool = Field(description="already recorded: committing skips it")
    campaign_id: int | None = Field(description="matched by the code in the purpose")
    suggested_campaign_id: int | None
    donor_known: bool = Field(description="the purpose carries a signed-in donor's own code")


class StatementOut(Schema):
    id: int
    organization_id: int
    filename: str
    format: StatementImport.Format
    status: StatementImport.Status
    headers: list[str] = Field(description="a table's header row (until committed)")
    mapping: dict[str, int | None]
    lines: list[LineOut] = Field(description="the preview: what committing would write")
    errors: dict[int, str] = Field(description="rows that cannot be read: line → why")
    problem: str = Field(description="why there is no preview (a table's columns not chosen)")
    lines_read: int
    duplicates: int
    matched: int


class MappingIn(InputSchema):
    """Which column (from 0) holds each field; the date and the sum are required."""

    paid_on: int | None = Field(None, ge=0, le=1000)
    amount: int | None = Field(None, ge=0, le=1000)
    payer: int | None = Field(None, ge=0, le=1000)
    purpose: int | None = Field(None, ge=0, le=1000)
    number: int | None = Field(None, ge=0, le=1000)
    payer_inn: int | None = Field(None, ge=0, le=1000)


class EntryOut(Schema):
    id: int
    paid_on: date
    amount: Money
    payer: str
    payer_inn: str
    purpose: str
    number: str
    status: StatementEntry.Status
    suggested_campaign_id: int | None


class AssignIn(InputSchema):
    campaign: Id | None = Field(None, description="none: a donation to the organisation's work")


def _line(match: Match) -> dict[str, Any]:
    line = match.line
    return {
        "line": line.line,
        "paid_on": line.paid_on,
        "amount": line.amount,
        "payer": line.payer,
        "purpose": line.purpose,
        "number": line.number,
        "duplicate": match.duplicate,
        "campaign_id": match.campaign.pk if match.campaign else None,
        "suggested_campaign_id": match.suggested.pk if match.suggested else None,
        "donor_known": match.donor is not None,
    }


def _statement_out(statement: StatementImport) -> dict[str, Any]:
    names = ("id", "organization_id", "filename", "format", "status", "mapping")
    counts = ("lines_read", "duplicates", "matched")
    out: dict[str, Any] = {name: getattr(statement, name) for name in (*names, *counts)}
    out.update(headers=statement.content.get("headers", []), lines=[], errors={}, problem="")
    if statement.status != StatementImport.Status.PREVIEW:
        return out
    try:
        preview = statement_services.statement_preview(statement)
    except StatementError as error:
        out["problem"] = error.message
        return out
    out.update(errors=preview.errors, lines=[_line(match) for match in preview.matches])
    return out


@router.get(
    "/organizations/{int:organization_pk}/donations",
    response=list[DonationOut],
    summary="The organisation's donations, newest first (its owner and editors)",
)
@paginate(Pages, page_size=selectors.DESK_PAGE)
def list_donations(request: HttpRequest, organization_pk: int) -> object:
    user = api_user(request)
    return selectors.donations_of(
        permissions.get_money_organization_for_user(user, organization_pk)
    )


@router.post(
    "/organizations/{int:organization_pk}/donations",
    response={201: DonationOut},
    summary="Record a donation received outside a statement (a cash box, a transfer)",
)
def record_donation(
    request: HttpRequest, organization_pk: int, payload: DonationIn
) -> Status[Donation]:
    user = api_user(request)
    organization = permissions.get_money_organization_for_user(user, organization_pk)
    data = payload.dict()
    data["campaign"] = chosen_object(
        selectors.collecting_campaigns_of(organization), data["campaign"], name="campaign"
    )
    donation = donation_services.donation_record(actor=user, organization=organization, **data)
    return Status(201, donation)


@router.get(
    "/me/donations",
    response=list[MyDonationOut],
    summary="My donations that organisations linked to my account",
)
@paginate(Pages, page_size=selectors.DESK_PAGE)
def my_donations(request: HttpRequest) -> object:
    return selectors.donations_of_donor(api_user(request))


@router.post(
    "/organizations/{int:organization_pk}/statements",
    response={201: StatementOut},
    summary="Upload a bank statement (1C .txt, CSV or XLSX; multipart): a preview",
)
def upload_statement(
    request: HttpRequest, organization_pk: int, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    user = api_user(request)
    organization = permissions.get_money_organization_for_user(user, organization_pk)
    statement = statement_services.statement_upload(
        actor=user, organization=organization, upload=file
    )
    return Status(201, _statement_out(statement))


@router.get("/statements/{int:pk}", response=StatementOut, summary="A statement and its preview")
def get_statement(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _statement_out(permissions.get_statement_for_user(api_user(request), pk))


@router.put(
    "/statements/{int:pk}/mapping",
    response=StatementOut,
    summary="Choose a table's columns (field → column index from 0)",
)
def map_statement(request: HttpRequest, pk: int, payload: MappingIn) -> dict[str, Any]:
    user = api_user(request)
    statement = permissions.get_statement_for_user(user, pk)
    statement_services.statement_map(actor=user, statement=statement, mapping=payload.dict())
    return _statement_out(statement)


_STATEMENT_MOVES = {
    "commit": statement_services.statement_commit,
    "discard": statement_services.statement_discard,
}


def _move_statement(request: HttpRequest, pk: int, name: str) -> dict[str, Any]:
    user = api_user(request)
    statement = permissions.get_statement_for_user(user, pk)
    return _statement_out(_STATEMENT_MOVES[name](actor=user, statement=statement))


register_moves(
    router,
    "/statements/{int:pk}",
    STATEMENT_WORKFLOW,
    _move_statement,
    noun="statement",
    response=StatementOut,
    summaries={
        "commit": "Write the statement's new payments (a payment already recorded is skipped)",
        "discard": "Discard a preview",
    },
)


@router.get(
    "/organizations/{int:organization_pk}/statement-entries",
    response=list[EntryOut],
    summary="Payments from statements waiting for a person (the queue)",
)
@paginate(Pages, page_size=selectors.DESK_PAGE)
def list_queue(request: HttpRequest, organization_pk: int) -> object:
    user = api_user(request)
    return selectors.queue_of(permissions.get_money_organization_for_user(user, organization_pk))


@router.post(
    "/statement-entries/{int:pk}/assign",
    response=DonationOut,
    summary="A queued payment is a donation: to a campaign, or (none) to the organisation's work",
)
def assign_entry(request: HttpRequest, pk: int, payload: AssignIn) -> Donation:
    user = api_user(request)
    entry = permissions.get_entry_for_user(user, pk)
    campaign = chosen_object(
        selectors.collecting_campaigns_of(entry.organization), payload.campaign, name="campaign"
    )
    return donation_services.entry_assign(actor=user, entry=entry, campaign=campaign)


def _move_entry(request: HttpRequest, pk: int, name: str) -> StatementEntry:
    user = api_user(request)
    entry = permissions.get_entry_for_user(user, pk)
    return donation_services.entry_move(actor=user, entry=entry, name=name)


register_moves(
    router,
    "/statement-entries/{int:pk}",
    ENTRY_WORKFLOW,
    _move_entry,
    noun="entry",
    response=EntryOut,
    summaries={
        "ignore": "A queued payment is not a donation",
        "restore": "Bring an ignored payment back",
    },
)
