"""Reading a competition's results: the ranking with each expert's totals beside their
z-scores, as staff, the protocol and the public page show it."""

from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from dobry.grants import rules
from dobry.grants.models import Application, Competition, Review


@dataclass
class ExpertTotal:
    review: Review
    total: Decimal
    z_score: float | None


@dataclass
class Ranked:
    application: Application
    score: Decimal
    rank: int
    complete: bool  # every assigned expert has submitted
    totals: list[ExpertTotal] = field(default_factory=list)

    def scored(self) -> rules.Scored:
        application = self.application
        return rules.Scored(
            application.pk,
            self.score,
            application.submitted_at or application.created_at,
            application.requested_amount,
        )


def ranking(competition: Competition) -> list[Ranked]:
    """Admitted applications with at least one submitted review, by the published rule:
    score descending, ties by earlier submission. A fixed number of queries."""
    applications = list(
        competition.applications.admitted()
        .select_related("organization", "applicant")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.active().select_related("expert__user"),
                to_attr="counted_reviews",
            )
        )
    )
    totals: dict[tuple[Hashable, int], Decimal] = {
        (review.expert_id, application.pk): review.total
        for application in applications
        for review in application.counted_reviews
        if review.status == Review.Status.SUBMITTED and review.total is not None
    }
    z_scores = rules.normalised_totals(totals)
    by_id = {application.pk: application for application in applications}
    scored = [
        rules.Scored(a.pk, a.score, a.submitted_at or a.created_at, a.requested_amount)
        for a in applications
        if a.score is not None
    ]
    result = []
    for position, item in enumerate(rules.rank(scored), start=1):
        application = by_id[item.application_id]
        reviews = application.counted_reviews
        result.append(
            Ranked(
                application=application,
                score=item.score,
                rank=position,
                complete=all(r.status == Review.Status.SUBMITTED for r in reviews),
                totals=[
                    ExpertTotal(r, r.total, z_scores[(r.expert_id, application.pk)])
                    for r in reviews
                    if r.status == Review.Status.SUBMITTED and r.total is not None
                ],
            )
        )
    return result
