"""The review of an organisation is ORGANIZATION_WORKFLOW: coordinators verify and return
(with what to fix), editing sends it back to review. The page offers exactly the moves the
table and the permission allow, and names the state from the workflow."""

import pytest

from dobry.organizations import permissions
from dobry.organizations.models import ORGANIZATION_WORKFLOW, Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
S = Organization.Status


def test_the_table():
    assert ORGANIZATION_WORKFLOW.table == {
        S.PENDING: frozenset({S.VERIFIED, S.RETURNED}),
        S.VERIFIED: frozenset({S.RETURNED, S.PENDING}),
        S.RETURNED: frozenset({S.PENDING}),
    }
    assert [m.name for m in ORGANIZATION_WORKFLOW.moves if m.needs_reason] == ["return"]
    assert [m.name for m in ORGANIZATION_WORKFLOW.moves if not m.button] == ["resubmit"]


@pytest.mark.parametrize(
    ("status", "buttons"),
    [(S.PENDING, ["verify", "return"]), (S.VERIFIED, ["return"]), (S.RETURNED, [])],
)
def test_a_coordinator_is_offered_the_moves_of_the_table(coordinator, status, buttons):
    organization = OrganizationFactory(status=status)
    assert [m.name for m in permissions.review_moves(coordinator, organization)] == buttons


def test_members_and_outsiders_are_offered_no_review(resident, outsider):
    organization = OrganizationFactory(status=S.PENDING)
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.OWNER)
    assert permissions.review_moves(resident, organization) == []
    assert permissions.review_moves(outsider, organization) == []


def test_the_page_draws_the_buttons_from_the_workflow(login_as, coordinator, client):
    organization = OrganizationFactory(status=S.PENDING)
    url = organization.get_absolute_url()
    page = login_as(coordinator).get(url).content.decode()
    assert f'action="/organizations/{organization.pk}/verify/"' in page
    assert f'action="/organizations/{organization.pk}/return/"' in page
    assert "Подтвердить: организация проверена" in page
    assert "ожидает проверки" in page
    Organization.objects.filter(pk=organization.pk).update(status=S.VERIFIED)
    page = login_as(coordinator).get(url).content.decode()
    assert "/verify/" not in page
    assert f'action="/organizations/{organization.pk}/return/"' in page
    assert "/return/" not in client.get(url).content.decode()


def test_the_badge_names_the_state_in_english_too(client):
    organization = OrganizationFactory(status=S.VERIFIED)
    page = client.get(organization.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "✓ verified" in page.content.decode()
