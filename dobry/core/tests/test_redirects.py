"""Every `next` and stored link a view redirects to stays on this site."""

import re
from pathlib import Path

import pytest
from django.test import Client, RequestFactory

from dobry.communications.models import Notification
from dobry.core.redirects import local_url
from dobry.events.models import Registration
from dobry.events.tests.factories import EventFactory, RegistrationFactory

HOSTILE = [
    "https://x.example",
    "https://x.example/volunteer/profile/",
    "//x.example",
    "///x.example",
    "/\\x.example",
    "\\\\x.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " https://x.example",
    "http://testserver.x.example/",
    "https:x.example",
    "data:text/html,<script>alert(1)</script>",
]


def _stays_here(location: str) -> bool:
    return location.startswith("/") and not location.startswith(("//", "/\\"))


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_are_refused(rf, value):
    assert local_url(rf.get("/"), value) is None


@pytest.mark.parametrize(
    "value", ["/events/", "/volunteer/profile/?tab=2#top", "http://testserver/x"]
)
def test_local_values_pass(rf, value):
    assert local_url(rf.get("/"), value) == value


def test_an_http_link_is_refused_when_the_request_came_over_https():
    request = RequestFactory().get("/", secure=True)
    assert local_url(request, "http://testserver/events/") is None
    assert local_url(request, "https://testserver/events/") == "https://testserver/events/"
    assert local_url(request, "/events/") == "/events/"


# The sweep: every view that redirects to a `next` or a stored link, with each hostile value.


def _volunteer_profile(client: Client, value: str) -> str:
    response = client.post(
        f"/volunteer/profile/?next={value}", {"date_of_birth": "1985-03-01", "skills": ""}
    )
    assert response.status_code == 302
    return response["Location"]


def _cancel_registration(client: Client, value: str, user) -> str:
    registration = RegistrationFactory(user=user)
    response = client.post(f"/events/registrations/{registration.pk}/cancel/", {"next": value})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    return response["Location"]


def _low_vision(client: Client, value: str) -> str:
    response = client.post("/a11y/", {"field": "size", "value": "3", "next": value})
    return response["Location"]


def _notification(client: Client, value: str, user) -> str:
    notification = Notification.objects.create(
        user=user, kind="organization_verified", title="Проверена", url=value
    )
    return client.get(f"/notifications/{notification.pk}/")["Location"]


def _infrastructure(client: Client, value: str) -> str:
    event = EventFactory()
    response = client.post(f"/reports/infrastructure/{event.pk}/", {"value": "1", "next": value})
    assert response.status_code == 302
    return response["Location"]


def _login(client: Client, value: str, user) -> str:
    from dobry.accounts.tests.factories import PASSWORD

    response = Client().post(
        f"/accounts/login/?next={value}", {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return response["Location"]


@pytest.mark.parametrize("value", HOSTILE)
def test_no_view_redirects_off_site(value, resident, coordinator, login_as):
    client = login_as(resident)
    staff = login_as(coordinator)
    landed = {
        "volunteer profile": _volunteer_profile(client, value),
        "cancel registration": _cancel_registration(client, value, resident),
        "low-vision settings": _low_vision(client, value),
        "notification": _notification(client, value, resident),
        "infrastructure toggle": _infrastructure(staff, value),
        "login": _login(client, value, resident),
    }
    assert {name: where for name, where in landed.items() if not _stays_here(where)} == {}


def test_a_local_next_is_still_followed(resident, coordinator, login_as):
    client = login_as(resident)
    assert _volunteer_profile(client, "/events/") == "/events/"
    assert _cancel_registration(client, "/events/", resident) == "/events/"
    assert _low_vision(client, "/events/") == "/events/"
    assert _notification(client, "/organizations/", resident) == "/organizations/"
    assert _infrastructure(login_as(coordinator), "/reports/") == "/reports/"
    assert _login(client, "/events/", resident) == "/events/"


def test_without_next_each_view_goes_to_its_own_page(resident, login_as):
    client = login_as(resident)
    assert _volunteer_profile(client, "") == "/volunteer/profile/"
    assert _cancel_registration(client, "", resident) == "/events/my/"
    assert _low_vision(client, "") == "/"


def test_redirect_targets_from_requests_go_through_the_one_helper():
    """No view reads `next` or the referer itself, or asks Django's checker directly."""
    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(
        r"HTTP_REFERER|headers\.get\([\"']referer|url_has_allowed_host_and_scheme"
        r"|\.get\([\"']next[\"']|redirect\(request\.",
        re.IGNORECASE,
    )
    offenders = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in root.rglob("*.py")
        if "tests" not in path.parts and path.name != "redirects.py"
        for match in pattern.finditer(path.read_text())
    ]
    assert offenders == []
