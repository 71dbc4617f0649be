"""Every change to a part of a programme — a track, a venue, its stand places, a session,
its speakers — by every role, on the organisers' pages and through the API, on a published
programme and on one not yet published. The parts' access is one permission function each
(`festivals.permissions.get_<part>_for_user`) for the page and the API: a visitor is sent
to sign in (page) or answered 401 (API); whoever may not see the programme gets a 404; a
person who sees it but does not organise it — a resident, the organiser of another
festival — gets a 403 (a 404 for a session not yet published, which only the organisers
see); the event's organiser and a coordinator change it. Each answer is
checked with what happened to the part, so a refusal that still changed something fails."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.core.clock import city_zone
from dobry.festivals.models import Session, Speaker, StandPlace, Track, Venue
from dobry.festivals.services import programme as services
from dobry.festivals.tests.factories import Festival, festival

pytestmark = pytest.mark.django_db
API = "/api/v1"
ROLES = ("anonymous", "resident", "other organiser", "organiser", "coordinator")
ORGANISERS = ("organiser", "coordinator")


@dataclass
class Scene:
    f: Festival
    spare: Venue  # a venue with nothing on it: it may be deleted
    draft: Session  # a session never published: it may be deleted
    speaker: Speaker
    people: dict


def _scene(*, publish: bool) -> Scene:
    f = festival(publish=publish)
    spare = services.venue_save(actor=f.organiser, programme=f.programme, title="Запасной зал")
    speaker = services.speaker_add(actor=f.organiser, session=f.sessions[0], name="Ирина")
    if publish:
        services.session_cancel(actor=f.organiser, session=f.sessions[1])
    starts = f.event.starts_at + timedelta(hours=6)
    draft = services.session_save(
        actor=f.organiser,
        programme=f.programme,
        values={"title": "Черновик", "venue": f.hall, "starts_at": starts,
                "ends_at": starts + timedelta(hours=1)},
    )  # fmt: skip
    people = {
        "anonymous": None,
        "resident": UserFactory(),
        "other organiser": festival().organiser,
        "organiser": f.organiser,
        "coordinator": UserFactory(is_coordinator=True),
    }
    return Scene(f, spare, draft, speaker, people)


def _local(moment):
    return moment.astimezone(city_zone()).strftime("%Y-%m-%dT%H:%M")


# --- what each change is, and how to see that it happened -------------------------------------
# name: (page url, page body, api method, api path, api body, changed(scene) -> bool)


def _session_form(s: Scene) -> dict:
    first = s.f.sessions[0]
    return {"title": "Новое название", "description": "", "starts_at": _local(first.starts_at),
            "ends_at": _local(first.ends_at), "venue": s.f.hall.pk, "track": "",
            "capacity": "20"}  # fmt: skip


def _session_json(s: Scene) -> dict:
    first = s.f.sessions[0]
    return {"title": "Новое название", "starts_at": first.starts_at.isoformat(),
            "ends_at": first.ends_at.isoformat(), "venue": s.f.hall.pk, "capacity": 20}  # fmt: skip


def _changes(s: Scene) -> dict:
    f = s.f
    track, hall, park, place = f.tracks[0], f.hall, f.park, f.places[4]
    first, cancelled = f.sessions[0], f.sessions[1]
    renamed = {"title": "Новое название", "description": "", "position": ""}
    return {
        "rename a track": (
            reverse("festivals:track_edit", args=[track.pk]), renamed,
            "put", f"/programme-tracks/{track.pk}", {"title": "Новое название"},
            lambda: Track.objects.get(pk=track.pk).title == "Новое название",
        ),
        "delete a track": (
            reverse("festivals:track_delete", args=[track.pk]), {},
            "delete", f"/programme-tracks/{track.pk}", None,
            lambda: not Track.objects.filter(pk=track.pk).exists(),
        ),
        "rename a venue": (
            reverse("festivals:venue_edit", args=[hall.pk]), {**renamed, "kind": "hall"},
            "put", f"/programme-venues/{hall.pk}", {"title": "Новое название"},
            lambda: Venue.objects.get(pk=hall.pk).title == "Новое название",
        ),
        "delete a venue": (
            reverse("festivals:venue_delete", args=[s.spare.pk]), {},
            "delete", f"/programme-venues/{s.spare.pk}", None,
            lambda: not Venue.objects.filter(pk=s.spare.pk).exists(),
        ),
        "number places": (
            reverse("festivals:places_add", args=[park.pk]), {"first": 6, "last": 8},
            "post", f"/programme-venues/{park.pk}/places", {"first": 6, "last": 8},
            lambda: park.places.count() == 8,
        ),
        "take a place away": (
            reverse("festivals:place_delete", args=[place.pk]), {},
            "delete", f"/programme-places/{place.pk}", None,
            lambda: not StandPlace.objects.filter(pk=place.pk).exists(),
        ),
        "change a session": (
            reverse("festivals:session_edit", args=[first.pk]), _session_form(s),
            "put", f"/programme-sessions/{first.pk}", _session_json(s),
            lambda: Session.objects.get(pk=first.pk).title == "Новое название",
        ),
        "cancel a session": (
            reverse("festivals:session_status", args=[first.pk]), {"action": "cancel"},
            "post", f"/programme-sessions/{first.pk}/cancel", None,
            lambda: Session.objects.get(pk=first.pk).status == Session.Status.CANCELLED,
        ),
        "bring a session back": (
            reverse("festivals:session_status", args=[cancelled.pk]), {"action": "restore"},
            "post", f"/programme-sessions/{cancelled.pk}/restore", None,
            lambda: Session.objects.get(pk=cancelled.pk).status == Session.Status.SCHEDULED,
        ),
        "delete a draft session": (
            reverse("festivals:session_delete", args=[s.draft.pk]), {},
            "delete", f"/programme-sessions/{s.draft.pk}", None,
            lambda: not Session.objects.filter(pk=s.draft.pk).exists(),
        ),
        "add a speaker": (
            reverse("festivals:speaker_add", args=[first.pk]),
            {"name": "Гость", "role": "speaker", "about": ""},
            "post", f"/programme-sessions/{first.pk}/speakers", {"name": "Гость"},
            lambda: first.speakers.filter(name="Гость").exists(),
        ),
        "take a speaker off": (
            reverse("festivals:speaker_remove", args=[s.speaker.pk]), {},
            "delete", f"/programme-speakers/{s.speaker.pk}", None,
            lambda: not Speaker.objects.filter(pk=s.speaker.pk).exists(),
        ),
    }  # fmt: skip


CHANGES = [
    "rename a track", "delete a track", "rename a venue", "delete a venue", "number places",
    "take a place away", "change a session", "cancel a session", "bring a session back",
    "delete a draft session", "add a speaker", "take a speaker off",
]  # fmt: skip
# a session not yet published is the organisers' alone: a 404 to others, as on the page
HIDDEN = {"delete a draft session"}
# a cancelled session exists on the published programme only
UNPUBLISHED_CHANGES = [c for c in CHANGES if c != "bring a session back"]


def _on_page(s: Scene, role: str, change: str):
    url, body, *_api, changed = _changes(s)[change]
    client = Client()
    if s.people[role] is not None:
        client.force_login(s.people[role])
    return client.post(url, body), changed()


def _by_api(s: Scene, role: str, change: str):
    _url, _body, method, path, body, changed = _changes(s)[change]
    client = Client() if s.people[role] is None else bearer(s.people[role])
    answer = getattr(client, method)(f"{API}{path}", body or {}, content_type="application/json")
    return answer, changed()


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_changes_a_published_programmes_parts_on_the_pages_as_written(role, change):
    s = _scene(publish=True)
    answer, changed = _on_page(s, role, change)
    refused = 404 if change in HIDDEN else 403
    expected = {"anonymous": 302, "resident": refused, "other organiser": refused}.get(role, 302)
    assert answer.status_code == expected, answer.content[:300]
    if role == "anonymous":
        assert "/accounts/login/" in answer["Location"]
    assert changed == (role in ORGANISERS)


@pytest.mark.parametrize("change", UNPUBLISHED_CHANGES)
@pytest.mark.parametrize("role", ROLES)
def test_an_unpublished_programmes_parts_are_hidden_from_all_but_its_organisers_on_pages(
    role, change
):
    s = _scene(publish=False)
    answer, changed = _on_page(s, role, change)
    expected = {"anonymous": 302, "resident": 404, "other organiser": 404}.get(role, 302)
    assert answer.status_code == expected
    assert changed == (role in ORGANISERS)


API_DONE = {"number places": 201, "add a speaker": 201}


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_changes_a_published_programmes_parts_by_api_as_written(role, change):
    s = _scene(publish=True)
    answer, changed = _by_api(s, role, change)
    done = API_DONE.get(change, 204 if change.startswith(("delete", "take")) else 200)
    refused = 404 if change in HIDDEN else 403
    expected = {"anonymous": 401, "resident": refused, "other organiser": refused}.get(role, done)
    assert answer.status_code == expected, answer.content[:300]
    assert changed == (role in ORGANISERS)
    if expected == 403:
        assert answer.json()["message"]  # the reason, for the caller


@pytest.mark.parametrize("change", UNPUBLISHED_CHANGES)
@pytest.mark.parametrize("role", ["anonymous", "resident", "other organiser"])
def test_an_unpublished_programmes_parts_are_404_by_api_to_those_who_do_not_organise_it(
    role, change
):
    s = _scene(publish=False)
    answer, changed = _by_api(s, role, change)
    assert answer.status_code == (401 if role == "anonymous" else 404)
    assert not changed


@pytest.mark.parametrize("role", ORGANISERS)
def test_the_organisers_change_an_unpublished_programmes_parts_by_api(role):
    for change in UNPUBLISHED_CHANGES:
        s = _scene(publish=False)
        answer, changed = _by_api(s, role, change)
        assert answer.status_code < 300, (change, answer.content[:300])
        assert changed, change


def test_a_part_of_one_programme_is_not_reached_through_another_programmes_organiser():
    """The organiser of another festival sees this one (it is published) and is refused
    each of its parts, by name of the rule, on the page and by API."""
    s = _scene(publish=True)
    other = Client()
    other.force_login(s.people["other organiser"])
    for name, pk in [("track_edit", s.f.tracks[0].pk), ("venue_edit", s.f.hall.pk),
                     ("session_edit", s.f.sessions[0].pk)]:  # fmt: skip
        assert other.get(reverse(f"festivals:{name}", args=[pk])).status_code == 403
    assert Track.objects.get(pk=s.f.tracks[0].pk).title == "Добровольчество"
