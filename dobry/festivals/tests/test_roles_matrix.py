"""Every role on every page and API operation of a programme: anonymous visitors, an
outsider, a resident, an editor of an organisation with a stand, the event's organiser
and a coordinator of the resource centre — on a published programme and on one not yet
published. The expected answer of each is written out, so a change of a rule shows here."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.events.tests.factories import ShiftFactory
from dobry.festivals.services import programme as services
from dobry.festivals.tests.factories import festival, stand_organization

pytestmark = pytest.mark.django_db
API = "/api/v1"
ROLES = ("anonymous", "outsider", "editor", "organiser", "coordinator")


@pytest.fixture
def scene():
    """A published festival, an organisation's stand application on it, and the people."""
    f = festival(capacity=5)
    organization, editor = stand_organization()
    stand = services.stand_apply(
        actor=editor, programme=f.programme, organization=organization, exhibit="Стенд"
    )
    people = {
        "anonymous": None,
        "outsider": UserFactory(),
        "editor": editor,
        "organiser": f.organiser,
        "coordinator": UserFactory(is_coordinator=True),
    }
    return f, stand, people


def _page_client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _api_client(user):
    return Client() if user is None else bearer(user)


# --- pages ---------------------------------------------------------------------------------

PAGE_GETS = {
    # name: expected status for each role, in ROLES order
    "programme": (200, 200, 200, 200, 200),
    "mine": (302, 200, 200, 200, 200),
    "ics": (200, 200, 200, 200, 200),
    "stand_apply": (302, 200, 200, 200, 200),
    "manage": (302, 403, 403, 200, 200),
}


@pytest.mark.parametrize("name", sorted(PAGE_GETS))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_the_programmes_pages_as_written(scene, name, role):
    f, _stand, people = scene
    answer = _page_client(people[role]).get(reverse(f"festivals:{name}", args=[f.programme.pk]))
    assert answer.status_code == PAGE_GETS[name][ROLES.index(role)]


UNPUBLISHED_PAGES = {
    "programme": (404, 404, 404, 200, 200),
    "mine": (302, 404, 404, 200, 200),
    "ics": (404, 404, 404, 200, 200),
    "manage": (302, 404, 404, 200, 200),
}


@pytest.mark.parametrize("name", sorted(UNPUBLISHED_PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_an_unpublished_programme_opens_to_its_organisers_only(name, role):
    f = festival(publish=False)
    people = {
        "anonymous": None,
        "outsider": UserFactory(),
        "editor": stand_organization()[1],
        "organiser": f.organiser,
        "coordinator": UserFactory(is_coordinator=True),
    }
    answer = _page_client(people[role]).get(reverse(f"festivals:{name}", args=[f.programme.pk]))
    assert answer.status_code == UNPUBLISHED_PAGES[name][ROLES.index(role)]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_decides_a_stand_on_the_page_as_written(scene, role):
    f, stand, people = scene
    answer = _page_client(people[role]).post(
        reverse("festivals:stand_decide", args=[stand.pk]),
        {"action": "accept", "place": f.places[0].pk},
    )
    expected = {"anonymous": 302, "outsider": 404, "editor": 403}.get(role, 302)
    assert answer.status_code == expected
    stand.refresh_from_db()
    assert (stand.status == "accepted") == (role in ("organiser", "coordinator"))


@pytest.mark.parametrize("role", ROLES)
def test_each_role_withdraws_a_stand_on_the_page_as_written(scene, role):
    _f, stand, people = scene
    answer = _page_client(people[role]).post(reverse("festivals:stand_withdraw", args=[stand.pk]))
    stand.refresh_from_db()
    if role == "anonymous":
        assert answer.status_code == 302
        assert "/accounts/login/" in answer["Location"]
    elif role == "outsider":
        assert answer.status_code == 404
    else:
        assert answer.status_code == 302
    # the organisation's editors withdraw (and coordinators, who may edit any organisation);
    # the event's organisers decide, they do not withdraw
    assert (stand.status == "withdrawn") == (role in ("editor", "coordinator"))


@pytest.mark.parametrize("role", ROLES)
def test_each_role_publishes_a_version_on_the_page_as_written(scene, role):
    f, _stand, people = scene
    services.session_cancel(actor=f.organiser, session=f.sessions[0])
    answer = _page_client(people[role]).post(reverse("festivals:publish", args=[f.programme.pk]))
    expected = {"anonymous": 302, "outsider": 403, "editor": 403}.get(role, 302)
    assert answer.status_code == expected
    f.programme.refresh_from_db()
    assert f.programme.version == (2 if role in ("organiser", "coordinator") else 1)


@pytest.mark.parametrize("role", ROLES[1:])
def test_every_signed_in_role_selects_and_registers(scene, role):
    f, _stand, people = scene
    client = _page_client(people[role])
    url = reverse("festivals:choose", args=[f.sessions[0].pk])
    assert client.post(url, {"action": "select"}).status_code == 302
    assert client.post(url, {"action": "register"}).status_code == 302
    assert f.sessions[0].registrations.filter(user=people[role]).exists()


# --- API -----------------------------------------------------------------------------------

API_GETS = {
    "": (200, 200, 200, 200, 200),
    "/tracks": (200, 200, 200, 200, 200),
    "/venues": (200, 200, 200, 200, 200),
    "/places": (200, 200, 200, 200, 200),
    "/sessions": (200, 200, 200, 200, 200),
    "/stands": (200, 200, 200, 200, 200),
    "/versions": (200, 200, 200, 200, 200),
    "/my-schedule": (401, 200, 200, 200, 200),
    "/calendar.ics": (200, 200, 200, 200, 200),
}


@pytest.mark.parametrize("suffix", sorted(API_GETS))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_the_programme_by_api_as_written(scene, suffix, role):
    f, _stand, people = scene
    answer = _api_client(people[role]).get(f"{API}/event-programmes/{f.programme.pk}{suffix}")
    assert answer.status_code == API_GETS[suffix][ROLES.index(role)]


@pytest.mark.parametrize("role", ROLES)
def test_stands_listed_by_api_depend_on_the_role(scene, role):
    f, _stand, people = scene
    answer = _api_client(people[role]).get(f"{API}/event-programmes/{f.programme.pk}/stands")
    shown = answer.json()["count"]
    assert shown == (1 if role in ("organiser", "coordinator") else 0)


def _session_body(f, hours: int) -> dict:
    start = f.event.starts_at + timedelta(hours=hours)
    return {"title": "Новая", "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=1)).isoformat(), "venue": f.hall.pk}  # fmt: skip


API_WRITES = {
    # (method, path template, body maker): expected status for each role
    "add track": (401, 403, 403, 201, 201),
    "add venue": (401, 403, 403, 201, 201),
    "add session": (401, 403, 403, 201, 201),
    "add places": (401, 403, 403, 201, 201),
    "cancel session": (401, 403, 403, 200, 200),
    "add speaker": (401, 403, 403, 201, 201),
    "accept stand": (401, 404, 403, 200, 200),
    "decline stand": (401, 404, 403, 200, 200),
    "publish": (401, 403, 403, 201, 201),
    "shift post": (401, 403, 403, 200, 200),
}


def _write(name, client, f, stand):
    pk = f.programme.pk
    json = "application/json"
    if name == "add track":
        return client.post(f"{API}/event-programmes/{pk}/tracks", {"title": "Экология"}, json)
    if name == "add venue":
        return client.post(f"{API}/event-programmes/{pk}/venues", {"title": "Зал 2"}, json)
    if name == "add session":
        return client.post(f"{API}/event-programmes/{pk}/sessions", _session_body(f, 5), json)
    if name == "add places":
        return client.post(
            f"{API}/programme-venues/{f.park.pk}/places", {"first": 6, "last": 7}, json
        )
    if name == "cancel session":
        return client.post(f"{API}/programme-sessions/{f.sessions[0].pk}/cancel")
    if name == "add speaker":
        return client.post(
            f"{API}/programme-sessions/{f.sessions[0].pk}/speakers", {"name": "Гость"}, json
        )
    if name == "accept stand":
        return client.post(
            f"{API}/programme-stands/{stand.pk}/accept", {"place": f.places[0].pk}, json
        )
    if name == "decline stand":
        return client.post(
            f"{API}/programme-stands/{stand.pk}/decline", {"reason": "Нет мест."}, json
        )
    if name == "publish":
        services.session_cancel(actor=f.organiser, session=f.sessions[1])
        return client.post(f"{API}/event-programmes/{pk}/versions")
    shift = ShiftFactory(event=f.event, starts_at=f.event.starts_at)
    return client.put(f"{API}/programme-shifts/{shift.pk}/post", {"venue": f.park.pk}, json)


@pytest.mark.parametrize("name", sorted(API_WRITES))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_changes_the_programme_by_api_as_written(scene, name, role):
    f, stand, people = scene
    answer = _write(name, _api_client(people[role]), f, stand)
    assert answer.status_code == API_WRITES[name][ROLES.index(role)], answer.content


@pytest.mark.parametrize("role", ROLES)
def test_each_role_applies_for_a_stand_by_api_as_written(scene, role):
    f, _stand, people = scene
    organization, editor = stand_organization()
    if role == "editor":
        people = {**people, "editor": editor}
    answer = _api_client(people[role]).post(
        f"{API}/event-programmes/{f.programme.pk}/stands",
        {"organization": organization.pk, "exhibit": "Выставка"},
        "application/json",
    )
    # 422: the organisation is not among the ones the caller is a member editing
    expected = {"anonymous": 401, "editor": 201}.get(role, 422)
    assert answer.status_code == expected
