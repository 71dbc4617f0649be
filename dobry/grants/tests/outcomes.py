"""Funded projects with published results for the tests of their public side: one
running, one finished (its final report accepted), and the people around a project."""

from dobry.accounts.tests.factories import UserFactory
from dobry.grants.models import Agreement, Competition, GrantReport
from dobry.grants.services import reports
from dobry.grants.tests.agreements import grantee_of, signed_agreement
from dobry.grants.tests.reports import submitted_report


def _published(agreement: Agreement) -> Agreement:
    Competition.objects.filter(pk=agreement.application.competition_id).update(
        status=Competition.Status.RESULTS
    )
    return Agreement.objects.select_related("application__competition").get(pk=agreement.pk)


def running_project(official=None) -> Agreement:
    """A signed agreement of a competition whose results are published."""
    return _published(signed_agreement(official))


def finished_project(official=None) -> Agreement:
    """A project whose final report was accepted (its agreement closed), results out."""
    official = official or UserFactory(is_official=True)
    agreement = signed_agreement(official)
    report = submitted_report(agreement)
    reports.report_accept(actor=official, report=report, rating=GrantReport.Rating.SUCCESSFUL)
    return _published(agreement)


def official_of(agreement: Agreement):
    """A manager of the project's competition (its organiser)."""
    manager = UserFactory()
    agreement.application.competition.managers.add(manager)
    return manager


__all__ = ["finished_project", "grantee_of", "official_of", "running_project"]
