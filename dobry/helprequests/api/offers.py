"""Offers: the candidates with their reasons, offering a request, whom it was offered to, and
the volunteer's answer."""

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StringConstraints

from dobry.accounts.auth import api_user
from dobry.api.fields import Id, Pages
from dobry.core.input_schema import InputSchema
from dobry.helprequests import permissions, selectors
from dobry.helprequests.api.schemas import handler
from dobry.helprequests.matching import candidates
from dobry.helprequests.models import HelpOffer
from dobry.helprequests.services import offering

router = Router()
# The most candidates one read lists (the request's page shows the best ten): a bare list,
# capped (docs/development.md, «API lists»).
MAX_CANDIDATES = 50


class CandidateOut(Schema):
    volunteer_id: int
    name: str
    score: int
    reasons: list[str]


class OffersIn(InputSchema):
    """By id (the candidates of GET …/candidates) or by email, as the page's form; at least
    one of them."""

    volunteers: list[Id] = Field([], max_length=1000)
    emails: list[Annotated[str, StringConstraints(max_length=254)]] = Field([], max_length=100)


class OfferOut(Schema):
    id: int
    request_id: int
    volunteer_id: int
    status: str
    expires_at: datetime


class OfferListOut(OfferOut):
    volunteer: str
    created_at: datetime

    @staticmethod
    def resolve_volunteer(obj: HelpOffer) -> str:
        return obj.volunteer.display_name


class CandidatesQuery(Schema):
    limit: int = Field(
        10,
        ge=1,
        le=MAX_CANDIDATES,
        description=f"how many, the best first: 1 to {MAX_CANDIDATES} (a 422 on `limit` "
        "outside them)",
    )


@router.get(
    "/help-requests/{int:pk}/candidates",
    response=list[CandidateOut],
    summary="Top candidates with reasons (coordinator or programme staff)",
)
def list_candidates(request: HttpRequest, pk: int, query: Query[CandidatesQuery]) -> list[dict]:
    user, help_request = handler(request, pk)
    return [
        {
            "volunteer_id": c.user.pk,
            "name": c.user.display_name,
            "score": c.score,
            "reasons": c.reasons,
        }
        for c in candidates(help_request, limit=query.limit, actor=user)
    ]


@router.post(
    "/help-requests/{int:pk}/offers",
    response={201: list[OfferOut]},
    summary="Offer to volunteers (coordinator or programme staff)",
)
def make_offers(request: HttpRequest, pk: int, payload: OffersIn) -> Status[list[HelpOffer]]:
    user, help_request = handler(request, pk)
    return Status(
        201,
        offering.offer_make_to(
            actor=user,
            help_request=help_request,
            volunteer_ids=payload.volunteers,
            emails=payload.emails,
        ),
    )


@router.get(
    "/help-requests/{int:pk}/offers",
    response=list[OfferListOut],
    summary="Whom a request was offered to and how each answered (coordinator or programme staff)",
)
@paginate(Pages, page_size=50)
def list_offers(request: HttpRequest, pk: int) -> object:
    _user, help_request = handler(request, pk)
    return selectors.offers_of(help_request)


def _answer(request: HttpRequest, pk: int, accept: bool) -> HelpOffer:
    user = api_user(request)
    offer = permissions.get_offer_for_volunteer(user, pk)
    return offering.offer_answer(user=user, offer=offer, accept=accept)


@router.post(
    "/offers/{int:pk}/accept", response=OfferOut, summary="Accept an offer (the volunteer)"
)
def accept_offer(request: HttpRequest, pk: int) -> HelpOffer:
    return _answer(request, pk, True)


@router.post(
    "/offers/{int:pk}/decline", response=OfferOut, summary="Decline an offer (the volunteer)"
)
def decline_offer(request: HttpRequest, pk: int) -> HelpOffer:
    return _answer(request, pk, False)


@router.post(
    "/help-requests/{int:pk}/self-offer",
    response={204: None},
    summary="Offer oneself to help with a public request (once per person and request: 409 "
    "on a second); the coordinators are told",
)
def self_offer(request: HttpRequest, pk: int) -> Status[None]:
    user = api_user(request)
    help_request = permissions.get_request_for_user(user, pk)
    offering.volunteer_self_offer(user=user, help_request=help_request)
    return Status(204, None)
