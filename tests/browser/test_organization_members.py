"""A coordinator follows «Участники» on an organisation's page: the members page opens
read-only (it answered 403 while the API listed the members), and passes axe; its owner
gets the forms."""

import pytest
from playwright.sync_api import expect

from dobry.accounts.tests.factories import PASSWORD, UserFactory
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

from .conftest import assert_accessible, log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_reads_the_members_and_the_owner_manages_them(page):
    organization = OrganizationFactory(short_name="НКО Участие")
    owner = UserFactory(email="owner@example.org", first_name="Вера", last_name="Владелец")
    MembershipFactory(organization=organization, user=owner, role=Membership.Role.OWNER)
    coordinator = UserFactory(email="coord@example.org", is_coordinator=True)

    log_in(page, coordinator.email, PASSWORD)
    page.goto(organization.get_absolute_url())
    page.get_by_role("link", name="Участники").click()
    expect(page.get_by_role("cell", name="Вера Владелец")).to_be_visible()
    expect(page.get_by_role("button", name="Пригласить")).to_have_count(0)
    expect(page.get_by_text("owner@example.org")).to_have_count(0)
    assert_accessible(page)
    log_out(page)

    log_in(page, owner.email, PASSWORD)
    page.goto(organization.get_absolute_url())
    page.get_by_role("link", name="Участники").click()
    expect(page.get_by_role("button", name="Пригласить")).to_be_visible()
    assert_accessible(page)
