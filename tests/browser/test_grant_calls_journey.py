"""A member of an НКО finds a grant call that suits the organisation (the ranking with its
reasons) and follows it; every page passes axe."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from dobry.core.clock import local_today
from dobry.opportunities.models import Follow
from dobry.opportunities.tests.factories import OpportunityFactory
from dobry.organizations.models import Membership, OrganizationArea
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_finds_a_suitable_call_and_follows_it(page, live_server):
    organization = OrganizationFactory(
        name="АНО «Добрые руки»", founded_on=local_today() - timedelta(days=800)
    )
    OrganizationArea.objects.create(organization=organization, area="children")
    owner = MembershipFactory(organization=organization, role=Membership.Role.OWNER).user
    call = OpportunityFactory(title="Гранты для детских проектов", areas=["children"])
    OpportunityFactory(title="Гранты для учреждений", eligible_kinds=["municipal"])
    sign_in(page.context, live_server.url, owner)

    page.goto("/grants/calls/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Гранты других программ")
    assert_accessible(page)
    page.get_by_label("Организация").select_option(str(organization.pk))
    page.get_by_role("button", name="Найти").click()
    first = page.locator("ol > li").first
    expect(first).to_contain_text("Гранты для детских проектов")
    expect(first).to_contain_text("Совпадают направления")
    expect(page.locator("ol > li").nth(1)).to_contain_text("Подать нельзя")
    assert_accessible(page)

    first.get_by_role("link", name="Гранты для детских проектов").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(call.title)
    assert_accessible(page)
    page.get_by_role("button", name="Следить за конкурсом").click()
    expect(page.get_by_text("Напомним о сроке подачи")).to_be_visible()
    expect(page.get_by_text("следит за конкурсом.")).to_be_visible()
    assert_accessible(page)
    assert Follow.objects.filter(opportunity=call, organization=organization).exists()

    page.goto("/grants/calls/cabinet/")
    expect(page.get_by_role("link", name=call.title)).to_be_visible()
    assert_accessible(page)
