"""A competition's call: its terms, announcement and criteria."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dobry.accounts.auth import api_user
from dobry.api.auth import OPTIONAL_AUTH
from dobry.api.fields import Amount, Day, Moment, Money, Pages, sent_fields
from dobry.core.input_schema import InputSchema
from dobry.core.text_limits import text_limit
from dobry.grants import permissions
from dobry.grants.api.access import competition_for, require
from dobry.grants.content import TOO_MUCH
from dobry.grants.models import (
    COMPETITION_LIMITS,
    MAX_CRITERION_SCORE,
    MAX_CRITERION_WEIGHT,
    Competition,
    Criterion,
)
from dobry.grants.rules import Rule
from dobry.grants.services import competitions
from dobry.organizations.models import Organization

router = Router()


class CriterionOut(Schema):
    id: int
    position: int
    title: str
    description: str
    weight: Decimal
    max_score: int


class CompetitionOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    rules: str
    budget: Money
    min_grant: Money
    max_grant: Money
    eligible_kinds: list[str]
    local_only: bool
    min_registered_months: int
    one_per_applicant: bool
    applications_open: datetime
    applications_close: datetime
    review_deadline: datetime
    results_on: date
    projects_from: date | None
    projects_until: date | None
    sections: list[str]
    experts_per_application: int
    divergence_percent: Decimal
    comment_below: int
    passing_score: Decimal
    allocation_rule: str
    partial_funding: bool
    blind_review: bool
    lottery_winners: int
    lottery_amount: Money
    lottery_min_score: Decimal
    lottery_seed: str
    criteria: list[CriterionOut]

    @staticmethod
    def resolve_criteria(obj: Competition) -> list[Criterion]:
        return list(obj.criteria.all())


class CompetitionTerms(InputSchema):
    """Terms that may be set at creation and changed until the decision."""

    title: str | None = Field(None, min_length=1, max_length=300)
    rules: str | None = Field(None, max_length=text_limit(Competition, "rules"))
    budget: Amount | None = Field(None, gt=0, lt=TOO_MUCH)
    min_grant: Amount | None = Field(None, ge=0, lt=TOO_MUCH)
    max_grant: Amount | None = Field(None, gt=0, lt=TOO_MUCH)
    eligible_kinds: list[Organization.Kind] | None = None
    local_only: bool | None = None
    min_registered_months: int | None = Field(
        None, ge=0, le=COMPETITION_LIMITS["min_registered_months"]
    )
    one_per_applicant: bool | None = None
    applications_open: Moment | None = None
    applications_close: Moment | None = None
    review_deadline: Moment | None = None
    results_on: Day | None = None
    projects_from: Day | None = None
    projects_until: Day | None = None
    sections: list[str] | None = None
    experts_per_application: int | None = Field(
        None, ge=1, le=COMPETITION_LIMITS["experts_per_application"]
    )
    divergence_percent: Amount | None = Field(None, gt=0, le=100)
    comment_below: int | None = Field(None, ge=0, le=COMPETITION_LIMITS["comment_below"])
    passing_score: Amount | None = Field(None, ge=0, lt=1_000_000)
    allocation_rule: Rule | None = None
    partial_funding: bool | None = None
    blind_review: bool | None = None
    lottery_winners: int | None = Field(None, ge=0, le=COMPETITION_LIMITS["lottery_winners"])
    lottery_amount: Amount | None = Field(None, ge=0, lt=TOO_MUCH)
    lottery_min_score: Amount | None = Field(None, ge=0, lt=1_000_000)
    lottery_seed: str | None = Field(None, max_length=64)


class CompetitionIn(CompetitionTerms):
    kind: Competition.Kind
    title: str = Field(min_length=1, max_length=300)
    budget: Amount = Field(gt=0, lt=TOO_MUCH)
    max_grant: Amount = Field(gt=0, lt=TOO_MUCH)
    applications_open: Moment
    applications_close: Moment
    review_deadline: Moment
    results_on: Day


class CriterionIn(InputSchema):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field("", max_length=text_limit(Criterion, "description"))
    weight: Amount = Field(gt=0, le=MAX_CRITERION_WEIGHT)
    max_score: int = Field(10, ge=1, le=MAX_CRITERION_SCORE)


@router.get(
    "/competitions",
    response=list[CompetitionOut],
    auth=OPTIONAL_AUTH,
    summary="Announced competitions (newest first)",
)
@paginate(Pages, page_size=20)
def competition_list(request: HttpRequest) -> Any:
    return Competition.objects.public().prefetch_related("criteria")


@router.post("/competitions", response={201: CompetitionOut}, summary="Set up a competition")
def competition_create(request: HttpRequest, payload: CompetitionIn) -> Status[Competition]:
    user = api_user(request)
    require(permissions.can_create_competition(user))
    data = payload.dict(exclude_none=True)
    competition = competitions.competition_create(actor=user, **data)
    return Status(201, competition)


@router.get(
    "/competitions/{int:pk}", response=CompetitionOut, auth=OPTIONAL_AUTH, summary="A competition"
)
def competition_detail(request: HttpRequest, pk: int) -> Competition:
    return competition_for(request, pk)


@router.patch("/competitions/{int:pk}", response=CompetitionOut, summary="Change the terms")
def competition_update(request: HttpRequest, pk: int, payload: CompetitionTerms) -> Competition:
    competition = competition_for(request, pk, action="manage")
    return competitions.competition_update(
        actor=api_user(request), competition=competition, **sent_fields(payload)
    )


@router.post("/competitions/{int:pk}/publish", response=CompetitionOut, summary="Announce")
def competition_publish(request: HttpRequest, pk: int) -> Competition:
    competition = competition_for(request, pk, action="manage")
    return competitions.competition_publish(actor=api_user(request), competition=competition)


@router.post(
    "/competitions/{int:pk}/criteria", response={201: CriterionOut}, summary="Add a criterion"
)
def criterion_add(request: HttpRequest, pk: int, payload: CriterionIn) -> Status[Criterion]:
    competition = competition_for(request, pk, action="manage")
    criterion = competitions.criterion_save(
        actor=api_user(request), competition=competition, **payload.dict()
    )
    return Status(201, criterion)


@router.put("/criteria/{int:pk}", response=CriterionOut, summary="Change a criterion")
def criterion_change(request: HttpRequest, pk: int, payload: CriterionIn) -> Criterion:
    criterion = get_object_or_404(Criterion, pk=pk)
    competition = competition_for(request, criterion.competition_id, action="manage")
    return competitions.criterion_save(
        actor=api_user(request), competition=competition, criterion=criterion, **payload.dict()
    )
