"""Initiatives by API: the list (the page's filters, through the same selector), an
initiative, posting and editing it, its stage moves, the resource centre's answer and
links — the same permission functions, selectors and services as the pages."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from dobry.accounts.auth import api_user, api_viewer
from dobry.api.auth import OPTIONAL_AUTH
from dobry.api.fields import Amount, Id, Money, Pages, SearchText, chosen_object, known_object
from dobry.api.moves import register_moves
from dobry.civic import permissions, selectors
from dobry.civic.forms import group_choices
from dobry.civic.models import INITIATIVE_WORKFLOW, Initiative, InitiativeLink, TimelineEntry
from dobry.civic.services import initiatives as services
from dobry.civic.services.links import LINK_KINDS
from dobry.core import references
from dobry.core.input_schema import InputSchema
from dobry.core.models import District
from dobry.core.page_cache import public_page
from dobry.core.text_limits import text_limit
from dobry.organizations.areas import Area

router = Router(tags=["civic"])


class InitiativeOut(Schema):
    id: int
    title: str
    status: Initiative.Status
    district_id: int | None
    area: str
    support_count: int
    team_count: int
    response_overdue: bool
    url: str

    @staticmethod
    def resolve_url(obj: Initiative) -> str:
        return obj.get_absolute_url()


class TimelineOut(Schema):
    stage: Initiative.Status
    moved_from: str
    note: str
    photo_url: str | None
    photo_alt: str
    created_at: datetime


class TeamOut(Schema):
    name: str
    role: str


class LinkOut(Schema):
    id: int
    kind: str
    title: str
    url: str


class InitiativeDetailOut(InitiativeOut):
    problem: str
    idea: str
    address: str
    needed_skills: str
    needed_money: Money | None
    needed_premises: str
    needed_materials: str
    group_id: int | None
    threshold_reached_at: datetime | None
    response_due: date | None = Field(description="the city's local date")
    response: str
    responded_at: datetime | None
    supported: bool
    following: bool
    moves: list[str] = Field(description="stage moves the caller may make now")
    timeline: list[TimelineOut]
    team: list[TeamOut]
    links: list[LinkOut]

    # `timeline`, `team` and `links` are the model's related managers: what the page
    # shows the caller is kept beside them by `initiative_detail`
    @staticmethod
    def resolve_timeline(obj: Initiative) -> list[dict[str, Any]]:
        return list(vars(obj)["shown_timeline"])

    @staticmethod
    def resolve_team(obj: Initiative) -> list[dict[str, Any]]:
        return list(vars(obj)["shown_team"])

    @staticmethod
    def resolve_links(obj: Initiative) -> list[dict[str, Any]]:
        return list(vars(obj)["shown_links"])


class InitiativeFilters(Schema):
    q: SearchText | None = None
    district: Id | None = None
    area: Area | None = None
    stage: Initiative.Status | None = None
    my_skills: bool = Field(False, description="those needing a skill of my volunteer profile")


class InitiativeIn(InputSchema):
    title: str = Field(min_length=1, max_length=text_limit(Initiative, "title"))
    problem: str = Field(min_length=1, max_length=text_limit(Initiative, "problem"))
    idea: str = Field(min_length=1, max_length=text_limit(Initiative, "idea"))
    district: Id | None = None
    address: str = Field("", max_length=text_limit(Initiative, "address"))
    area: Area | None = None
    needed_skills: str = Field("", max_length=text_limit(Initiative, "needed_skills"))
    needed_money: Amount | None = Field(None, gt=0, description="roubles")
    needed_premises: str = Field("", max_length=text_limit(Initiative, "needed_premises"))
    needed_materials: str = Field("", max_length=text_limit(Initiative, "needed_materials"))
    group: Id | None = Field(None, description="an initiative group the caller edits")


class ResponseIn(InputSchema):
    response: str = Field(min_length=1, max_length=text_limit(Initiative, "response"))


class MoveNoteIn(InputSchema):
    note: str = Field(
        "", max_length=text_limit(TimelineEntry, "note"), description="for the public timeline"
    )


class LinkIn(InputSchema):
    kind: str = Field(description=f"one of: {', '.join(LINK_KINDS)}", max_length=40)
    pk: Id


def initiative_detail(initiative: Initiative, request: HttpRequest) -> Initiative:
    """The initiative with what its page shows the caller."""
    user = api_viewer(request)
    page = selectors.initiative_page(user, initiative)
    moves = INITIATIVE_WORKFLOW.moves_for(user, initiative, permissions.can_move_initiative)
    vars(initiative).update(
        support_count=page["support_count"],
        team_count=len(page["team"]),
        supported=page["supported"],
        following=page["following"],
        moves=[move.name for move in moves],
        shown_timeline=[_timeline(entry) for entry in page["timeline"]],
        shown_team=[{"name": m.user.display_name, "role": m.role} for m in page["team"]],
        shown_links=[_link(link) for link in page["links"]],
    )
    return initiative


def _timeline(entry: Any) -> dict[str, Any]:
    return {
        "stage": entry.stage, "moved_from": entry.moved_from, "note": entry.note,
        "photo_url": entry.photo.url if entry.photo else None, "photo_alt": entry.photo_alt,
        "created_at": entry.created_at,
    }  # fmt: skip


def _link(link: InitiativeLink) -> dict[str, Any]:
    target = references.link_of(link, "target")
    assert target is not None  # the selector keeps only links the reader may see
    return {"id": link.pk, "kind": target.kind, "title": target.title, "url": target.url}


def _values(
    request: HttpRequest, payload: InitiativeIn, initiative: Initiative | None = None
) -> dict[str, Any]:
    data = payload.dict()
    data["district"] = chosen_object(District.objects.all(), data["district"], name="district")
    groups = group_choices(api_user(request), initiative)
    data["group"] = chosen_object(groups, data["group"], name="group")
    data["area"] = data["area"] or ""
    return data


@router.get(
    "/initiatives",
    response=list[InitiativeOut],
    auth=OPTIONAL_AUTH,
    summary="City initiatives, newest first (the page's filters)",
)
@decorate_view(public_page)
@paginate(Pages, page_size=selectors.INITIATIVE_PAGE)
def list_initiatives(request: HttpRequest, filters: Query[InitiativeFilters]) -> object:
    values = filters.dict(exclude_none=True)
    values["district"] = known_object(District.objects.all(), filters.district, name="district")
    return selectors.initiative_list(api_viewer(request), values)


@router.get(
    "/initiatives/{int:pk}",
    response=InitiativeDetailOut,
    auth=OPTIONAL_AUTH,
    summary="An initiative with its timeline, team and links",
)
def get_initiative(request: HttpRequest, pk: int) -> Initiative:
    initiative = permissions.get_initiative_for_user(api_viewer(request), pk)
    return initiative_detail(initiative, request)


@router.post("/initiatives", response={201: InitiativeDetailOut}, summary="Post an initiative")
def create_initiative(request: HttpRequest, payload: InitiativeIn) -> Status[Initiative]:
    initiative = services.initiative_save(actor=api_user(request), **_values(request, payload))
    return Status(201, initiative_detail(initiative, request))


@router.put(
    "/initiatives/{int:pk}",
    response=InitiativeDetailOut,
    summary="Replace an initiative's fields (its author, coordinators)",
)
def update_initiative(request: HttpRequest, pk: int, payload: InitiativeIn) -> Initiative:
    user = api_user(request)
    initiative = permissions.get_initiative_for_user(user, pk, action="edit")
    values = _values(request, payload, initiative)
    saved = services.initiative_save(actor=user, initiative=initiative, **values)
    return initiative_detail(saved, request)


def _move(request: HttpRequest, pk: int, name: str, *, note: str) -> Initiative:
    user = api_user(request)
    initiative = permissions.get_initiative_for_user(user, pk)
    moved = services.initiative_move(actor=user, initiative=initiative, name=name, note=note)
    return initiative_detail(moved, request)


register_moves(
    router,
    "/initiatives/{int:pk}",
    INITIATIVE_WORKFLOW,
    _move,
    noun="initiative",
    response=InitiativeDetailOut,
    note_in=MoveNoteIn,
    summaries={
        "gather": "Start gathering support (the author, coordinators)",
        "to_centre": "Take the initiative up in the resource centre (coordinators)",
        "start": "Start the work (the author, coordinators)",
        "finish": "Mark the initiative done",
        "reopen": "Return a done initiative to work",
    },
)


@router.post(
    "/initiatives/{int:pk}/response",
    response=InitiativeDetailOut,
    summary="The resource centre's public answer (coordinators; after the threshold)",
)
def respond(request: HttpRequest, pk: int, payload: ResponseIn) -> Initiative:
    user = api_user(request)
    initiative = permissions.get_initiative_for_user(user, pk)
    answered = services.centre_respond(actor=user, initiative=initiative, response=payload.response)
    return initiative_detail(answered, request)


@router.post(
    "/initiatives/{int:pk}/links",
    response={201: InitiativeDetailOut},
    summary="Link what came of the initiative (the author, coordinators)",
)
def add_link(request: HttpRequest, pk: int, payload: LinkIn) -> Status[Initiative]:
    user = api_user(request)
    initiative = permissions.get_initiative_for_user(user, pk)
    services.link_add(actor=user, initiative=initiative, kind=payload.kind, pk=payload.pk)
    return Status(201, initiative_detail(initiative, request))


@router.delete(
    "/initiatives/{int:pk}/links/{int:link_pk}",
    response=InitiativeDetailOut,
    summary="Remove a link (the author, coordinators)",
)
def remove_link(request: HttpRequest, pk: int, link_pk: int) -> Initiative:
    user = api_user(request)
    initiative = permissions.get_initiative_for_user(user, pk)
    link = get_object_or_404(initiative.links.select_related("initiative"), pk=link_pk)
    services.link_remove(actor=user, link=link)
    return initiative_detail(initiative, request)


@router.post(
    "/initiatives/{int:pk}/results",
    response={201: InitiativeDetailOut},
    summary="Post a result to the public timeline (multipart: what happened, an optional "
    "photo and what it shows; the author, the team, coordinators)",
)
def post_result(
    request: HttpRequest,
    pk: int,
    note: Form[str] = "",
    photo: File[UploadedFile | None] = None,
    photo_alt: Form[str] = "",
) -> Status[Initiative]:
    user = api_user(request)
    initiative = permissions.get_initiative_for_user(user, pk)
    services.timeline_post(
        actor=user, initiative=initiative, note=note, photo=photo, photo_alt=photo_alt
    )
    return Status(201, initiative_detail(initiative, request))


__all__ = ["initiative_detail", "router"]
