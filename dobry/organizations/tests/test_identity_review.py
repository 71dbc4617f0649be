"""Every field that names or identifies a verified organisation sends it back to review when
changed, on the page and by the API alike (issue 11 §2): the attacker renamed «Добрые руки»
to «Администрация ЗАТО г. Железногорск» through the short name, which events show, and it
stayed verified. The short name, the legal form and a new logo now ask for the same
confirmation as the name, ИНН and ОГРН."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from dobry.accounts.tests.factories import bearer
from dobry.core.errors import DomainError
from dobry.events.tests.factories import EventFactory
from dobry.organizations import services
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
S = Organization.Status
IMPERSONATION = "Администрация ЗАТО г. Железногорск"


@pytest.fixture
def organization():
    return OrganizationFactory(name="АНО «Добрые руки»", short_name="Добрые руки")


@pytest.fixture
def owner(organization):
    return MembershipFactory(organization=organization, role=Membership.Role.OWNER).user


def _png() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), "image/png")


def test_the_api_refuses_a_short_name_change_without_the_confirmation(owner, organization):
    api = bearer(owner)
    url = f"/api/v1/organizations/{organization.pk}"
    refused = api.patch(url, {"short_name": IMPERSONATION}, content_type="application/json")
    assert refused.status_code == 422
    assert set(refused.json()["errors"]) == {"confirm_review", "short_name"}
    organization.refresh_from_db()
    assert (organization.short_name, organization.status) == ("Добрые руки", S.VERIFIED)


def test_a_confirmed_short_name_change_goes_back_to_review_and_leaves_the_public_lists(
    owner, organization, client
):
    event = EventFactory(organization=organization, title="Субботник")
    api = bearer(owner)
    changed = api.patch(
        f"/api/v1/organizations/{organization.pk}",
        {"short_name": IMPERSONATION, "confirm_review": True},
        content_type="application/json",
    )
    assert changed.status_code == 200
    organization.refresh_from_db()
    assert (organization.short_name, organization.status) == (IMPERSONATION, S.PENDING)
    # events of an organisation not verified now are not public: the new name shows nowhere
    assert IMPERSONATION not in client.get("/events/").content.decode()
    assert client.get(f"/events/{event.pk}/").status_code == 404


@pytest.mark.parametrize(("field", "value"), [("short_name", IMPERSONATION), ("legal_form", "МКУ")])
def test_the_page_asks_before_changing_the_short_name_or_the_legal_form(
    owner, organization, field, value
):
    client = Client()
    client.force_login(owner)
    url = f"/organizations/{organization.pk}/edit/"
    form = client.get(url).context["form"]
    assert "на проверку" in str(form.fields[field].help_text)
    data = {
        name: str(getattr(form[name].value(), "pk", form[name].value()))
        for name in form.fields
        if name not in ("logo", "confirm_review", "areas") and form[name].value() is not None
    }
    page = client.post(url, {**data, field: value})
    assert page.status_code == 200
    assert page.context["form"].errors[field] == ["Изменение вернёт организацию на проверку."]
    organization.refresh_from_db()
    assert organization.status == S.VERIFIED
    client.post(url, {**data, field: value, "confirm_review": "on"})
    organization.refresh_from_db()
    assert (getattr(organization, field), organization.status) == (value, S.PENDING)


def test_a_new_logo_asks_too(owner, organization):
    with pytest.raises(DomainError) as refused:
        services.organization_update(actor=owner, organization=organization, fields={}, logo=_png())
    assert set(refused.value.field_errors) == {"confirm_review", "logo"}
    organization.refresh_from_db()
    assert (bool(organization.logo), organization.status) == (False, S.VERIFIED)
    services.organization_update(
        actor=owner, organization=organization, fields={}, logo=_png(), confirm_review=True
    )
    organization.refresh_from_db()
    assert (bool(organization.logo), organization.status) == (True, S.PENDING)


def test_contacts_and_the_description_change_without_review(owner, organization):
    services.organization_update(
        actor=owner,
        organization=organization,
        fields={"description": "Новое описание", "phone": "+79131234567"},
    )
    organization.refresh_from_db()
    assert organization.status == S.VERIFIED
