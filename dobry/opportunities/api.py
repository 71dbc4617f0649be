"""The catalogue of external grant calls in the API: the same selector, ranking,
permissions and services as the pages."""

from datetime import date
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field as AnnotatedField

from dobry.accounts.auth import api_user, api_viewer
from dobry.api.auth import OPTIONAL_AUTH
from dobry.api.fields import Amount, Day, Id, Money, Pages, SearchText, known_object
from dobry.core.clock import local_today
from dobry.core.input_schema import InputSchema
from dobry.core.permissions import Decision
from dobry.core.text_limits import text_limit
from dobry.opportunities import permissions, selectors, suits
from dobry.opportunities.models import Opportunity
from dobry.opportunities.services import catalogue, follows
from dobry.organizations.areas import Area
from dobry.organizations.models import Organization
from dobry.organizations.permissions import get_organization_for_user, visible_organizations

router = Router(tags=["grant opportunities"])
# as on the page: the ranking sorts at most this many open calls, nearest deadline first
RANKED_AT_MOST = 200
TOO_MUCH = 10**12
# The amount an organisation looks for (a filter): roubles, not negative.
Wanted = Annotated[Amount, AnnotatedField(ge=0, lt=TOO_MUCH)]


def _require(decision: Decision) -> None:
    if not decision:
        raise PermissionDenied(str(decision.reason))


class ReasonOut(Schema):
    criterion: str = Field(description="kind, age, areas or amount")
    met: bool | None = Field(description="null: not known (no registration date)")
    text: str


class FitOut(Schema):
    organization: int
    eligible: bool = Field(description="No criterion of who may apply failed")
    score: int = Field(description="How many criteria are met")
    reasons: list[ReasonOut]


class OpportunityOut(Schema):
    id: int
    title: str
    programme: str
    organiser: str
    summary: str
    areas: list[str]
    eligible_kinds: list[str]
    min_registered_months: int
    region: str
    min_amount: Money | None
    max_amount: Money | None
    opens_on: date | None
    closes_on: date = Field(description="The last day of applications (the city's date)")
    url: str
    documents: str
    tips: str
    archived: bool = Field(description="Closed or withdrawn: in the archive")
    fit: FitOut | None = Field(None, description="With `suits`: how the call fits")

    @staticmethod
    def resolve_archived(obj: Opportunity) -> bool:
        return obj.is_past

    @staticmethod
    def resolve_fit(obj: Opportunity) -> dict[str, Any] | None:
        return getattr(obj, "fit", None)


class OpportunityTerms(InputSchema):
    """What the resource centre says about a call; in a PATCH, only the fields sent."""

    title: str | None = Field(None, min_length=1, max_length=300)
    programme: Opportunity.Programme | None = None
    organiser: str | None = Field(None, min_length=1, max_length=300)
    summary: str | None = Field(None, max_length=text_limit(Opportunity, "summary"))
    areas: list[Area] | None = Field(None, max_length=len(Area.values))
    eligible_kinds: list[Organization.Kind] | None = Field(
        None, max_length=len(Organization.Kind.values)
    )
    min_registered_months: int | None = Field(None, ge=0, le=600)
    region: str | None = Field(None, max_length=200)
    min_amount: Amount | None = Field(None, ge=0, lt=TOO_MUCH)
    max_amount: Amount | None = Field(None, ge=0, lt=TOO_MUCH)
    opens_on: Day | None = None
    closes_on: Day | None = None
    url: str | None = Field(None, max_length=500)
    documents: str | None = Field(None, max_length=text_limit(Opportunity, "documents"))
    tips: str | None = Field(None, max_length=text_limit(Opportunity, "tips"))


class OpportunityIn(OpportunityTerms):
    title: str = Field(min_length=1, max_length=300)
    programme: Opportunity.Programme
    organiser: str = Field(min_length=1, max_length=300)
    closes_on: Day


class FollowIn(InputSchema):
    organization: Id = Field(description="An organisation whose owner or editor you are")


class FollowOut(Schema):
    opportunity: int
    organization: int
    following: bool


# Fields a PATCH may clear with null.
NULLABLE = ("min_amount", "max_amount", "opens_on")


def _values(payload: OpportunityTerms, *, exclude_unset: bool) -> dict[str, Any]:
    values = payload.dict(exclude_unset=exclude_unset)
    for name in ("areas", "eligible_kinds"):
        if values.get(name) is not None:
            values[name] = [str(value) for value in values[name]]
    return {n: v for n, v in values.items() if v is not None or n in NULLABLE}


def _with_fits(found: Any, organization: Organization, amount: Any) -> list[Opportunity]:
    fits = suits.rank_for(organization, found, today=local_today(), wanted=amount)
    for fit in fits:
        fit.opportunity.fit = {  # type: ignore[attr-defined]
            "organization": organization.pk,
            "eligible": fit.eligible,
            "score": fit.score,
            "reasons": fit.reasons,
        }
    return [fit.opportunity for fit in fits]


@router.get(
    "/grant-opportunities",
    response=list[OpportunityOut],
    auth=OPTIONAL_AUTH,
    summary="External grant calls (nearest deadline first; the archive latest first); with "
    "`suits`, ranked for that organisation (you must be its member) with the reasons",
)
@paginate(Pages, page_size=20)
def opportunity_list(
    request: HttpRequest,
    q: SearchText | None = None,
    programme: Opportunity.Programme | None = None,
    area: Area | None = None,
    kind: Organization.Kind | None = None,
    amount: Wanted | None = None,
    archive: bool = False,
    suits: Id | None = None,
) -> Any:
    viewer = api_viewer(request)
    organization = None
    if suits is not None:
        # A filter naming no organisation the caller sees is a 422 at `suits`, as every
        # filter (`known_object`); one seen but not the caller's own is a 403.
        named = known_object(visible_organizations(viewer), suits, name="suits")
        assert named is not None  # `suits` was given
        _require(permissions.can_see_suitability(viewer, named))
        organization = named
    found = selectors.opportunities(
        selectors.Filters(
            q=q or "",
            programme=programme or "",
            area=area or "",
            kind=kind or "",
            amount=amount,
            archive=archive,
        )
    )
    if organization is None:
        return found
    return _with_fits(list(found[:RANKED_AT_MOST]), organization, amount)


@router.get(
    "/grant-opportunities/{int:pk}",
    response=OpportunityOut,
    auth=OPTIONAL_AUTH,
    summary="An external grant call",
)
def opportunity_detail(request: HttpRequest, pk: int) -> Opportunity:
    return permissions.get_opportunity_for_user(api_viewer(request), pk)


@router.post(
    "/grant-opportunities",
    response={201: OpportunityOut},
    summary="Add a call to the catalogue (the resource centre's coordinators)",
)
def opportunity_create(request: HttpRequest, payload: OpportunityIn) -> Status[Opportunity]:
    user = api_user(request)
    _require(permissions.can_keep_catalogue(user))
    return Status(
        201, catalogue.opportunity_create(actor=user, **_values(payload, exclude_unset=False))
    )


@router.patch(
    "/grant-opportunities/{int:pk}",
    response=OpportunityOut,
    summary="Change a call (coordinators); null clears min_amount, max_amount, opens_on",
)
def opportunity_update(request: HttpRequest, pk: int, payload: OpportunityTerms) -> Opportunity:
    user = api_user(request)
    opportunity = permissions.get_opportunity_for_user(user, pk)
    _require(permissions.can_keep_catalogue(user))
    return catalogue.opportunity_update(
        actor=user, opportunity=opportunity, **_values(payload, exclude_unset=True)
    )


@router.post(
    "/grant-opportunities/{int:pk}/archive",
    response=OpportunityOut,
    summary="Withdraw a call to the archive (coordinators)",
)
def opportunity_archive(request: HttpRequest, pk: int) -> Opportunity:
    user = api_user(request)
    opportunity = permissions.get_opportunity_for_user(user, pk)
    _require(permissions.can_keep_catalogue(user))
    return catalogue.opportunity_archive(actor=user, opportunity=opportunity, archived=True)


@router.post(
    "/grant-opportunities/{int:pk}/restore",
    response=OpportunityOut,
    summary="Bring a withdrawn call back from the archive (coordinators)",
)
def opportunity_restore(request: HttpRequest, pk: int) -> Opportunity:
    user = api_user(request)
    opportunity = permissions.get_opportunity_for_user(user, pk)
    _require(permissions.can_keep_catalogue(user))
    return catalogue.opportunity_archive(actor=user, opportunity=opportunity, archived=False)


def _follow_target(request: HttpRequest, pk: int, payload: FollowIn) -> tuple[Any, Any, Any]:
    user = api_user(request)
    opportunity = permissions.get_opportunity_for_user(user, pk)
    # 404 for an organisation hidden or missing; the service answers 403 for one the caller
    # sees but is not an owner or editor of (the order of refusals)
    organization = get_organization_for_user(user, payload.organization)
    return user, opportunity, organization


@router.post(
    "/grant-opportunities/{int:pk}/follow",
    response=FollowOut,
    summary="Follow a call for an organisation (its owner or editor): reminders 14 and 3 days "
    "before the deadline, the deadline in the personal calendar feed",
)
def opportunity_follow(request: HttpRequest, pk: int, payload: FollowIn) -> dict[str, Any]:
    user, opportunity, organization = _follow_target(request, pk, payload)
    follows.follow_create(actor=user, opportunity=opportunity, organization=organization)
    return {"opportunity": opportunity.pk, "organization": organization.pk, "following": True}


@router.post(
    "/grant-opportunities/{int:pk}/unfollow",
    response=FollowOut,
    summary="Stop following a call for an organisation",
)
def opportunity_unfollow(request: HttpRequest, pk: int, payload: FollowIn) -> dict[str, Any]:
    user, opportunity, organization = _follow_target(request, pk, payload)
    follows.follow_delete(actor=user, opportunity=opportunity, organization=organization)
    return {"opportunity": opportunity.pk, "organization": organization.pk, "following": False}
