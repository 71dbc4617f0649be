"""The reports through the API: every role (anonymous, outsider, another organisation,
grantee, organiser), the whole way — opened, filled, a receipt attached, submitted, returned
with comments, resubmitted, accepted with a rating — hostile bodies (422, never a 500), the
queue's query budget, and the operations in the OpenAPI schema."""

import pytest
from django.test import Client

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.events.tests.factories import EventFactory
from dobry.grants.models import Agreement, GrantReport
from dobry.grants.services import reports
from dobry.grants.tests.agreements import grantee_of, signed_agreement
from dobry.grants.tests.reports import filled, receipt, submitted_report
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _json(client, method, url, body=None):
    return getattr(client, method)(url, body or {}, content_type="application/json")


def test_the_whole_way_through_the_api(official):
    agreement = signed_agreement(official)
    grantee = login(grantee_of(agreement.application))
    staff = login(official)
    opened = _json(grantee, "post", f"{API}/agreements/{agreement.pk}/reports", {"kind": "final"})
    assert opened.status_code == 201, opened.content
    pk = opened.json()["id"]
    report = GrantReport.objects.get(pk=pk)
    assert opened.json()["versions"][0]["figures"]["values"]["registrations"] == "0"
    saved = _json(grantee, "put", f"{API}/reports/{pk}", filled(report))
    assert saved.status_code == 200, saved.content
    line = agreement.lines.first()
    attached = grantee.post(
        f"{API}/reports/{pk}/files", {"kind": "receipt", "line": line.pk, "file": receipt()}
    )
    assert attached.status_code == 201, attached.content
    assert attached.json()["line_id"] == line.pk
    assert grantee.post(f"{API}/reports/{pk}/submit").json()["status"] == "submitted"
    returned = _json(staff, "post", f"{API}/reports/{pk}/return", {"comments": {"spending": "Чек"}})
    assert returned.json()["status"] == "returned"
    assert returned.json()["versions"][1]["comments"] == {"spending": "Чек"}
    assert grantee.post(f"{API}/reports/{pk}/submit").json()["version"] == 2
    accepted = _json(staff, "post", f"{API}/reports/{pk}/accept", {"rating": "successful"})
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["rating"] == "successful"
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.CLOSED


def test_who_may_do_what(official):
    agreement = signed_agreement(official)
    report = submitted_report(agreement)
    url = f"{API}/reports/{report.pk}"
    assert Client().get(url).status_code == 401
    other = MembershipFactory(role=Membership.Role.OWNER).user
    for person in (UserFactory(), other):
        assert login(person).get(url).status_code == 404
        assert login(person).get(f"{API}/reports").status_code == 403
    grantee = login(grantee_of(agreement.application))
    assert grantee.get(url).status_code == 200
    refused = _json(grantee, "post", f"{url}/accept", {"rating": "successful"})
    assert refused.status_code == 403
    assert _json(login(official), "post", f"{url}/accept", {}).status_code == 422  # no rating


@pytest.mark.parametrize(
    "body",
    [
        {"participants": -1},
        {"participants": "много"},
        {"recipients": 10**12},
        {"activities": "x"},
        {"publications": [{"title": "x", "url": "javascript:alert(1)"}]},
        {"indicators": [{"achieved": "\x00"}]},
        {"publications": [{"title": "x", "url": "https://a.ru"}] * 201},
        {"activities": [{"note": "я" * 3000}]},
        {"unknown": 1},
    ],
)
def test_hostile_bodies_are_422(official, body):
    agreement = signed_agreement(official)
    grantee = grantee_of(agreement.application)
    report = reports.report_open(actor=grantee, agreement=agreement, kind="final")
    response = _json(login(grantee), "put", f"{API}/reports/{report.pk}", body)
    assert response.status_code in (400, 422), response.content


def test_hostile_decisions_are_refused(official):
    report = submitted_report(signed_agreement(official))
    staff = login(official)
    for body in (
        {"comments": {"nonsense": "x"}},
        {"comments": {"spending": "я" * 6000}},
        {"comments": {"spending": 5}},
    ):
        assert _json(staff, "post", f"{API}/reports/{report.pk}/return", body).status_code == 422
    bad = _json(staff, "post", f"{API}/reports/{report.pk}/accept", {"rating": "excellent"})
    assert bad.status_code == 422


def test_project_links_through_the_api(official):
    agreement = signed_agreement(official)
    grantee = login(grantee_of(agreement.application))
    event = EventFactory(organization=agreement.application.organization)
    url = f"{API}/agreements/{agreement.pk}/links"
    assert _json(grantee, "put", url, {"events": [event.pk]}).status_code == 204
    assert list(agreement.events.all()) == [event]
    assert _json(grantee, "put", url, {"events": [EventFactory().pk]}).status_code == 422
    assert _json(grantee, "put", url, {"events": [10**9]}).status_code == 422


@pytest.mark.parametrize("count", [1, 4])
def test_the_queue_keeps_a_fixed_number_of_queries(official, django_assert_max_num_queries, count):
    for _n in range(count):
        submitted_report(signed_agreement(official))
    staff = login(official)
    with django_assert_max_num_queries(10):
        response = staff.get(f"{API}/reports?state=submitted")
    assert response.json()["count"] == count
    assert staff.get(f"{API}/reports?state=nonsense").status_code == 422


def test_the_operations_are_in_the_schema():
    paths = Client().get(f"{API}/openapi.json").json()["paths"]
    for path in (
        "/reports",
        "/reports/{pk}",
        "/reports/{pk}/submit",
        "/reports/{pk}/return",
        "/reports/{pk}/accept",
        "/reports/{pk}/files",
        "/report-files/{pk}",
        "/agreements/{pk}/reports",
        "/agreements/{pk}/links",
    ):
        assert f"{API}{path}" in paths, path
