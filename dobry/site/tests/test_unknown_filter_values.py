"""A filter value a list does not know is refused naming the parameter — never a list that
is silently empty (the coordinators' queue at `?status=unknown` looked like no work) or
silently unfiltered (issue 11, «the rough edges a new user hits»).

Pages answer 400 («Параметр «status»: …»), the API 422 with the parameter in `errors`.
The walk takes every choice field of each list page's filter form, and every query
parameter of every GET operation of the OpenAPI document that lists without a path key."""

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.communications.news.forms import NewsDeskForm, NewsFilterForm
from dobry.core.forms import AuditFilterForm
from dobry.events.forms import EventFilterForm
from dobry.events.models import Event, Registration
from dobry.events.tests.factories import RegistrationFactory
from dobry.grants.forms import ApplicationFilterForm
from dobry.grants.report_forms import ReportQueueFilterForm
from dobry.grants.tests.factories import open_competition
from dobry.helprequests.forms import ProgrammeFilterForm, PublicFilterForm, QueueFilterForm
from dobry.organizations.forms import OrganizationFilterForm
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.resources.forms import (
    ConsultationQueueFilterForm,
    LibrarySearchForm,
    SupportFilterForm,
)
from dobry.site.api import api
from dobry.volunteering.models import HoursEntry

pytestmark = pytest.mark.django_db

UNKNOWN_CHOICE = "no-such-value"
UNKNOWN_ID = "987654321"  # well formed, names nothing

# (page, who looks at it, the filter form it reads with `request_values.form_values`)
PAGES = [
    ("/organizations/", None, OrganizationFilterForm),
    ("/events/", None, EventFilterForm),
    ("/help/", None, PublicFilterForm),
    ("/help/programmes/", None, ProgrammeFilterForm),
    ("/help/queue/", "coordinator", QueueFilterForm),
    ("/desk/library/", None, LibrarySearchForm),
    ("/desk/support/", "coordinator", SupportFilterForm),
    ("/desk/consultations/queue/", "coordinator", ConsultationQueueFilterForm),
    ("/grants/{competition}/manage/", "official", ApplicationFilterForm),
    ("/grants/reports/", "official", ReportQueueFilterForm),
    ("/audit/", "coordinator", AuditFilterForm),
    ("/news/", None, NewsFilterForm),
    ("/news/desk/", "coordinator", NewsDeskForm),
]


def _choices(form_class: type[forms.Form]) -> list[tuple[str, str]]:
    """Each choice field of the form with a value it does not offer."""
    found = []
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.ModelChoiceField):
            found.append((name, UNKNOWN_ID))
        elif isinstance(field, forms.ChoiceField):
            found.append((name, UNKNOWN_CHOICE))
    if form_class is AuditFilterForm:  # a model label typed by hand
        found.append(("object_type", "events.nosuchmodel"))
    return found


PAGE_CASES = [
    pytest.param(url, role, name, value, id=f"{url}?{name}")
    for url, role, form_class in PAGES
    for name, value in _choices(form_class)
]


@pytest.fixture
def browse(client, login_as, coordinator, official):
    def open_page(url: str, role: str | None, params: dict[str, str] | None = None):
        if "{competition}" in url:
            url = url.format(competition=open_competition(official).pk)
        viewer = {"coordinator": coordinator, "official": official}.get(role or "")
        return (login_as(viewer) if viewer else client).get(url, params or {})

    return open_page


def test_every_list_page_has_choices_to_walk():
    assert all(_choices(form_class) for _url, _role, form_class in PAGES)


@pytest.mark.parametrize(("url", "role", "name", "value"), PAGE_CASES)
def test_an_unknown_choice_on_a_list_page_is_a_400_naming_it(browse, url, role, name, value):
    response = browse(url, role, {name: value})
    assert response.status_code == 400
    assert f"«{name}»" in response.content.decode()


@pytest.mark.parametrize(("url", "role"), [(url, role) for url, role, _form in PAGES])
def test_the_same_list_without_filters_is_shown(browse, url, role):
    assert browse(url, role).status_code == 200


def test_the_queues_still_show_their_tabs(browse):
    assert browse("/help/queue/", "coordinator", {"status": "open"}).status_code == 200
    assert browse("/help/queue/", "coordinator", {"status": "new"}).status_code == 200
    assert browse("/desk/consultations/queue/", "coordinator", {"status": "all"}).status_code == 200
    assert browse("/audit/", "coordinator", {"object_type": "Events.Event"}).status_code == 200


# --- a document asked for in a format the page does not make --------------------------------


def _confirmed_hours(user) -> HoursEntry:
    return HoursEntry.objects.create(
        user=user,
        organization=OrganizationFactory(),
        date=date(2025, 5, 1),
        hours=Decimal(2),
        claimed_hours=Decimal(2),
        source=HoursEntry.Source.CLAIM,
        status=HoursEntry.Status.CONFIRMED,
    )


def _attended_seminar() -> Registration:
    start = timezone.now() - timedelta(days=2)
    return RegistrationFactory(
        shift__event__kind=Event.Kind.SEMINAR,
        shift__starts_at=start,
        shift__ends_at=start + timedelta(hours=2),
        checked_in_at=start,
    )


@pytest.mark.parametrize("document", ["certificate", "year", "training"])
def test_a_document_in_an_unknown_format_is_a_400_naming_it(login_as, document):
    if document == "training":
        registration = _attended_seminar()
        person, url = registration.user, f"/events/registrations/{registration.pk}/certificate/"
    else:
        person = UserFactory()
        entry = _confirmed_hours(person)
        url = (
            f"/volunteer/certificates/{entry.pk}/"
            if document == "certificate"
            else "/volunteer/book/2025/"
        )
    client = login_as(person)
    assert client.get(url).status_code == 200
    assert client.get(url, {"format": "docx"}).status_code == 200
    response = client.get(url, {"format": "pdf"})
    assert response.status_code == 400
    assert "«format»" in response.content.decode()


# --- the API -------------------------------------------------------------------------------


def _api_list_parameters() -> list[tuple[str, str, str]]:
    """(path, parameter, an unknown value) for every query parameter of the GET operations
    without a path key; free text and the page's own numbers are not filters."""
    found = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        operation = operations.get("get")
        if operation is None or "{" in path:
            continue
        for parameter in operation.get("parameters", []):
            name = parameter["name"]
            if parameter["in"] != "query" or name in {"q", "page", "page_size"}:
                continue
            schema = parameter.get("schema", {})
            kinds = {schema.get("type")} | {s.get("type") for s in schema.get("anyOf", [])}
            value = UNKNOWN_ID if "integer" in kinds else UNKNOWN_CHOICE
            found.append((path, name, value))
    return found


API_CASES = _api_list_parameters()


def test_the_walk_finds_the_api_filters():
    walked = {(path, name) for path, name, _value in API_CASES}
    assert ("/api/v1/events", "organization") in walked
    assert ("/api/v1/organizations", "district") in walked
    assert ("/api/v1/support-records", "organization") in walked
    assert ("/api/v1/programmes", "organization") in walked
    assert ("/api/v1/news", "tag") in walked


@pytest.mark.parametrize(
    ("path", "name", "value"),
    [pytest.param(*case, id=f"{case[0]}?{case[1]}") for case in API_CASES],
)
def test_an_unknown_filter_value_in_the_api_is_a_422_naming_it(
    login_as, coordinator, path, name, value
):
    response = login_as(coordinator).get(path, {name: value})
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert name in errors or f"query.{name}" in errors, errors


# What a view may still read from the query string by hand: where to go next (checked by
# `core.redirects`) and the table a button adds a row to (a form shown again).
READ_BY_HAND = {"next", "add"}


def test_no_view_reads_a_filter_from_the_query_string_by_hand():
    """A status read with `request.GET.get("status")` is how the queue came to show nothing
    for an unknown value: filters go through a form and `form_values` (or
    `request_values.choice_param`)."""
    offenders = []
    for path in sorted(Path("dobry").rglob("*.py")):
        if "tests" in path.parts:
            continue
        for match in re.finditer(r"request\.GET(?:\.get\(|\[)\s*\"(\w+)\"", path.read_text()):
            if match.group(1) not in READ_BY_HAND:
                offenders.append(f"{path}: {match.group(1)}")
    assert offenders == []
