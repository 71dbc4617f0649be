"""Residents' votes by API: the list, a vote with its options, casting a ballot (the receipt
code comes back once), checking a receipt, the tally after closing, who voted (staff) —
the same permission functions, selectors and services as the pages. No endpoint returns a
ballot, and none joins a voter to a choice."""

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dobry.accounts.auth import api_user, api_viewer
from dobry.api.auth import OPTIONAL_AUTH
from dobry.api.fields import Id, Money, Pages
from dobry.civic import permissions, vote_selectors
from dobry.civic.models import Ballot, Vote, VoteOption, VoterMark
from dobry.civic.services import votes
from dobry.core.input_schema import InputSchema

router = Router(tags=["votes"])
# The most options one ballot may carry in a request.
MAX_BALLOT_OPTIONS = 500


class VoteOut(Schema):
    id: int
    title: str
    description: str
    kind: Vote.Kind
    status: Vote.Status
    max_choices: int
    budget: Money | None = Field(description="roubles")
    opens_at: datetime
    closes_at: datetime
    competition_id: int | None
    use: Vote.Use


class OptionOut(Schema):
    id: int
    position: int
    title: str
    description: str
    cost: Money | None = Field(description="roubles")
    application_id: int | None
    initiative_id: int | None


class VoteDetailOut(VoteOut):
    options: list[OptionOut]
    can_vote: bool
    voted: bool

    @staticmethod
    def resolve_options(obj: Vote) -> list[VoteOption]:
        return list(obj.options.all())


class BallotIn(InputSchema):
    options: list[Id] = Field(min_length=1, max_length=MAX_BALLOT_OPTIONS)


class ReceiptOut(Schema):
    vote_id: int
    receipt: str = Field(description="Shown once: the code that checks the ballot is counted.")


class ReceiptCheckIn(InputSchema):
    code: str = Field(min_length=1, max_length=40)


class ReceiptCheckOut(Schema):
    counted: bool
    vote_id: int | None
    vote_title: str | None


class TallyRowOut(Schema):
    option_id: int
    title: str
    cost: Money | None = Field(description="roubles")
    votes: int
    share: Decimal = Field(description="Percent of the ballots, one decimal.")
    funded: bool


class TallyOut(Schema):
    vote_id: int
    ballots: int
    voters: int
    paper: int
    rows: list[TallyRowOut]


class VoterOut(Schema):
    name: str | None
    voted_on: date
    channel: Ballot.Channel
    polling_point: str

    @staticmethod
    def resolve_name(obj: VoterMark) -> str | None:
        return obj.user.display_name if obj.user else None


@router.get("/votes", response=list[VoteOut], auth=OPTIONAL_AUTH, summary="Residents' votes")
@paginate(Pages, page_size=vote_selectors.VOTE_PAGE)
def list_votes(request: HttpRequest) -> object:
    return vote_selectors.vote_list(api_viewer(request))


@router.get(
    "/votes/{int:pk}",
    response=VoteDetailOut,
    auth=OPTIONAL_AUTH,
    summary="A vote with its ballot options (no counts before it closes)",
)
def vote_detail(request: HttpRequest, pk: int) -> Vote:
    user = api_viewer(request)
    vote = permissions.get_vote_for_user(user, pk)
    vote.can_vote = bool(permissions.can_cast(user, vote))  # type: ignore[attr-defined]
    vote.voted = bool(  # type: ignore[attr-defined]
        user.is_authenticated and votes.has_voted(vote, api_user(request))
    )
    return vote


@router.post(
    "/votes/{int:pk}/ballot",
    response={201: ReceiptOut},
    summary="Cast my ballot (verified residents, once: 409 for a second; 422 over the limit)",
)
def cast(request: HttpRequest, pk: int, payload: BallotIn) -> Status[dict[str, object]]:
    user = api_user(request)
    vote = permissions.get_vote_for_user(user, pk)
    receipt = votes.ballot_cast(actor=user, vote=vote, option_ids=payload.options)
    return Status(201, {"vote_id": vote.pk, "receipt": receipt})


@router.post(
    "/votes/receipts/check",
    response=ReceiptCheckOut,
    auth=OPTIONAL_AUTH,
    summary="Check that the ballot of a receipt code is counted (never what it chose)",
)
def receipt_check(request: HttpRequest, payload: ReceiptCheckIn) -> dict[str, object]:
    vote = votes.receipt_check(payload.code)
    return {
        "counted": vote is not None,
        "vote_id": vote.pk if vote else None,
        "vote_title": vote.title if vote else None,
    }


@router.get(
    "/votes/{int:pk}/tally",
    response=TallyOut,
    auth=OPTIONAL_AUTH,
    summary="The tally of a closed vote (409 while it is not closed)",
)
def tally(request: HttpRequest, pk: int) -> dict[str, object]:
    user = api_viewer(request)
    vote = permissions.get_vote_for_user(user, pk)
    counted = vote_selectors.tally(user, vote)
    rows = [
        {
            "option_id": row.option.pk,
            "title": row.option.title,
            "cost": row.option.cost,
            "votes": row.votes,
            "share": row.share,
            "funded": row.funded,
        }
        for row in counted.rows
    ]
    return {
        "vote_id": vote.pk,
        "ballots": counted.ballots,
        "voters": counted.voters,
        "paper": counted.paper,
        "rows": rows,
    }


@router.get(
    "/votes/{int:pk}/voters",
    response=list[VoterOut],
    summary="Who voted: name, day, way, polling point — never a choice (staff)",
)
@paginate(Pages, page_size=vote_selectors.VOTER_PAGE)
def voters(request: HttpRequest, pk: int) -> object:
    user = api_user(request)
    vote = permissions.get_vote_for_user(user, pk)
    permissions.require(permissions.can_see_voters(user, vote))
    return vote_selectors.voter_list(vote)
