"""Every link an organisation's page shows leads somewhere that opens for the reader (issue
11 §6: a coordinator's «Участники» answered 403 on every organisation, the link asking one
permission and the page another). A link is shown exactly when the page's own permission
function allows it; the members page opens read-only for those who may see the members
(`can_see_members`, as the API's list) and shows its forms to owners only."""

import re

import pytest

from dobry.events.tests.factories import EventFactory
from dobry.helprequests.tests.factories import ProgrammeFactory
from dobry.organizations import permissions
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member", "editor", "owner", "coordinator", "superuser"]
HREF = re.compile(r'href="(/[^"#]*)[^"]*"')


def _main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


@pytest.fixture
def people(outsider, coordinator, admin_user):
    return {"outsider": outsider, "coordinator": coordinator, "superuser": admin_user}


def _client(client, login_as, people, organization, role):
    if role == "anonymous":
        return client, None
    if role in people:
        user = people[role]
    else:
        user = MembershipFactory(
            organization=organization, role=getattr(Membership.Role, role.upper())
        ).user
    return login_as(user), user


@pytest.mark.parametrize("role", ROLES)
def test_every_link_on_an_organisations_page_opens_for_its_reader(client, login_as, people, role):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, role=Membership.Role.OWNER)
    EventFactory(organization=organization)
    ProgrammeFactory(organization=organization)
    reader, _user = _client(client, login_as, people, organization, role)
    page = reader.get(organization.get_absolute_url())
    assert page.status_code == 200
    links = sorted(set(HREF.findall(_main(page.content.decode()))))
    assert links
    refused = {}
    for link in links:
        status = reader.get(link.replace("&amp;", "&")).status_code
        if status != 200:
            refused[link] = status
    assert refused == {}, f"{role}: {refused}"


@pytest.mark.parametrize("role", ROLES)
def test_the_members_link_is_shown_exactly_when_the_members_page_opens(
    client, login_as, people, role
):
    organization = OrganizationFactory()
    reader, user = _client(client, login_as, people, organization, role)
    url = f"/organizations/{organization.pk}/members/"
    shown = f'href="{url}"' in reader.get(organization.get_absolute_url()).content.decode()
    allowed = bool(user is not None and permissions.can_see_members(user, organization))
    assert shown is allowed
    expected = 200 if allowed else (302 if user is None else 403)
    assert reader.get(url).status_code == expected


def test_a_coordinator_sees_the_members_read_only_as_the_api_lists_them(login_as, coordinator):
    organization = OrganizationFactory()
    owner = MembershipFactory(organization=organization, role=Membership.Role.OWNER).user
    reader = login_as(coordinator)
    page = reader.get(f"/organizations/{organization.pk}/members/")
    api = reader.get(f"/api/v1/organizations/{organization.pk}/members")
    assert (page.status_code, api.status_code) == (200, 200)
    html = page.content.decode()
    assert owner.display_name in html
    assert owner.email not in html  # addresses only for owners, as in the API
    assert "membership_role" not in html
    assert "/role/" not in html
    assert "Пригласить" not in html
    assert "/remove/" not in html
    # and the page's forms refuse a coordinator, as the API does
    invite = {"email": "friend@example.org", "role": "member"}
    assert reader.post(f"/organizations/{organization.pk}/members/", invite).status_code == 403
    assert not organization.invitations.exists()


def test_an_owner_manages_members_on_the_page(login_as):
    organization = OrganizationFactory()
    owner = MembershipFactory(organization=organization, role=Membership.Role.OWNER).user
    member = MembershipFactory(organization=organization).user
    html = login_as(owner).get(f"/organizations/{organization.pk}/members/").content.decode()
    assert member.email in html
    assert "/role/" in html
    assert "/remove/" in html
    assert "Пригласить" in html


def test_a_member_sees_the_members_and_may_only_leave(login_as):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, role=Membership.Role.OWNER)
    membership = MembershipFactory(organization=organization)
    reader = login_as(membership.user)
    html = reader.get(f"/organizations/{organization.pk}/members/").content.decode()
    assert "/role/" not in html
    assert "Пригласить" not in html
    assert html.count("/remove/") == 1
    assert f"/members/{membership.pk}/remove/" in html
