"""Erasing an organisation's owner: the organisation stays, without the person's phone and
email as its contacts; the only owner is told first, on the erase page, what happens and how
to hand ownership over — erasure itself is never refused (152-ФЗ art. 21)."""

import pytest

from dobry.accounts.services import user_erase
from dobry.accounts.tests.factories import UserFactory
from dobry.core.models import AuditEntry
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory


@pytest.fixture
def owner(db):
    return UserFactory(email="olga.owner@example.org", phone="+79135550777")


def _owned(owner, **fields):
    organization = OrganizationFactory(**fields)
    MembershipFactory(organization=organization, user=owner, role=Membership.Role.OWNER)
    return organization


def test_the_only_owner_is_told_before_erasing_and_a_co_owner_is_not(owner, login_as):
    alone = _owned(owner, name="АНО «Одна»", short_name="Одна")
    shared = _owned(owner, name="АНО «Две»", short_name="Две")
    MembershipFactory(organization=shared, role=Membership.Role.OWNER)

    page = login_as(owner).get("/profile/delete/").content.decode()

    assert "Вы — единственный владелец организации «Одна»" in page
    assert "«Две»" not in page
    assert alone.pk  # the page names it; nothing changed yet
    assert Membership.objects.filter(user=owner).count() == 2


def test_a_person_with_no_organisation_alone_sees_no_warning(owner, login_as):
    page = login_as(owner).get("/profile/delete/").content.decode()
    assert "Прежде чем удалить" not in page


def test_the_erase_page_warns_in_english_too(owner, login_as):
    _owned(owner, name="АНО «Одна»", short_name="Одна")
    _speaks_english(owner)
    client = login_as(owner)
    page = client.get("/profile/delete/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You are the only owner of" in page


@pytest.mark.parametrize(
    ("phone", "email"),
    [("+7 913 555-07-77", "Olga.Owner@Example.ORG"), ("89135550777", "olga.owner@example.org")],
)
def test_erasing_the_only_owner_clears_the_contacts_that_were_theirs(owner, login_as, phone, email):
    organization = _owned(owner, phone=phone, email=email, description="Звоните Ольге")
    response = login_as(owner).post("/profile/delete/", {"confirm": "удалить"})
    assert response.status_code == 302
    organization.refresh_from_db()
    assert (organization.phone, organization.email) == ("", "")
    assert organization.name  # the register's data stays
    assert not Membership.objects.filter(organization=organization).exists()
    entry = AuditEntry.objects.get(action="organization.contacts_erase")
    assert (entry.object_id, entry.data) == (str(organization.pk), {"fields": ["phone", "email"]})


def test_the_organisations_own_contacts_stay(owner):
    organization = _owned(owner, phone="+73919751234", email="office@nko.example.org")
    user_erase(user=owner, actor=None)
    organization.refresh_from_db()
    assert (organization.phone, organization.email) == ("+73919751234", "office@nko.example.org")
    assert not AuditEntry.objects.filter(action="organization.contacts_erase").exists()
    assert Organization.objects.filter(pk=organization.pk).exists()


def _speaks_english(user) -> None:
    """A signed-in person reads pages in their stored language, whatever the browser asks
    (`accounts.middleware.UserLanguageMiddleware`)."""
    type(user).objects.filter(pk=user.pk).update(language="en")
