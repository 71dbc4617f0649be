"""An organisation not verified yet shows only its name to anyone but its members and the
coordinators (attacker's finding of issue 11: a proposer's unmoderated description and
links were public by direct link). The page, the catalogue and the API detail and list all
follow `permissions.can_see_details`."""

import pytest
from django.test import Client

from dobry.accounts.tests.factories import bearer
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
P = Organization.Status
SPAM = "Лучшие займы тут"
LINK = "https://spam.example/zaim"
NAME = "АНО «Новые соседи»"


@pytest.fixture
def proposed():
    return OrganizationFactory(
        status=P.PENDING,
        name=NAME,
        short_name="",
        description=SPAM,
        website=LINK,
        vk_url="https://vk.com/spam",
        phone="+79130000001",
        address="ул. Спамовая, 1",
    )


@pytest.fixture
def people(proposed, resident, coordinator):
    member = MembershipFactory(organization=proposed, role=Membership.Role.MEMBER).user
    return {"anonymous": None, "outsider": resident, "member": member, "coordinator": coordinator}


def _client(people, role, login_as):
    return Client() if people[role] is None else login_as(people[role])


def _api(people, role):
    return Client() if people[role] is None else bearer(people[role])


SEES_ALL = {"anonymous": False, "outsider": False, "member": True, "coordinator": True}


@pytest.mark.parametrize("role", list(SEES_ALL))
def test_the_page_shows_only_the_name_to_those_who_may_not_see_more(
    proposed, people, role, login_as
):
    page = _client(people, role, login_as).get(f"/organizations/{proposed.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Новые соседи" in body
    for text in (SPAM, LINK, "vk.com/spam", "+79130000001", "Спамовая"):
        assert (text in body) is SEES_ALL[role], (role, text)
    hidden_note = "до проверки видно только её название"
    assert (hidden_note in body) is not SEES_ALL[role]


@pytest.mark.parametrize("role", list(SEES_ALL))
def test_the_api_detail_gives_only_the_name_to_those_who_may_not_see_more(proposed, people, role):
    data = _api(people, role).get(f"/api/v1/organizations/{proposed.pk}").json()
    assert (data["id"], data["name"], data["status"], data["verified"]) == (
        proposed.pk,
        NAME,
        "pending",
        False,
    )
    shown = [data[key] for key in ("description", "website", "vk_url", "phone", "address")]
    if SEES_ALL[role]:
        assert shown == [SPAM, LINK, "https://vk.com/spam", "+79130000001", "ул. Спамовая, 1"]
    else:
        assert shown == ["", "", "", "", ""]
        assert (data["inn"], data["ogrn"], data["logo_url"], data["areas"]) == ("", "", None, [])


@pytest.mark.parametrize("role", list(SEES_ALL))
def test_the_api_list_with_pending_ones_gives_only_their_names(proposed, people, role):
    verified = OrganizationFactory(description="Настоящее описание")
    rows = _api(people, role).get("/api/v1/organizations", {"include_pending": "true"}).json()
    by_id = {row["id"]: row for row in rows["items"]}
    assert by_id[verified.pk]["description"] == "Настоящее описание"
    assert by_id[proposed.pk]["name"] == NAME
    assert (by_id[proposed.pk]["description"] == SPAM) is SEES_ALL[role]
    assert (by_id[proposed.pk]["website"] == LINK) is SEES_ALL[role]


@pytest.mark.parametrize("role", list(SEES_ALL))
def test_the_catalogue_page_shows_no_logo_kind_details_of_a_pending_one(
    proposed, people, role, login_as
):
    body = (
        _client(people, role, login_as).get("/organizations/", {"verified": "all"}).content.decode()
    )
    assert "Новые соседи" in body
    assert SPAM not in body  # the catalogue never shows descriptions


def test_a_verified_organisation_shows_everything_to_anyone(proposed):
    Organization.objects.filter(pk=proposed.pk).update(status=P.VERIFIED)
    body = Client().get(f"/organizations/{proposed.pk}/").content.decode()
    assert SPAM in body
    assert LINK in body
    data = Client().get(f"/api/v1/organizations/{proposed.pk}").json()
    assert (data["description"], data["website"]) == (SPAM, LINK)


def test_the_catalogue_api_keeps_its_query_budget_with_many_pending(
    proposed, people, django_assert_max_num_queries
):
    for _ in range(10):
        OrganizationFactory(status=P.PENDING, description=SPAM)
    client = _api(people, "outsider")
    with django_assert_max_num_queries(12):
        rows = client.get("/api/v1/organizations", {"include_pending": "true"}).json()
    assert all(row["description"] == "" for row in rows["items"])


@pytest.mark.parametrize("words", ["займы", "Спамовая"])
def test_the_catalogue_search_cannot_probe_the_hidden_text(proposed, words, resident, login_as):
    """The search finds an organisation not verified yet by its names only, so `?q=` over
    the catalogue (page and API) tells nothing of its description or address."""
    page = login_as(resident).get("/organizations/", {"verified": "all", "q": words})
    assert page.status_code == 200
    assert "Новые соседи" not in page.content.decode()
    listed = bearer(resident).get("/api/v1/organizations", {"include_pending": "true", "q": words})
    assert listed.status_code == 200
    assert listed.json()["items"] == []


def test_the_catalogue_search_finds_it_by_name_and_all_of_it_once_verified(proposed, resident):
    found = Client().get("/api/v1/organizations", {"include_pending": "true", "q": "соседи"})
    assert [item["id"] for item in found.json()["items"]] == [proposed.pk]
    proposed.status = P.VERIFIED
    proposed.save(update_fields=["status"])
    found = bearer(resident).get("/api/v1/organizations", {"q": "займы"})
    assert [item["id"] for item in found.json()["items"]] == [proposed.pk]


def test_the_migration_folds_names_only_for_rows_not_verified(proposed):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("dobry.organizations.migrations.0004_unverified_search_text")
    Organization.objects.filter(pk=proposed.pk).update(search_text="лучшие займы тут")
    verified = OrganizationFactory(status=P.VERIFIED, description="Займы")
    migration.fold_names_only(apps, None)
    proposed.refresh_from_db()
    verified.refresh_from_db()
    assert "займы" not in proposed.search_text
    assert "соседи" in proposed.search_text
    assert "займы" in verified.search_text
