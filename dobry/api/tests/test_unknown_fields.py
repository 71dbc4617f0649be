"""A field a request body does not declare — unknown, misspelt or read-only — is a 422
naming it, and nothing changes; never a 200 that silently ignored it (`InputSchema`)."""

import json

import pytest

from dobry.accounts.tests.factories import bearer
from dobry.grants.models import Application
from dobry.grants.services import applications
from dobry.grants.tests.factories import applicant_organization, complete_content, open_competition

pytestmark = pytest.mark.django_db
NO_SUCH_FIELD = ["Такого поля нет."]


def patch(client, path: str, body: dict):
    return client.patch(path, json.dumps(body), content_type="application/json")


def test_a_user_cannot_make_themselves_staff(resident):
    response = patch(bearer(resident), "/api/v1/me", {"is_staff": True, "first_name": "Анна"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"is_staff": NO_SUCH_FIELD}
    resident.refresh_from_db()
    assert not resident.is_staff


def test_the_volunteer_profile_refuses_a_field_it_does_not_have(resident):
    response = patch(bearer(resident), "/api/v1/me/volunteer-profile", {"about": "Люблю помогать"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"about": NO_SUCH_FIELD}


@pytest.fixture
def draft(official):
    organization, leader = applicant_organization()
    application = applications.application_create(
        user=leader, competition=open_competition(official), organization=organization
    )
    applications.application_save(
        user=leader, application=application, title="Проект", content=complete_content(100_000)
    )
    return application, bearer(leader)


def test_an_application_refuses_its_read_only_amount(draft):
    application, client = draft
    response = patch(client, f"/api/v1/applications/{application.pk}", {"requested_amount": -5})
    assert response.status_code == 422
    assert response.json()["errors"] == {"requested_amount": NO_SUCH_FIELD}
    application.refresh_from_db()
    assert application.requested_amount == 100_000


def test_an_application_refuses_unknown_content(draft):
    application, client = draft
    content = complete_content(50_000)
    content["evil"] = "<script>"
    content["budget"][0]["discount"] = "100"
    response = patch(client, f"/api/v1/applications/{application.pk}", {"content": content})
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "content.evil": NO_SUCH_FIELD,
        "content.budget.0.discount": NO_SUCH_FIELD,
    }
    application = Application.objects.get(pk=application.pk)
    assert application.requested_amount == 100_000
    assert "evil" not in application.content


def test_a_nested_object_refuses_unknown_fields_too(coordinator):
    response = bearer(coordinator).post(
        "/api/v1/events",
        json.dumps({"shifts": [{"title": "Уборка", "colour": "red"}]}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"]["shifts.0.colour"] == NO_SUCH_FIELD
