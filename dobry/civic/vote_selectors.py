"""Reads of residents' votes: the list, the tally after closing, who voted (for staff).

The tally is counted from the ballots in the database in one query, and only for a closed
vote (`tally` raises otherwise: live counts are shown to nobody). A budget vote's tally
also says which projects the budget funds: the most voted first, each that still fits in
what is left (the usual rule of participatory budgets), ties by the option's number."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, QuerySet

from dobry.civic.models import Vote, VoteOption, VoterMark
from dobry.civic.models.votes import VoteQuerySet
from dobry.civic.permissions import can_see_tally, require, visible_votes
from dobry.core.permissions import Actor
from dobry.grants.models import Competition
from dobry.organizations.sections import Section

VOTE_PAGE = 20
VOTER_PAGE = 100


@dataclass(frozen=True)
class TallyRow:
    option: VoteOption
    votes: int
    share: Decimal  # percent of the ballots, one decimal
    funded: bool  # budget votes: the budget funds it; approval votes: among the K first


@dataclass(frozen=True)
class Tally:
    ballots: int
    voters: int
    paper: int
    rows: list[TallyRow]


def vote_list(user: Actor) -> VoteQuerySet:
    return visible_votes(user).annotate(option_count=Count("options")).order_by("-opens_at", "-id")


def tally(user: Actor, vote: Vote) -> Tally:
    """The counts of a closed vote, most voted first. Raises InvalidTransition (409) while
    the vote is not closed (`can_see_tally`)."""
    require(can_see_tally(user, vote))
    options = list(
        VoteOption.objects.filter(vote=vote)
        .select_related("application", "initiative")
        .annotate(votes=Count("choices"))
        .order_by("-votes", "position", "pk")
    )
    ballots = vote.ballots.count()
    marks = VoterMark.objects.filter(vote=vote)
    left = vote.budget or Decimal(0)
    rows = []
    for n, option in enumerate(options):
        votes: int = option.votes
        if vote.is_budget:
            funded = votes > 0 and (option.cost or Decimal(0)) <= left
            if funded:
                left -= option.cost or Decimal(0)
        else:
            funded = votes > 0 and n < vote.max_choices
        share = Decimal(votes * 100) / ballots if ballots else Decimal(0)
        rows.append(TallyRow(option, votes, share.quantize(Decimal("0.1")), funded))
    return Tally(
        ballots=ballots,
        voters=marks.count(),
        paper=marks.filter(channel="paper").count(),
        rows=rows,
    )


def voter_list(vote: Vote) -> QuerySet[VoterMark]:
    """Who voted, by day and name — the day, the way and the polling point, never a choice."""
    return (
        VoterMark.objects.filter(vote=vote)
        .select_related("user", "officer")
        .order_by("voted_on", "user__last_name", "user__first_name", "pk")
    )


def competition_section(competition: Competition) -> Section | None:
    """The competition's results page: the tally of each closed residents' vote about its
    applications (none while a vote runs — live counts are shown to nobody)."""
    closed = list(Vote.objects.filter(competition=competition, status=Vote.Status.CLOSED))
    if not closed:
        return None
    viewer = AnonymousUser()
    return Section(
        "civic/votes/_competition_results.html",
        {"tallies": [(vote, tally(viewer, vote)) for vote in closed]},
    )
