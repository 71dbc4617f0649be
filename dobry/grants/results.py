"""What the results say, to whom: the public table (rank, score, grant — never the
experts' comments), the open-data rows, and the reviews an applicant or an expert may read
(without expert names when the review is blind)."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dobry.core.numbers import amount, money_text
from dobry.core.permissions import Actor
from dobry.grants import permissions, selectors, stages
from dobry.grants.models import (
    APPLICATION_WORKFLOW,
    Agreement,
    Application,
    Competition,
    Review,
)

# An application left unsent once it can no longer be changed.
LATE: dict[str, Any] = {
    Application.Status.DRAFT: gettext_lazy("не подана: приём заявок закончился"),
    Application.Status.WITHDRAWN: gettext_lazy("отозвана и не подана снова до конца приёма"),
    Application.Status.RETURNED: gettext_lazy("доработка не подана в срок"),
}


def decision_visible(application: Application, *, staff: bool) -> bool:
    """Staff read the commission's decision as soon as it is taken; the applicant (and
    everyone else) once the results are published."""
    status = application.competition.status
    return status == Competition.Status.RESULTS or (staff and status == Competition.Status.DECIDED)


def status_label(application: Application, *, staff: bool) -> str:
    """The application's state in words, at its latest stage: after the decision an
    admitted application is a winner with its grant, in the reserve, or not supported
    («допущена» only until then)."""
    if application.result and decision_visible(application, staff=staff):
        if application.result == Application.Result.WINNER:
            awarded = {"amount": amount(application.awarded_amount)}
            if application.award_tier == "lottery":
                return _("победитель по жребию, грант %(amount)s ₽") % awarded
            return _("победитель, грант %(amount)s ₽") % awarded
        return str(application.get_result_display())
    if application.status in Application.EDITABLE and not stages.editing(application):
        return str(LATE[application.status])
    if staff:
        return APPLICATION_WORKFLOW.staff_name(application.status)
    return APPLICATION_WORKFLOW.public_name(application.status)


def public_rows(competition: Competition) -> list[dict[str, Any]]:
    """Every ranked application with its final score, rank and grant. A resident applying
    in their own name is shown by the project only (their name is personal data)."""
    rows = []
    for item in selectors.ranking(competition):
        application = item.application
        rows.append(
            {
                "rank": item.rank,
                "application_id": application.pk,
                "number": application.number,
                "title": application.title,
                "applicant": str(application.organization) if application.organization_id else "",
                "score": item.score.quantize(Decimal("0.01")),
                "requested": application.requested_amount,
                "awarded": application.awarded_amount or Decimal(0),
                "tier": application.award_tier,
            }
        )
    return rows


def results_data(competition: Competition) -> dict[str, Any]:
    """The published results; each funded row names its project (`project_id`: the
    agreement, whose public page shows the outcome), others `None`."""
    rows = public_rows(competition)
    projects = dict(
        Agreement.objects.filter(application__competition=competition).values_list(
            "application_id", "pk"
        )
    )
    for row in rows:
        row["project_id"] = projects.get(row["application_id"])
    return {
        "competition_id": competition.pk,
        "title": competition.title,
        "budget": competition.budget,
        "awarded_total": sum((row["awarded"] for row in rows), Decimal(0)),
        "lottery_seed": competition.lottery_seed if competition.lottery_winners else "",
        "published_at": competition.results_published_at,
        "applications": rows,
    }


def results_open_data(competition: Competition) -> dict[str, Any]:
    """`results_data` as the open-data file `results.json` gives it: every sum of money in
    the API's one format (`core.numbers.money_text`, «200000.00», «0.00»)."""
    data = results_data(competition)
    return {
        **data,
        "budget": money_text(data["budget"]),
        "awarded_total": money_text(data["awarded_total"]),
        "applications": [
            {
                **row,
                "requested": money_text(row["requested"]),
                "awarded": money_text(row["awarded"]),
            }
            for row in data["applications"]
        ],
    }


CSV_HEADER = ("rank", "number", "title", "applicant", "score", "requested", "awarded", "tier")


# The submitted reviews of one application are one per expert put on it (two by default, one
# more for diverging totals, a replacement now and then): the application's page and GET
# /api/v1/applications/{pk}/reviews show them whole, and never more than this.
REVIEWS_SHOWN = 50


def visible_reviews(user: Actor, application: Application) -> list[dict[str, Any]]:
    """The submitted reviews as this reader may see them (`permissions.sees_expert_names`):
    organisers see who scored what; the applicant (and fellow experts under blind review)
    «Эксперт 1, 2…», numbered in the order the experts were assigned, so a number
    stays with the same expert from one reading to the next."""
    show_names = permissions.sees_expert_names(user, application)
    reviews = (
        application.reviews.filter(status=Review.Status.SUBMITTED)
        .select_related("expert__user")
        .order_by("pk")[:REVIEWS_SHOWN]
    )
    return [
        {
            "expert": review.expert.user.display_name
            if show_names
            else _("Эксперт %(number)s") % {"number": number},
            "status": review.status,
            "scores": review.scores,
            "comments": review.comments,
            "comment": review.comment,
            "total": review.total,
        }
        for number, review in enumerate(reviews, start=1)
    ]
