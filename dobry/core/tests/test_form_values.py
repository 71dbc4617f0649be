"""A wrong filter or action value is refused with its reason, never silently dropped (issue
11 §2): a list filtered by district «²» answered 200 with the whole unfiltered list, a
forged priority or role did nothing without a word. `request_values.form_values` reads such
forms; a wrong value answers 400 naming the parameter."""

import re
from pathlib import Path

import pytest

from dobry.core.request_values import InvalidParameter, form_values
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.tests.factories import HelpRequestFactory
from dobry.organizations.forms import OrganizationFilterForm
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

LISTS = [
    ("/organizations/", "district", "²"),
    ("/organizations/", "area", "٣"),
    ("/organizations/", "kind", "no-such-kind"),
    ("/events/", "district", "²"),
    ("/events/", "date_from", "0001-01-01"),
    ("/events/", "organization", "١"),
    ("/help/", "district", "²"),
    ("/help/", "category", "<script>"),
    ("/desk/library/", "category", "²"),
]


@pytest.mark.parametrize(("url", "name", "value"), LISTS)
def test_a_wrong_filter_is_a_400_naming_it(client, url, name, value):
    response = client.get(url, {name: value})
    assert response.status_code == 400
    assert f"«{name}»" in response.content.decode()


@pytest.mark.parametrize("url", sorted({url for url, _name, _value in LISTS}))
def test_right_filters_and_none_still_list(client, url):
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "добро"}).status_code == 200


def test_the_support_registry_refuses_a_wrong_date_on_the_page_as_in_the_export(
    client, login_as, coordinator
):
    client = login_as(coordinator)
    assert client.get("/desk/support/", {"date_from": "0001-01-01"}).status_code == 400
    assert client.get("/desk/support/", {"date_from": "2025-01-01"}).status_code == 200


def test_form_values_names_the_first_wrong_field_and_reads_nothing_unsent():
    assert form_values(OrganizationFilterForm()) == {}
    with pytest.raises(InvalidParameter) as refused:
        form_values(OrganizationFilterForm({"district": "²"}))
    assert refused.value.name == "district"


def test_a_forged_priority_is_refused_and_the_request_keeps_its_own(login_as, coordinator):
    help_request = HelpRequestFactory()
    before = help_request.priority
    response = login_as(coordinator).post(f"/help/{help_request.pk}/priority/", {"priority": "٣"})
    assert response.status_code == 400
    assert HelpRequest.objects.get(pk=help_request.pk).priority == before


def test_a_forged_role_is_refused_and_the_member_keeps_theirs(login_as):
    organization = OrganizationFactory()
    owner = MembershipFactory(organization=organization, role=Membership.Role.OWNER).user
    member = MembershipFactory(organization=organization, role=Membership.Role.MEMBER)
    response = login_as(owner).post(
        f"/organizations/{organization.pk}/members/{member.pk}/role/", {"role": "superuser"}
    )
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.role == Membership.Role.MEMBER


# The reports' period form is only shown: `reports.periods.from_query` reads the period and
# shows its refusal as a message beside the report of a default period.
READ_OTHERWISE = {"dobry/reports/views.py"}


def test_every_view_reads_query_string_forms_through_form_values():
    """A new list view that checks `form.is_valid()` on the query string would drop a wrong
    filter silently again."""
    offenders = []
    for path in Path("dobry").rglob("*.py"):
        if "views" not in path.name and "views" not in path.parts:  # a `views/` package too
            continue
        source = path.read_text()
        if str(path) in READ_OTHERWISE:
            continue
        if re.search(r"Form\(request\.GET", source) and "form_values(" not in source:
            offenders.append(str(path))
    assert offenders == []


# What views may still read straight from POST: none of these picks an action — a flag
# of the autosave script, whether the group form was sent, a text or a key the service
# checks, the redirect target (`core.redirects`).
POST_VALUES_READ_DIRECTLY = {"autosave", "group", "reason", "key", "next"}


def test_no_view_picks_an_action_from_post_with_a_default():
    """A button's value read as `request.POST.get("decision", "confirm")` made a POST
    without it confirm hours (issue 12 §5); such values are read with `form_values`, so a
    missing or forged one is a 400 naming it."""
    offenders = []
    for path in Path("dobry").rglob("*.py"):
        if "tests" in path.parts:
            continue
        for name in re.findall(r"request\.POST\.get\(\s*[\"'](\w[\w-]*)[\"']", path.read_text()):
            if name not in POST_VALUES_READ_DIRECTLY:
                offenders.append(f"{path}: {name}")
    assert offenders == []
