import pytest

from dobry.communications.tests.factories import organization_item
from dobry.organizations.models import Organization
from dobry.organizations.tests.factories import OrganizationFactory


@pytest.mark.django_db
def test_home_says_dobry_zheleznogorsk_and_shows_verified_organisations(client):
    OrganizationFactory(short_name="Этот мир для тебя")
    OrganizationFactory(short_name="Ещё не проверена", status=Organization.Status.PENDING)
    body = client.get("/").content.decode()
    assert "<h1>Добрый Железногорск</h1>" in body
    assert "Этот мир для тебя" in body
    assert "Ещё не проверена" not in body
    assert "85" in body  # the population setting


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 12])
def test_home_keeps_a_fixed_query_count(client, django_assert_max_num_queries, count):
    for organization in OrganizationFactory.create_batch(count):
        organization_item(organization, tags=["новости"])
    # the latest news cost three: the items, their tags, their organisations' names
    with django_assert_max_num_queries(9):
        assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_home_is_available_in_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Find an organisation" in body
    assert "Version for the visually impaired" in body
