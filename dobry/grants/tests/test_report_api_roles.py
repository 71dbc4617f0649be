"""Each report operation, in the API and on the page, by every role — anonymous (401 / to
log in), outsider and another organisation (404: the report is not theirs to see), the
grantee, the organiser — and each decision from a wrong state (409): page and API agree."""

import pytest
from django.test import Client

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.grants.models import GrantReport, ReportFile
from dobry.grants.services import reports
from dobry.grants.tests.agreements import grantee_of, signed_agreement
from dobry.grants.tests.reports import filled, receipt, submitted_report
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"
ROLES = ["anonymous", "outsider", "other_organisation", "grantee", "organiser"]


def _caller(who, agreement, official):
    return {
        "anonymous": lambda: Client(),
        "outsider": lambda: login(UserFactory()),
        "other_organisation": lambda: login(MembershipFactory(role=Membership.Role.OWNER).user),
        "grantee": lambda: login(grantee_of(agreement.application)),
        "organiser": lambda: login(official),
    }[who]()


def _json(client, method, url, body=None):
    return getattr(client, method)(url, body or {}, content_type="application/json")


@pytest.mark.parametrize("who", ROLES)
def test_the_grantees_operations_by_each_role(official, who):
    agreement = signed_agreement(official)
    grantee = grantee_of(agreement.application)
    report = reports.report_open(actor=grantee, agreement=agreement, kind="final")
    attached = reports.report_attach(actor=grantee, report=report, kind="receipt", upload=receipt())
    client = _caller(who, agreement, official)
    url = f"{API}/reports/{report.pk}"
    expected = {"anonymous": 401, "outsider": 404, "other_organisation": 404}.get(who)
    detail = client.get(url)
    save = _json(client, "put", url, filled(report))
    upload = client.post(f"{url}/files", {"kind": "receipt", "file": receipt()})
    if expected:
        assert detail.status_code == save.status_code == upload.status_code == expected
        assert client.delete(f"{API}/report-files/{attached.pk}").status_code == expected
        assert client.post(f"{url}/submit").status_code == expected
        page = client.get(report.get_absolute_url())
        assert page.status_code == (302 if who == "anonymous" else 404)
    elif who == "organiser":  # sees the report, may not write it
        assert detail.status_code == 200
        assert save.status_code == upload.status_code == 403
        assert client.delete(f"{API}/report-files/{attached.pk}").status_code == 403
        assert client.post(f"{url}/submit").status_code == 403
        assert client.get(report.get_absolute_url()).status_code == 200
    else:
        assert detail.status_code == save.status_code == 200, save.json()
        assert upload.status_code == 201, upload.json()
        assert client.delete(f"{API}/report-files/{attached.pk}").status_code == 204
        submitted = client.post(f"{url}/submit")
        assert submitted.status_code == 200, submitted.json()
        assert submitted.json()["status"] == "submitted"
    report.refresh_from_db()
    assert report.status == ("submitted" if who == "grantee" else "draft")
    assert ReportFile.objects.count() == 1  # the grantee swapped one file for another


@pytest.mark.parametrize("who", ROLES)
def test_the_organisers_decisions_by_each_role(official, who):
    agreement = signed_agreement(official)
    report = submitted_report(agreement)
    client = _caller(who, agreement, official)
    url = f"{API}/reports/{report.pk}"
    returned = _json(client, "post", f"{url}/return", {"comments": {"people": "Уточните"}})
    expected = {"anonymous": 401, "outsider": 404, "other_organisation": 404, "grantee": 403}
    if who in expected:
        assert returned.status_code == expected[who]
        accepted = _json(client, "post", f"{url}/accept", {"rating": "successful"})
        assert accepted.status_code == expected[who]
        page = client.post(
            f"/grants/reports/{report.pk}/decision/", {"move": "accept", "rating": "successful"}
        )
        assert page.status_code in (302, 403, 404)
        report.refresh_from_db()
        assert report.status == GrantReport.Status.SUBMITTED
        return
    assert returned.status_code == 200, returned.json()
    assert returned.json()["status"] == "returned"
    # from «returned» neither decision is possible: 409 in the API, unchanged on the page
    for move, body in (("accept", {"rating": "successful"}), ("return", {"comments": {"x": ""}})):
        response = _json(client, "post", f"{url}/{move}", body)
        assert response.status_code in (409, 422), response.json()
    assert _json(client, "post", f"{url}/accept", {"rating": "successful"}).status_code == 409
    client.post(
        f"/grants/reports/{report.pk}/decision/", {"move": "accept", "rating": "successful"}
    )
    report.refresh_from_db()
    assert (report.status, report.version) == (GrantReport.Status.RETURNED, 2)


def test_a_missing_report_or_file_is_404_for_everyone(official):
    client = login(official)
    assert client.get(f"{API}/reports/999999").status_code == 404
    assert client.delete(f"{API}/report-files/999999").status_code == 404
    assert client.post(f"{API}/reports/999999/submit").status_code == 404
    assert client.get("/grants/reports/999999/").status_code == 404


def test_a_file_that_lies_about_its_type_is_422_at_the_file(official):
    agreement = signed_agreement(official)
    grantee = grantee_of(agreement.application)
    report = reports.report_open(actor=grantee, agreement=agreement, kind="final")
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("foto.png", b"%PDF-1.4 not a picture", content_type="image/png")
    response = login(grantee).post(
        f"{API}/reports/{report.pk}/files", {"kind": "photo", "file": fake}
    )
    assert response.status_code == 422
    assert "file" in response.json()["errors"]
    assert not ReportFile.objects.exists()
