"""Grant projects count as involvement (indicator 3): the people the platform knows run a
project — the applicant and the grantee organisation's owners and editors — count in each
period the project runs in (from the agreement's start to its end, once begun), each
person once across all the sources."""

from datetime import date, timedelta

import pytest

from dobry.accounts.tests.factories import UserFactory
from dobry.core.clock import local_today
from dobry.events.tests.factories import RegistrationFactory
from dobry.grants.models import Agreement, Application
from dobry.grants.tests.agreements import grantee_of, signed_agreement
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory
from dobry.reports import indicators
from dobry.reports.counting import Span, distinct_people
from dobry.reports.periods import month, span

pytestmark = pytest.mark.django_db

MARCH, APRIL, MAY = month(2026, 3), month(2026, 4), month(2026, 5)


def _people(*periods):
    return [figure.parts["people"] for figure in indicators.involved_share_per_period(periods)]


def _project(official, starts_on=date(2026, 3, 10), ends_on=date(2026, 4, 20), **changes):
    agreement = signed_agreement(official)
    Agreement.objects.filter(pk=agreement.pk).update(
        starts_on=starts_on, ends_on=ends_on, **changes
    )
    # the application's own submission (today) stays out of the spring months
    return agreement


def _team(agreement):
    """The grantee organisation's owner (also the applicant), an editor and a plain member."""
    organization = agreement.application.organization
    editor = MembershipFactory(organization=organization, role=Membership.Role.EDITOR).user
    member = MembershipFactory(organization=organization, role=Membership.Role.MEMBER).user
    return grantee_of(agreement.application), editor, member


def test_the_team_counts_in_each_month_the_project_runs(official):
    agreement = _project(official)
    owner, _editor, _member = _team(agreement)
    assert agreement.application.applicant_id == owner.pk
    # March and April: the owner-applicant (once) and the editor; May: the project ended
    assert _people(MARCH, APRIL, MAY) == [2, 2, 0]
    # a whole span counts them once
    assert _people(span(date(2026, 3, 1), date(2026, 5, 31))) == [2]


def test_a_plain_member_and_outsiders_are_not_the_team(official):
    agreement = _project(official)
    _owner, _editor, member = _team(agreement)
    MembershipFactory(role=Membership.Role.OWNER)  # another organisation's owner
    UserFactory()
    assert _people(MARCH) == [2]
    Membership.objects.filter(user=member).update(role=Membership.Role.EDITOR)
    assert _people(MARCH) == [3]


def test_a_resident_applicant_without_an_organisation_is_the_team(official):
    agreement = _project(official)
    organization_people = set(
        agreement.application.organization.memberships.values_list("user", flat=True)
    )
    resident = UserFactory()
    Application.objects.filter(pk=agreement.application_id).update(
        applicant=resident, organization=None
    )
    assert resident.pk not in organization_people
    assert _people(MARCH) == [1]
    Application.objects.filter(pk=agreement.application_id).update(applicant=None)
    assert _people(MARCH) == [0]


def test_each_person_once_across_sources(official):
    agreement = _project(official)
    owner, editor, _member = _team(agreement)
    # the owner also came to an event in March, the editor too: still two people
    for person in (owner, editor):
        RegistrationFactory(
            user=person,
            status="confirmed",
            checked_in_at=span(date(2026, 3, 15), date(2026, 3, 15)).starts_at
            + timedelta(hours=10),
        )
    assert _people(MARCH) == [2]
    # a second project of the same organisation in the same month adds nobody
    second = signed_agreement(official)
    Agreement.objects.filter(pk=second.pk).update(
        starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 31)
    )
    Application.objects.filter(pk=second.application_id).update(
        organization=agreement.application.organization, applicant=owner
    )
    assert _people(MARCH) == [2]


@pytest.mark.parametrize(
    "status", [Agreement.Status.DRAFT, Agreement.Status.TERMINATED, Agreement.Status.CLOSED]
)
def test_only_signed_and_finished_projects_count(official, status):
    agreement = _project(official, status=status)
    _team(agreement)
    expected = 2 if status == Agreement.Status.CLOSED else 0
    assert _people(MARCH) == [expected]


def test_a_project_not_yet_begun_counts_nobody(official):
    today = local_today()
    agreement = _project(
        official, starts_on=today + timedelta(days=1), ends_on=today + timedelta(days=90)
    )
    _team(agreement)
    # the applicant applied this month (a source of its own); the editor is not counted yet
    assert _people(span(today.replace(day=1), today)) == [1]
    Agreement.objects.filter(pk=agreement.pk).update(starts_on=today)
    assert _people(span(today.replace(day=1), today)) == [2]


def test_the_project_boundaries_are_days_inclusive(official):
    agreement = _project(official, starts_on=date(2026, 3, 31), ends_on=date(2026, 4, 1))
    _team(agreement)
    february = month(2026, 2)
    assert _people(february, MARCH, APRIL, MAY) == [0, 2, 2, 0]


def test_a_span_source_alone_counts_per_period():
    runs = Span(Agreement.objects.all(), "starts_on", "ends_on", "application__applicant_id")
    assert distinct_people([runs], [MARCH, APRIL]) == [0, 0]
    assert distinct_people([runs], []) == []


def test_the_method_says_who_the_team_is(official):
    [figure] = indicators.involved_share_per_period([MARCH])
    assert "грантовые проекты" in figure.method
    assert "владельцы и редакторы" in figure.method
