"""Needs and pledges by API: the open needs, a need, writing and its moves, pledging, and
the moves of a pledge — the same permission functions, selectors and services as the
pages."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dobry.accounts.auth import api_user, api_viewer
from dobry.api.auth import OPTIONAL_AUTH
from dobry.api.fields import Amount, Day, Id, Money, Pages, SearchText, chosen_object
from dobry.api.moves import register_moves
from dobry.charity import permissions, selectors
from dobry.charity.models import NEED_WORKFLOW, PLEDGE_WORKFLOW, Need, Pledge
from dobry.charity.models.needs import MAX_QUANTITY
from dobry.charity.services import needs as services
from dobry.core.input_schema import InputSchema
from dobry.core.text_limits import text_limit
from dobry.organizations.permissions import organizations_edited_by

router = Router(tags=["charity"])


class NeedOut(Schema):
    id: int
    organization_id: int
    campaign_id: int | None
    title: str
    description: str
    kind: Need.Kind
    unit: str
    quantity: int
    promised: int = Field(description="units pledged or received")
    unit_value: Money | None = Field(description="the organisation's estimate per unit, roubles")
    deadline: date = Field(description="the city's local date")
    status: Need.Status
    url: str

    @staticmethod
    def resolve_url(obj: Need) -> str:
        return obj.get_absolute_url()


class NeedDetailOut(NeedOut):
    moves: list[str] = Field(description="what the caller may do now: open, close")
    can_pledge: bool


class NeedFilters(Schema):
    q: SearchText | None = None
    kind: Need.Kind | None = None


class NeedIn(InputSchema):
    title: str = Field(min_length=1, max_length=text_limit(Need, "title"))
    kind: Need.Kind = Need.Kind.GOODS
    description: str = Field("", max_length=text_limit(Need, "description"))
    unit: str = Field(min_length=1, max_length=text_limit(Need, "unit"))
    quantity: int = Field(ge=1, le=MAX_QUANTITY)
    unit_value: Amount | None = Field(None, ge=0, description="roubles per unit")
    deadline: Day = Field(description="the city's local date, not in the past")
    campaign: Id | None = None


class PledgeIn(InputSchema):
    quantity: int = Field(ge=1, le=MAX_QUANTITY)
    on_behalf: Id | None = Field(None, description="an organisation the caller edits")
    note: str = Field("", max_length=text_limit(Pledge, "note"))


class PledgeOut(Schema):
    id: int
    need_id: int
    quantity: int
    status: Pledge.Status
    on_behalf_id: int | None
    note: str
    received_on: date | None
    value: Money | None


def _detail(need: Need, request: HttpRequest) -> Need:
    user = api_viewer(request)
    moves = NEED_WORKFLOW.moves_for(user, need, permissions.can_move_need)
    vars(need).update(
        promised=services.promised(need),
        moves=[move.name for move in moves],
        can_pledge=permissions.can_pledge(user, need).allowed,
    )
    return need


def _values(organization: Any, data: dict[str, Any]) -> dict[str, Any]:
    data["campaign"] = chosen_object(
        selectors.collecting_campaigns_of(organization), data.get("campaign"), name="campaign"
    )
    return data


@router.get(
    "/needs",
    response=list[NeedOut],
    auth=OPTIONAL_AUTH,
    summary="Open in-kind needs, soonest deadline first",
)
@paginate(Pages, page_size=selectors.NEED_PAGE)
def list_needs(request: HttpRequest, filters: Query[NeedFilters]) -> object:
    return selectors.needs_catalogue(filters.dict(exclude_none=True))


@router.get(
    "/needs/{int:pk}",
    response=NeedDetailOut,
    auth=OPTIONAL_AUTH,
    summary="A need (drafts to its organisation's editors)",
)
def get_need(request: HttpRequest, pk: int) -> Need:
    return _detail(permissions.get_need_for_user(api_viewer(request), pk), request)


@router.post(
    "/organizations/{int:organization_pk}/needs",
    response={201: NeedDetailOut},
    summary="Create a need (a draft)",
)
def create_need(request: HttpRequest, organization_pk: int, payload: NeedIn) -> Status[Need]:
    user = api_user(request)
    organization = permissions.get_money_organization_for_user(user, organization_pk)
    need = services.need_save(
        actor=user, organization=organization, **_values(organization, payload.dict())
    )
    return Status(201, _detail(need, request))


@router.put("/needs/{int:pk}", response=NeedDetailOut, summary="Replace a need's fields")
def update_need(request: HttpRequest, pk: int, payload: NeedIn) -> Need:
    user = api_user(request)
    need = permissions.get_need_for_user(user, pk, action="manage")
    values = _values(need.organization, payload.dict())
    saved = services.need_save(actor=user, organization=need.organization, need=need, **values)
    return _detail(saved, request)


def _move_need(request: HttpRequest, pk: int, name: str) -> Need:
    user = api_user(request)
    need = permissions.get_need_for_user(user, pk)
    return _detail(services.need_move(actor=user, need=need, name=name), request)


register_moves(
    router,
    "/needs/{int:pk}",
    NEED_WORKFLOW,
    _move_need,
    noun="need",
    response=NeedDetailOut,
    summaries={
        "open": "Publish a need (a verified organisation)",
        "close": "Close a need",
    },
)


@router.get(
    "/needs/{int:pk}/pledges",
    response=list[PledgeOut],
    summary="A need's pledges (its organisation's editors)",
)
@paginate(Pages, page_size=selectors.DESK_PAGE)
def list_pledges(request: HttpRequest, pk: int) -> object:
    return selectors.pledges_of(
        permissions.get_need_for_user(api_user(request), pk, action="manage")
    )


@router.post(
    "/needs/{int:pk}/pledges",
    response={201: PledgeOut},
    summary="Pledge part of a need (409 when fewer units remain)",
)
def create_pledge(request: HttpRequest, pk: int, payload: PledgeIn) -> Status[Pledge]:
    user = api_user(request)
    need = permissions.get_need_for_user(user, pk)
    on_behalf = chosen_object(organizations_edited_by(user), payload.on_behalf, name="on_behalf")
    pledge = services.pledge_create(
        actor=user, need=need, quantity=payload.quantity, on_behalf=on_behalf, note=payload.note
    )
    return Status(201, pledge)


@router.get("/me/pledges", response=list[PledgeOut], summary="My pledges")
@paginate(Pages, page_size=selectors.DESK_PAGE)
def my_pledges(request: HttpRequest) -> object:
    return selectors.pledges_of_person(api_user(request))


def _move_pledge(request: HttpRequest, pk: int, name: str) -> Pledge:
    user = api_user(request)
    pledge = permissions.get_pledge_for_user(user, pk)
    return services.pledge_move(actor=user, pledge=pledge, name=name)


register_moves(
    router,
    "/pledges/{int:pk}",
    PLEDGE_WORKFLOW,
    _move_pledge,
    noun="pledge",
    response=PledgeOut,
    summaries={
        "receive": "The organisation received a pledge (today; valued by the need's estimate)",
        "cancel": "Cancel a pledge (its pledger or the organisation)",
    },
)
