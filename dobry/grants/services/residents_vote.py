"""The criterion «Народная поддержка» of a competition whose rules make a residents' vote one
of its criteria: the app that runs the vote (civic) hands over the closed vote's counts, and
each application's points are stored here for the ranking (`selectors.ranking`)."""

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from django.db import transaction

from dobry.core.audit import log_action
from dobry.grants import rules
from dobry.grants.models import Application, Competition, ResidentsVoteScore


def residents_vote_record(
    *,
    competition: Competition,
    votes: Mapping[int, int],
    ballots: int,
    max_points: Decimal,
    source: str,
    source_url: str,
    counted_at: datetime,
) -> list[ResidentsVoteScore]:
    """Store the points of a closed vote for the competition's applications (`votes`: the
    votes of each application id; an admitted application not in it had no option and
    keeps no points). Replaces what an earlier vote stored, in one transaction; the
    caller (the vote's closing) holds the vote's lock, so it runs once per vote."""
    applications = {
        a.pk: a for a in Application.objects.filter(competition=competition, pk__in=list(votes))
    }
    with transaction.atomic():
        ResidentsVoteScore.objects.filter(application__competition=competition).delete()
        scores = ResidentsVoteScore.objects.bulk_create(
            [
                ResidentsVoteScore(
                    application=application,
                    votes=votes[pk],
                    ballots=ballots,
                    share=(Decimal(votes[pk] * 100) / ballots if ballots else Decimal(0)).quantize(
                        Decimal("0.1")
                    ),
                    points=rules.residents_vote_points(votes[pk], ballots, max_points),
                    max_points=max_points,
                    source=source[:300],
                    source_url=source_url[:200],
                    counted_at=counted_at,
                )
                for pk, application in sorted(applications.items())
            ]
        )
        log_action(
            actor=None,
            action="competition.residents_vote",
            obj=competition,
            data={"ballots": ballots, "source": source[:300]},
        )
    return scores
