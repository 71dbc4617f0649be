"""Grant API faults found by the hostile-input sweep (issue 11 §2)."""

import pytest

from dobry.grants.tests.factories import expert_pool, open_competition, submitted_application
from dobry.grants.tests.test_api import bearer


@pytest.mark.django_db
def test_the_expert_pool_lists_each_expert_with_name_and_load(official):
    competition = open_competition(official)
    experts = expert_pool(competition, official, 2)
    response = bearer(official).get(f"/api/v1/competitions/{competition.pk}/experts")
    assert response.status_code == 200
    body = response.json()["items"]
    assert [item["id"] for item in body] == sorted(expert.pk for expert in experts)
    assert {item["load"] for item in body} == {0}
    assert all(item["name"] for item in body)


@pytest.mark.django_db
def test_an_application_names_its_applicant_to_the_organisers(official):
    competition = open_competition(official)
    application, _leader = submitted_application(competition)
    response = bearer(official).get(f"/api/v1/applications/{application.pk}")
    assert response.status_code == 200
    assert response.json()["applicant"] == application.applicant_name
    assert application.applicant_name


@pytest.mark.django_db
def test_an_application_by_an_organisation_names_the_organisation(official):
    competition = open_competition(official)
    application, _leader = submitted_application(competition)
    body = bearer(official).get(f"/api/v1/applications/{application.pk}").json()
    assert application.organization is not None
    assert body["organization"] == str(application.organization)
    assert body["organization_id"] == application.organization.pk
    assert body["applicant"] == str(application.organization)


@pytest.mark.django_db
def test_an_application_by_a_person_alone_has_no_organisation(official):
    competition = open_competition(official)
    application, _leader = submitted_application(competition)
    application.organization = None
    application.save(update_fields=["organization"])
    body = bearer(official).get(f"/api/v1/applications/{application.pk}").json()
    assert body["organization"] is None
    assert body["organization_id"] is None
    assert body["applicant"] == application.applicant.display_name


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "٣", "1" * 30])
def test_assigning_an_expert_given_in_odd_digits_is_a_400(official, value):
    from django.test import Client

    from dobry.grants.tests.factories import admitted_application

    competition = open_competition(official)
    application = admitted_application(competition, official)
    client = Client()
    client.force_login(official)
    response = client.post(f"/grants/applications/{application.pk}/experts/", {"expert": value})
    assert response.status_code == 400
    assert "«expert»" in response.content.decode()
    assert not application.reviews.exists()
