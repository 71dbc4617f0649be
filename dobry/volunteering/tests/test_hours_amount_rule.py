"""Hours a person types — a claim, an adjusted decision, a help request's report — follow one
rule, `services.hours_amount`: ¼ to 24 h in hundredths (issue 12). The claim form asked for
at least 0.25 h while `POST /api/v1/me/hours` and the service took anything above 0; now
the forms and the API's schemas take their bounds from the service's constants, and the
service refuses what the forms refuse whichever way in is used."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from dobry.accounts.tests.factories import bearer
from dobry.core.clock import local_moment
from dobry.core.errors import DomainError
from dobry.events.tests.factories import volunteer
from dobry.helprequests.forms import ReportForm
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.volunteering.forms import ClaimForm, DecisionForm
from dobry.volunteering.models import HoursEntry
from dobry.volunteering.services import hours as services

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 10)
JSON = "application/json"
REFUSED = ["0.1", "0.24", "0", "24.01", "1.333"]
ACCEPTED = [("0.25", Decimal("0.25")), ("1.5", Decimal("1.50")), ("24", Decimal("24.00"))]


@pytest.fixture(autouse=True)
def _noon(freeze_now):
    """Noon of the next day: the whole of TODAY has passed, so its 24 hours may be claimed
    (a day not over yet holds only the hours since midnight)."""
    freeze_now(local_moment(TODAY + timedelta(days=1), time(12, 0)))


@pytest.fixture
def organization():
    return OrganizationFactory()


@pytest.fixture
def person():
    return volunteer()


def _form(organization, hours):
    return {
        "organization": organization.pk,
        "day": TODAY.isoformat(),
        "hours": hours,
        "description": "Разбирал склад",
    }


def test_the_forms_and_the_schemas_take_the_services_bounds(client):
    for form in (ClaimForm(), DecisionForm(), ReportForm()):
        field = form.fields["hours"]
        assert (field.min_value, field.max_value, field.decimal_places) == (
            services.MIN_HOURS_PER_ENTRY,
            services.MAX_HOURS_PER_ENTRY,
            services.HOURS_DECIMAL_PLACES,
        )
        assert field.widget.attrs["step"] == str(services.HOURS_STEP)
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for name in ("ClaimIn", "HoursAdjustIn", "ReportIn"):
        hours = schemas[name]["properties"]["hours"]
        bounds = next(part for part in hours.get("anyOf", [hours]) if "minimum" in part)
        assert (Decimal(str(bounds["minimum"])), Decimal(str(bounds["maximum"]))) == (
            services.MIN_HOURS_PER_ENTRY,
            services.MAX_HOURS_PER_ENTRY,
        ), name


@pytest.mark.parametrize("hours", REFUSED)
def test_the_service_refuses_what_the_form_refuses(person, organization, hours):
    assert not ClaimForm(_form(organization, hours)).is_valid()
    with pytest.raises(DomainError) as refused:
        services.hours_claim(
            user=person, organization=organization, day=TODAY, hours=hours, description="Склад"
        )
    assert list(refused.value.field_errors) == ["hours"]
    assert not HoursEntry.objects.exists()


@pytest.mark.parametrize("hours", REFUSED)
def test_the_claim_page_and_the_api_refuse_the_same_hours(login_as, person, organization, hours):
    page = login_as(person).post("/volunteer/claim/", _form(organization, hours))
    assert page.status_code == 200
    assert "hours" in page.context["form"].errors
    api = bearer(person).post("/api/v1/me/hours", _form(organization, hours), content_type=JSON)
    assert api.status_code == 422
    assert "hours" in api.json()["errors"]
    assert not HoursEntry.objects.exists()


@pytest.mark.parametrize(("hours", "kept"), ACCEPTED)
def test_the_claim_page_and_the_api_take_the_same_hours(login_as, organization, hours, kept):
    by_page, by_api = volunteer(), volunteer()
    assert (
        login_as(by_page).post("/volunteer/claim/", _form(organization, hours)).status_code == 302
    )
    api = bearer(by_api).post("/api/v1/me/hours", _form(organization, hours), content_type=JSON)
    assert api.status_code == 201, api.content
    assert HoursEntry.objects.get(user=by_page).hours == kept
    assert HoursEntry.objects.get(user=by_api).hours == kept


@pytest.mark.parametrize("hours", ["0.1", "1.333"])
def test_an_adjusted_decision_is_held_to_the_same_rule(login_as, organization, person, hours):
    editor = volunteer()
    MembershipFactory(organization=organization, user=editor, role=Membership.Role.EDITOR)
    entry = services.hours_claim(
        user=person, organization=organization, day=TODAY, hours="3", description="Склад"
    )
    api = bearer(editor).post(
        f"/api/v1/hours/{entry.pk}/adjust",
        {"hours": hours, "reason": "Ушёл раньше"},
        content_type=JSON,
    )
    assert api.status_code == 422
    assert "hours" in api.json()["errors"]
    with pytest.raises(DomainError) as refused:
        services.hours_decide(
            actor=editor, entry=entry, decision="adjust", hours=hours, reason="Ушёл раньше"
        )
    assert list(refused.value.field_errors) == ["hours"]
    entry.refresh_from_db()
    assert (entry.status, entry.hours) == (HoursEntry.Status.PENDING, Decimal("3.00"))
