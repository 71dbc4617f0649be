"""An owner renaming a verified organisation is told before saving that it goes back to
review (issue 12): the warning beside the name, the tick at the bottom; without the tick the
form comes back with its error summary and what was typed."""

import re

import pytest
from playwright.sync_api import expect

from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_renaming_a_verified_organisation_asks_first(page, live_server):
    organization = OrganizationFactory(name="АНО «Добрые руки»")
    owner = MembershipFactory(organization=organization, role=Membership.Role.OWNER).user
    sign_in(page.context, live_server.url, owner)
    page.goto(f"/organizations/{organization.pk}/edit/")
    expect(page.get_by_role("note")).to_contain_text("вернётся на проверку")
    name = page.get_by_label("Полное название")
    expect(name).to_have_accessible_description(re.compile("Изменение вернёт"))
    assert_accessible(page)

    name.fill("АНО «Тёплый дом»")
    page.get_by_role("button", name="Сохранить").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("вернётся на проверку")
    expect(page.get_by_label("Полное название")).to_have_value("АНО «Тёплый дом»")
    assert_accessible(page)
    organization.refresh_from_db()
    assert organization.status == Organization.Status.VERIFIED

    page.get_by_label("Понимаю").check()
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("отправлена на проверку")).to_be_visible()
    organization.refresh_from_db()
    assert (organization.name, organization.status) == ("АНО «Тёплый дом»", "pending")
