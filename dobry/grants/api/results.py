"""After the experts' work: the ranking, the allocation of the budget, the commission's
meeting and decision, and the published results (open data)."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dobry.accounts.auth import api_user
from dobry.api.auth import OPTIONAL_AUTH
from dobry.api.fields import Amount, Id, Moment, Money, Pages
from dobry.core.input_schema import InputSchema
from dobry.core.text_limits import text_limit
from dobry.grants import results, selectors
from dobry.grants.api.access import competition_for
from dobry.grants.api.competitions import CompetitionOut
from dobry.grants.models import CommissionMember, Competition, Expert, Meeting
from dobry.grants.services import decisions

router = Router()


class ExpertTotalOut(Schema):
    expert_id: int
    expert: str
    total: Decimal
    z_score: float | None


class RankedOut(Schema):
    rank: int
    application_id: int
    number: str
    title: str
    applicant: str
    score: Decimal
    requested: Money
    complete: bool
    totals: list[ExpertTotalOut]
    expert_score: Decimal = Field(description="the mean of the experts' totals")
    residents_points: Decimal | None = Field(
        description="«Народная поддержка»: points of a closed residents' vote, part of score"
    )
    residents_share: Decimal | None = Field(description="percent of the vote's ballots")
    residents_source: str | None = Field(description="the vote the points come from")
    residents_source_url: str | None


class ResultRowOut(Schema):
    rank: int
    application_id: int
    number: str
    title: str
    applicant: str
    score: Decimal
    requested: Money
    awarded: Money
    tier: str
    project_id: int | None = Field(
        None, description="the funded project: GET /grant-projects/{project_id}"
    )


class ResultsOut(Schema):
    competition_id: int
    title: str
    budget: Money
    awarded_total: Money
    lottery_seed: str
    published_at: datetime | None
    applications: list[ResultRowOut]


class AllocationIn(InputSchema):
    final: bool = False


class AllocationOut(Schema):
    id: int
    final: bool
    rule: str
    created_at: datetime
    result: dict[str, Any]


class MemberIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    position: str = Field("", max_length=text_limit(CommissionMember, "position"))
    sector: Expert.Sector
    role: str = Field("member", max_length=text_limit(CommissionMember, "role"))
    present: bool = True


class CommissionMeetingIn(InputSchema):
    held_at: Moment
    place: str = Field("", max_length=text_limit(Meeting, "place"))
    agenda: str = Field("", max_length=text_limit(Meeting, "agenda"))
    quorum: int = Field(ge=1)
    members: list[MemberIn]


class AmendmentIn(InputSchema):
    application: Id
    amount: Amount = Field(ge=0)
    reason: str = Field(min_length=1, max_length=2000)


class CommissionDecisionIn(InputSchema):
    amendments: list[AmendmentIn] = Field(default_factory=list)


class CommissionMeetingOut(Schema):
    id: int
    competition_id: int
    held_at: datetime
    place: str
    quorum: int
    present: int
    decision: str
    amendments: list[dict[str, Any]]

    @staticmethod
    def resolve_present(obj: Meeting) -> int:
        return obj.members.filter(present=True).count()


@router.get(
    "/competitions/{int:pk}/ranking",
    response=list[RankedOut],
    summary="The ranking with each expert's totals and z-scores (organisers); ranked whole, "
    "given a page at a time",
)
@paginate(Pages, page_size=selectors.RANKING_PAGE)
def ranking(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    competition = competition_for(request, pk, action="manage")
    return [
        {
            "rank": item.rank,
            "application_id": item.application.pk,
            "number": item.application.number,
            "title": item.application.title,
            "applicant": item.application.applicant_name,
            "score": item.score,
            "requested": item.application.requested_amount,
            "complete": item.complete,
            "expert_score": item.expert_score,
            "residents_points": item.residents.points if item.residents else None,
            "residents_share": item.residents.share if item.residents else None,
            "residents_source": item.residents.source if item.residents else None,
            "residents_source_url": item.residents.source_url if item.residents else None,
            "totals": [
                {
                    "expert_id": t.review.expert_id,
                    "expert": t.review.expert.user.display_name,
                    "total": t.total,
                    "z_score": t.z_score,
                }
                for t in item.totals
            ],
        }
        for item in selectors.ranking(competition)
    ]


@router.post(
    "/competitions/{int:pk}/allocation",
    response={201: AllocationOut},
    summary="Allocate the budget over the ranking (trial, or final for the commission)",
)
def allocation(request: HttpRequest, pk: int, payload: AllocationIn) -> Status[Any]:
    competition = competition_for(request, pk, action="manage")
    run = decisions.allocation_run(
        actor=api_user(request), competition=competition, final=payload.final
    )
    return Status(201, run)


@router.post(
    "/competitions/{int:pk}/meetings",
    response={201: CommissionMeetingOut},
    summary="The commission's meeting",
)
def meeting_create(request: HttpRequest, pk: int, payload: CommissionMeetingIn) -> Status[Meeting]:
    competition = competition_for(request, pk, action="manage")
    data = payload.dict()
    meeting = decisions.meeting_create(actor=api_user(request), competition=competition, **data)
    return Status(201, meeting)


@router.post(
    "/meetings/{int:pk}/decision",
    response=CommissionMeetingOut,
    summary="The commission adopts the final allocation (or amends it with reasons)",
)
def meeting_decide(request: HttpRequest, pk: int, payload: CommissionDecisionIn) -> Meeting:
    meeting = get_object_or_404(Meeting, pk=pk)
    competition_for(request, meeting.competition_id, action="manage")
    return decisions.meeting_decide(
        actor=api_user(request),
        meeting=meeting,
        amendments=[a.dict() for a in payload.amendments],
    )


@router.post(
    "/competitions/{int:pk}/results/publish", response=CompetitionOut, summary="Publish the results"
)
def results_publish(request: HttpRequest, pk: int) -> Competition:
    competition = competition_for(request, pk, action="manage")
    return decisions.results_publish(actor=api_user(request), competition=competition)


@router.get(
    "/competitions/{int:pk}/results",
    response=ResultsOut,
    auth=OPTIONAL_AUTH,
    summary="Open data: every scored application's final score, rank and grant",
)
def competition_results(request: HttpRequest, pk: int) -> dict[str, Any]:
    return results.results_data(competition_for(request, pk, action="results"))
