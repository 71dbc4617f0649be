"""What grant pages say about an application, the same way on every page."""

from django import template

from dobry.grants import results, stages
from dobry.grants.models import COMPETITION_WORKFLOW, Application, Competition, Review

register = template.Library()


@register.filter
def application_status(application: Application, staff: bool = False) -> str:
    """`{{ application|application_status:is_manager }}`: the status at its latest stage."""
    return results.status_label(application, staff=bool(staff))


@register.filter
def competition_status(competition: Competition, staff: bool = False) -> str:
    """`{{ competition|competition_status }}`: «идёт приём заявок», «идёт экспертиза»…;
    `competition_status:True` on the organisers' pages (the staff names)."""
    return stages.stage_label(competition, staff=bool(staff))


@register.filter
def move_label(name: str) -> str:
    """`{{ "publish_results"|move_label }}`: the button of a competition's status move, as
    `COMPETITION_WORKFLOW` names it."""
    return str(COMPETITION_WORKFLOW.move(name).label)


@register.filter
def review_status(review: Review) -> str:
    """`{{ review|review_status }}`: an unscored review past its deadline says so."""
    return stages.review_label(review)
