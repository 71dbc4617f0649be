"""What grant pages say about an application, the same way on every page."""

from django import template

from dobry.grants import results, stages
from dobry.grants.models import Application, Competition, Review

register = template.Library()


@register.filter
def application_status(application: Application, staff: bool = False) -> str:
    """`{{ application|application_status:is_manager }}`: the status at its latest stage."""
    return results.status_label(application, staff=bool(staff))


@register.filter
def competition_status(competition: Competition) -> str:
    """`{{ competition|competition_status }}`: «идёт приём заявок», «идёт экспертиза»…"""
    return stages.stage_label(competition)


@register.filter
def review_status(review: Review) -> str:
    """`{{ review|review_status }}`: an unscored review past its deadline says so."""
    return stages.review_label(review)
