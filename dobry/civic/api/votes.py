"""Residents' votes by API: the list, a vote with its options, casting a ballot (the receipt
code comes back once), checking a receipt, the tally after closing, who voted (staff) —
the same permission functions, selectors and services as the pages. No endpoint returns a
ballot, and none joins a voter to a choice."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dobry.accounts.auth import api_user, api_viewer
from dobry.accounts.models import User
from dobry.api.auth import OPTIONAL_AUTH
from dobry.api.fields import Amount, Id, Moment, Money, Pages, chosen_object
from dobry.civic import permissions, vote_selectors
from dobry.civic.models import Ballot, Initiative, Vote, VoteOption, VoterMark
from dobry.civic.models.votes import MAX_CHOICES
from dobry.civic.services import votes
from dobry.core.errors import DomainError
from dobry.core.input_schema import InputSchema
from dobry.core.text_limits import text_limit
from dobry.grants.models import Application, Competition

router = Router(tags=["votes"])
_NO_ACCOUNT = gettext_lazy("Учётная запись с таким email не найдена.")
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
    criterion_points: Decimal = Field(description="points, not money")


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


# Preparing a vote (coordinators): its rules, options and officers — the services and
# permission functions of the preparation pages. Options and rules change until voting
# opens (409 after, with the reason).


class VoteRulesIn(InputSchema):
    title: str = Field(min_length=1, max_length=text_limit(Vote, "title"))
    description: str = Field("", max_length=text_limit(Vote, "description"))
    max_choices: int = Field(1, ge=1, le=MAX_CHOICES, description="approval votes: K")
    budget: Amount | None = Field(None, description="budget votes: roubles")
    opens_at: Moment = Field(description="without a zone: the city's time")
    closes_at: Moment = Field(description="without a zone: the city's time")
    use: Vote.Use = Vote.Use.AWARD
    criterion_points: Amount = Field(
        Decimal(0),
        description="use=criterion: the greatest points of «Народная поддержка», from the "
        "competition's rules",
    )


class VoteIn(VoteRulesIn):
    kind: Vote.Kind
    competition_id: Id | None = Field(
        None, description="its admitted applications become the options"
    )


class OptionIn(InputSchema):
    title: str = Field("", max_length=text_limit(VoteOption, "title"))
    description: str = Field("", max_length=text_limit(VoteOption, "description"))
    cost: Amount | None = Field(None, description="budget votes: roubles")
    initiative_id: Id | None = None
    application_id: Id | None = None


class OfficerIn(InputSchema):
    email: str = Field(min_length=3, max_length=254)


class OfficerOut(Schema):
    id: int
    name: str
    email: str

    @staticmethod
    def resolve_name(obj: User) -> str:
        return obj.display_name


class VoteMoveIn(InputSchema):
    move: Literal["announce", "close"]


def _prepared(request: HttpRequest, pk: int) -> tuple[User, Vote]:
    user = api_user(request)
    return user, permissions.get_vote_for_user(user, pk, action="prepare")


@router.post(
    "/votes",
    response={201: VoteDetailOut},
    summary="Prepare a vote (coordinators): a draft until announced",
)
def create_vote(request: HttpRequest, payload: VoteIn) -> Status[Vote]:
    user = api_user(request)
    permissions.require(permissions.can_manage_votes(user))
    competition = chosen_object(
        Competition.objects.exclude(status=Competition.Status.DRAFT),
        payload.competition_id,
        name="competition_id",
    )
    vote = votes.vote_create(
        actor=user,
        title=payload.title,
        description=payload.description,
        kind=payload.kind,
        max_choices=payload.max_choices,
        budget=payload.budget,
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        competition=competition,
        use=payload.use,
        criterion_points=payload.criterion_points,
    )
    return Status(201, vote_detail(request, vote.pk))


@router.put(
    "/votes/{int:pk}",
    response=VoteDetailOut,
    summary="Change a vote's rules until voting opens (coordinators; 409 after)",
)
def update_vote(request: HttpRequest, pk: int, payload: VoteRulesIn) -> Vote:
    user, vote = _prepared(request, pk)
    votes.vote_update(
        actor=user,
        vote=vote,
        title=payload.title,
        description=payload.description,
        max_choices=payload.max_choices,
        budget=payload.budget,
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        use=payload.use,
        criterion_points=payload.criterion_points,
    )
    return vote_detail(request, pk)


@router.post(
    "/votes/{int:pk}/options",
    response={201: OptionOut},
    summary="Add an option until voting opens (coordinators; 409 after)",
)
def add_option(request: HttpRequest, pk: int, payload: OptionIn) -> Status[VoteOption]:
    user, vote = _prepared(request, pk)
    initiative = chosen_object(
        Initiative.objects.all(), payload.initiative_id, name="initiative_id"
    )
    application = chosen_object(
        Application.objects.filter(competition_id=vote.competition_id or 0),
        payload.application_id,
        name="application_id",
    )
    option = votes.option_add(
        actor=user,
        vote=vote,
        title=payload.title,
        description=payload.description,
        cost=payload.cost,
        initiative=initiative,
        application=application,
    )
    return Status(201, option)


@router.delete(
    "/votes/{int:pk}/options/{int:option_pk}",
    response=VoteDetailOut,
    summary="Remove an option until voting opens (coordinators; 409 after)",
)
def remove_option(request: HttpRequest, pk: int, option_pk: int) -> Vote:
    user, vote = _prepared(request, pk)
    option = get_object_or_404(VoteOption.objects.select_related("vote"), pk=option_pk, vote=vote)
    votes.option_remove(actor=user, option=option)
    return vote_detail(request, pk)


@router.get(
    "/votes/{int:pk}/officers",
    response=list[OfficerOut],
    summary="The vote's counting commission: who enters paper ballots (coordinators)",
)
def officers(request: HttpRequest, pk: int) -> list[User]:
    _user, vote = _prepared(request, pk)
    return list(vote.officers.order_by("last_name", "first_name", "pk"))


@router.post(
    "/votes/{int:pk}/officers",
    response={201: list[OfficerOut]},
    summary="Add a member of the counting commission by the account's email (coordinators)",
)
def add_officer(request: HttpRequest, pk: int, payload: OfficerIn) -> Status[list[User]]:
    user, vote = _prepared(request, pk)
    officer = User.objects.filter(email__iexact=payload.email.strip()).first()
    if officer is None:
        message = str(_NO_ACCOUNT)
        raise DomainError(message, field_errors={"email": [message]})
    votes.officer_add(actor=user, vote=vote, officer=officer)
    return Status(201, officers(request, pk))


@router.delete(
    "/votes/{int:pk}/officers/{int:user_pk}",
    response=list[OfficerOut],
    summary="Take someone off the counting commission (coordinators)",
)
def remove_officer(request: HttpRequest, pk: int, user_pk: int) -> list[User]:
    user, vote = _prepared(request, pk)
    officer = get_object_or_404(vote.officers.all(), pk=user_pk)
    votes.officer_remove(actor=user, vote=vote, officer=officer)
    return officers(request, pk)


@router.post(
    "/votes/{int:pk}/moves",
    response=VoteDetailOut,
    summary="Announce a vote or close it after its closing moment (coordinators)",
)
def move_vote(request: HttpRequest, pk: int, payload: VoteMoveIn) -> Vote:
    user = api_user(request)
    vote = permissions.get_vote_for_user(user, pk)
    votes.vote_move(actor=user, vote=vote, name=payload.move)
    return vote_detail(request, pk)
