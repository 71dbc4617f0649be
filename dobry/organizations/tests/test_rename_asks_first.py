"""Renaming a verified organisation sends it back to review, and the person is told before
anything is saved (issue 12): the edit page warns beside the kind, name, ИНН and ОГРН and asks
for a tick; the API asks for `confirm_review: true`. Without it the service saves nothing —
the page shows the form again with the error, the API answers 422 at `confirm_review`."""

import pytest
from django.test import Client

from dobry.communications.models import Notification
from dobry.core.errors import DomainError
from dobry.core.models import AuditEntry
from dobry.organizations import services
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
S = Organization.Status
WARNING = "на проверку"


@pytest.fixture
def organization():
    return OrganizationFactory(name="АНО «Добрые руки»")


@pytest.fixture
def owner(organization):
    return MembershipFactory(organization=organization, role=Membership.Role.OWNER).user


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _edit_form(client, organization) -> dict:
    form = client.get(f"/organizations/{organization.pk}/edit/").context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name in ("logo", "confirm_review") or value is None:
            continue
        if isinstance(value, list):
            data[name] = [str(item) for item in value]
        else:
            data[name] = str(getattr(value, "pk", value))
    return data


def _unchanged(organization) -> bool:
    organization.refresh_from_db()
    return organization.name == "АНО «Добрые руки»" and organization.status == S.VERIFIED


# --- the service --------------------------------------------------------------------------


def test_the_service_saves_no_rename_without_the_confirmation(owner, coordinator, organization):
    with pytest.raises(DomainError) as refused:
        services.organization_update(
            actor=owner, organization=organization, fields={"name": "АНО «Тёплый дом»"}
        )
    assert WARNING in refused.value.message
    assert set(refused.value.field_errors) == {"confirm_review", "name"}
    assert _unchanged(organization)
    assert not AuditEntry.objects.filter(action="organization.update").exists()
    assert not Notification.objects.filter(kind="organization_proposed").exists()


def test_confirmed_the_rename_is_saved_and_goes_to_review(owner, coordinator, organization):
    services.organization_update(
        actor=owner,
        organization=organization,
        fields={"name": "АНО «Тёплый дом»"},
        confirm_review=True,
    )
    organization.refresh_from_db()
    assert (organization.name, organization.status) == ("АНО «Тёплый дом»", S.PENDING)
    assert Notification.objects.filter(user=coordinator, kind="organization_proposed").exists()


@pytest.mark.parametrize(
    "fields",
    [{"description": "Теперь и с детьми"}, {"name": "  АНО «Добрые руки»  "}],
    ids=["another field", "the same name typed with spaces"],
)
def test_what_keeps_the_identity_needs_no_confirmation(owner, organization, fields):
    services.organization_update(actor=owner, organization=organization, fields=fields)
    organization.refresh_from_db()
    assert organization.status == S.VERIFIED


@pytest.mark.parametrize("status", [S.PENDING, S.RETURNED])
def test_an_organisation_not_verified_is_renamed_without_the_question(owner, organization, status):
    Organization.objects.filter(pk=organization.pk).update(status=status)
    organization.refresh_from_db()
    services.organization_update(
        actor=owner, organization=organization, fields={"name": "АНО «Тёплый дом»"}
    )
    organization.refresh_from_db()
    assert (organization.name, organization.status) == ("АНО «Тёплый дом»", S.PENDING)


def test_an_outsider_is_refused_for_who_they_are_before_anything_else(outsider, organization):
    with pytest.raises(DomainError, match="Редактировать могут"):
        services.organization_update(
            actor=outsider, organization=organization, fields={"name": "Чужое имя"}
        )
    assert _unchanged(organization)


# --- the page -----------------------------------------------------------------------------


def test_the_edit_page_warns_beside_the_name_and_asks_for_the_tick(owner, organization):
    response = _client(owner).get(f"/organizations/{organization.pk}/edit/")
    html = response.content.decode()
    form = response.context["form"]
    assert "confirm_review" in form.fields
    for name in ("kind", "name", "inn", "ogrn"):
        assert WARNING in str(form.fields[name].help_text), name
    assert 'name="confirm_review"' in html
    assert 'class="alert alert-warning"' in html


@pytest.mark.parametrize("status", [S.PENDING, S.RETURNED])
def test_no_tick_is_asked_of_an_organisation_not_verified(owner, organization, status):
    Organization.objects.filter(pk=organization.pk).update(status=status)
    response = _client(owner).get(f"/organizations/{organization.pk}/edit/")
    assert "confirm_review" not in response.context["form"].fields
    assert 'name="confirm_review"' not in response.content.decode()


def test_a_rename_without_the_tick_shows_the_form_again_and_saves_nothing(owner, organization):
    client = _client(owner)
    data = _edit_form(client, organization) | {"name": "АНО «Тёплый дом»"}
    response = client.post(f"/organizations/{organization.pk}/edit/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "confirm_review" in errors
    assert WARNING in " ".join(errors["name"])
    assert 'value="АНО «Тёплый дом»"' in response.content.decode()  # what was typed stays
    assert _unchanged(organization)


def test_a_rename_with_the_tick_is_saved_and_says_it_went_to_review(owner, organization):
    client = _client(owner)
    data = _edit_form(client, organization) | {"name": "АНО «Тёплый дом»", "confirm_review": "on"}
    response = client.post(f"/organizations/{organization.pk}/edit/", data, follow=True)
    assert response.status_code == 200
    assert "отправлена на проверку" in response.content.decode()
    organization.refresh_from_db()
    assert (organization.name, organization.status) == ("АНО «Тёплый дом»", S.PENDING)


def test_another_change_needs_no_tick(owner, organization):
    client = _client(owner)
    data = _edit_form(client, organization) | {"description": "Теперь и с детьми"}
    response = client.post(f"/organizations/{organization.pk}/edit/", data)
    assert response.status_code == 302
    organization.refresh_from_db()
    assert (organization.description, organization.status) == ("Теперь и с детьми", S.VERIFIED)


# --- the API ------------------------------------------------------------------------------


def _patch(user, organization, body) -> object:
    return _client(user).patch(
        f"/api/v1/organizations/{organization.pk}", body, content_type="application/json"
    )


def test_the_api_refuses_a_rename_without_the_flag_saying_why(owner, organization):
    response = _patch(owner, organization, {"name": "АНО «Тёплый дом»"})
    assert response.status_code == 422
    body = response.json()
    assert WARNING in body["message"]
    assert set(body["errors"]) == {"confirm_review", "name"}
    assert _unchanged(organization)


def test_the_api_renames_with_the_flag_and_answers_the_new_status(owner, organization):
    response = _patch(owner, organization, {"name": "АНО «Тёплый дом»", "confirm_review": True})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "pending"
    assert response.json()["verified"] is False


def test_the_api_needs_no_flag_for_another_change(owner, organization):
    response = _patch(owner, organization, {"description": "Теперь и с детьми"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "verified"


def test_the_flag_is_documented_in_the_schema():
    schema = Client().get("/api/v1/openapi.json").json()
    flag = schema["components"]["schemas"]["OrganizationPatch"]["properties"]["confirm_review"]
    assert flag["type"] == "boolean"
    assert "pending" in flag["description"]
