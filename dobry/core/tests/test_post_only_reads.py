"""Reads that reveal health data or download personal data happen on a POST with CSRF only:
a GET (a link checker, a prefetching browser, a mail scanner) gets a confirmation page that
reads, exports and logs nothing."""

import re
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from dobry.core.models import AuditEntry
from dobry.events.tests.factories import RegistrationFactory
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.tests.factories import HelpRequestFactory
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory

# URL names of every POST-only read (decided per link; see docs/development.md).
POST_ONLY_READS = [
    "accounts:export",
    "helprequests:health",
    "helprequests:private",
    "events:attendance_xlsx",
    "events:accessibility_needs",
    "resources:support_xlsx",
    "resources:support_csv",
    "grants:report_queue_xlsx",
    "grants:report_queue_csv",
]


@pytest.fixture(autouse=True)
def production_mfa(settings):
    settings.DOBRY_REQUIRE_STAFF_MFA = True


@pytest.fixture
def cases(resident, outsider, coordinator, official):
    """(url, the right person, what only the real read shows, its audit action or None)."""
    Authenticator.objects.create(user=coordinator, type=Authenticator.Type.TOTP, data={})
    Authenticator.objects.create(user=official, type=Authenticator.Type.TOTP, data={})
    help_request = HelpRequestFactory(status=HelpRequest.Status.VERIFIED, health_info="Незрячая")
    registration = RegistrationFactory()
    MembershipFactory(
        organization=registration.shift.event.organization,
        user=resident,
        role=Membership.Role.EDITOR,
    )
    return {
        "personal data": ("/profile/export/", resident, resident.email, "personal_data.export"),
        "health data": (
            f"/help/{help_request.pk}/health/",
            coordinator,
            "Незрячая",
            "helprequest.health_read",
        ),
        "participants": (
            f"/events/{registration.shift.event_id}/attendance.xlsx",
            resident,
            None,
            None,
        ),
        "support registry xlsx": ("/desk/support/registry.xlsx", coordinator, None, None),
        "support registry csv": ("/desk/support/registry.csv", coordinator, None, None),
        "grant reports xlsx": (
            "/grants/reports/queue.xlsx",
            official,
            None,
            "report.queue_export",
        ),
        "grant reports csv": ("/grants/reports/queue.csv", official, None, "report.queue_export"),
    }


def _as(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _is_download(response) -> bool:
    return "attachment" in response.get("Content-Disposition", "")


@pytest.mark.parametrize("method", ["get", "head"])
def test_a_get_by_the_right_person_asks_first_and_reads_nothing(cases, method):
    for name, (url, person, secret, _action) in cases.items():
        response = getattr(_as(person), method)(url)
        assert response.status_code == 200, name
        assert not _is_download(response), name
        if method == "get":
            body = response.content.decode()
            assert re.search(r'<form method="post" action="' + re.escape(url), body), name
            assert "csrfmiddlewaretoken" in body, name
            if secret is not None and name != "personal data":
                assert secret not in body, name
    assert not AuditEntry.objects.filter(
        action__in=["personal_data.export", "helprequest.health_read", "report.queue_export"]
    ).exists()


def test_the_post_by_the_right_person_reads_once_with_one_audit_entry(cases):
    for name, (url, person, secret, action) in cases.items():
        before = AuditEntry.objects.filter(action=action or "", actor=person).count()
        response = _as(person).post(url)
        assert response.status_code == 200, name
        if secret is not None:
            assert secret in response.content.decode(), name
        if name != "health data":
            assert _is_download(response), name
        if action is not None:
            assert AuditEntry.objects.filter(action=action, actor=person).count() == before + 1, (
                name
            )


def test_a_post_without_the_csrf_token_is_refused(cases):
    for name, (url, person, _secret, _action) in cases.items():
        client = Client(enforce_csrf_checks=True)
        client.force_login(person)
        response = client.post(url)
        assert response.status_code == 403, name
        assert not _is_download(response), name
    assert not AuditEntry.objects.filter(
        action__in=["personal_data.export", "helprequest.health_read", "report.queue_export"]
    ).exists()


def test_anonymous_visitors_are_sent_to_log_in_either_way(cases):
    for name, (url, _person, _secret, _action) in cases.items():
        for method in ("get", "post"):
            response = getattr(Client(), method)(url)
            assert response.status_code == 302, (name, method)
            assert response["Location"].startswith("/accounts/login/"), (name, method)


def test_outsiders_get_neither_the_page_nor_the_data(cases, outsider):
    for name, (url, person, _secret, _action) in cases.items():
        if person.pk == outsider.pk or name == "personal data":
            continue  # everyone's own data is their own
        for method in ("get", "post"):
            response = getattr(_as(outsider), method)(url)
            assert response.status_code in (403, 404), (name, method)
            assert not _is_download(response)


def test_staff_without_an_authenticator_are_sent_to_set_it_up(coordinator):
    help_request = HelpRequestFactory(status=HelpRequest.Status.VERIFIED, health_info="Незрячая")
    response = _as(coordinator).post(f"/help/{help_request.pk}/health/")
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    assert not AuditEntry.objects.filter(action="helprequest.health_read").exists()


def test_the_pages_offer_these_reads_as_buttons_that_post(cases, coordinator, resident, official):
    help_request = HelpRequest.objects.get()
    event_id = cases["participants"][0].split("/")[2]
    pages = [
        (resident, "/profile/", "/profile/export/"),
        (resident, "/profile/delete/", "/profile/export/"),
        (coordinator, f"/help/{help_request.pk}/", f"/help/{help_request.pk}/health/"),
        (coordinator, f"/help/{help_request.pk}/", f"/help/{help_request.pk}/private/"),
        (resident, f"/events/{event_id}/manage/", f"/events/{event_id}/attendance.xlsx"),
        (resident, f"/events/{event_id}/manage/", f"/events/{event_id}/manage/needs/"),
        (coordinator, "/desk/support/", "/desk/support/registry.xlsx"),
        (coordinator, "/desk/support/", "/desk/support/registry.csv"),
        (official, "/grants/reports/", "/grants/reports/queue.xlsx"),
        (official, "/grants/reports/", "/grants/reports/queue.csv"),
    ]
    for person, page, target in pages:
        body = _as(person).get(page).content.decode()
        assert f'<form method="post" action="{target}"' in body, page
        assert f'href="{target}"' not in body, page


def test_no_template_links_to_a_post_only_read():
    root = Path(__file__).resolve().parents[3] / "templates"
    links = re.compile(r"href=\"\{% url '(" + "|".join(POST_ONLY_READS) + r")'")
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if links.search(path.read_text())
    ]
    assert offenders == []
