"""Changing and deleting a programme's parts through the API, as on the organisers' pages:
the same services, the same refusals (403 for an outsider, 404 for what the caller may not
see, 409 for what may not be deleted, 422 for bad input)."""

import pytest
from django.test import Client

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.festivals.models import Session, Speaker, StandPlace, Track, Venue
from dobry.festivals.services import programme as services
from dobry.festivals.tests.factories import festival

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _send(client, method, path, body=None):
    return getattr(client, method)(f"{API}{path}", body or {}, content_type="application/json")


def test_the_organiser_renames_a_track_and_a_venue():
    f = festival()
    organiser = bearer(f.organiser)
    track = _send(organiser, "put", f"/programme-tracks/{f.tracks[0].pk}", {"title": "Волонтёры"})
    assert track.status_code == 200
    assert track.json()["title"] == "Волонтёры"
    venue = _send(
        organiser, "put", f"/programme-venues/{f.hall.pk}", {"title": "Малый зал", "kind": "hall"}
    )
    assert venue.json()["title"] == "Малый зал"
    taken = _send(organiser, "put", f"/programme-venues/{f.hall.pk}", {"title": "Аллея НКО"})
    assert taken.status_code == 422
    assert "title" in taken.content.decode()


def test_an_outsider_and_anonymous_change_nothing():
    f = festival()
    outsider = bearer(UserFactory())
    paths = [
        ("put", f"/programme-tracks/{f.tracks[0].pk}", {"title": "Моё"}),
        ("delete", f"/programme-tracks/{f.tracks[0].pk}", None),
        ("put", f"/programme-venues/{f.hall.pk}", {"title": "Моё"}),
        ("delete", f"/programme-venues/{f.park.pk}", None),
        ("delete", f"/programme-places/{f.places[0].pk}", None),
        ("delete", f"/programme-sessions/{f.sessions[0].pk}", None),
        ("post", f"/programme-sessions/{f.sessions[0].pk}/restore", None),
    ]
    for method, path, body in paths:
        assert _send(outsider, method, path, body).status_code == 403, path
        assert _send(Client(), method, path, body).status_code == 401, path
    assert Track.objects.get(pk=f.tracks[0].pk).title == "Добровольчество"


def test_parts_of_an_unpublished_programme_are_404_to_outsiders():
    f = festival(publish=False)
    outsider = bearer(UserFactory())
    assert _send(outsider, "delete", f"/programme-tracks/{f.tracks[0].pk}").status_code == 404
    assert _send(outsider, "delete", f"/programme-venues/{f.park.pk}").status_code == 404
    assert _send(outsider, "delete", f"/programme-places/{f.places[0].pk}").status_code == 404
    assert _send(outsider, "delete", "/programme-speakers/999999").status_code == 404


def test_the_organiser_deletes_what_may_be_deleted():
    f = festival()
    organiser = bearer(f.organiser)
    assert _send(organiser, "delete", f"/programme-places/{f.places[4].pk}").status_code == 204
    assert not StandPlace.objects.filter(pk=f.places[4].pk).exists()
    assert _send(organiser, "delete", f"/programme-tracks/{f.tracks[1].pk}").status_code == 204
    assert Session.objects.get(pk=f.sessions[1].pk).track is None
    busy = _send(organiser, "delete", f"/programme-venues/{f.hall.pk}")
    assert busy.status_code == 409
    assert "На площадке есть сессии" in busy.json()["message"]
    lobby = services.venue_save(actor=f.organiser, programme=f.programme, title="Фойе")
    assert _send(organiser, "delete", f"/programme-venues/{lobby.pk}").status_code == 204
    assert not Venue.objects.filter(pk=lobby.pk).exists()


def test_a_published_session_is_cancelled_not_deleted_a_draft_one_is_deleted():
    f = festival()
    organiser = bearer(f.organiser)
    published = f.sessions[0]
    assert _send(organiser, "delete", f"/programme-sessions/{published.pk}").status_code == 409
    _send(organiser, "post", f"/programme-sessions/{published.pk}/cancel")
    restored = _send(organiser, "post", f"/programme-sessions/{published.pk}/restore")
    assert restored.status_code == 200
    assert restored.json()["status"] == "scheduled"
    again = _send(organiser, "post", f"/programme-sessions/{published.pk}/restore")
    assert again.status_code == 409
    draft = services.session_save(
        actor=f.organiser, programme=f.programme,
        values={"title": "Черновик", "venue": f.park, "starts_at": published.starts_at,
                "ends_at": published.ends_at},
    )  # fmt: skip
    assert _send(organiser, "delete", f"/programme-sessions/{draft.pk}").status_code == 204
    assert not Session.objects.filter(pk=draft.pk).exists()


def test_a_speaker_is_taken_off_a_session():
    f = festival()
    organiser = bearer(f.organiser)
    made = _send(
        organiser, "post", f"/programme-sessions/{f.sessions[0].pk}/speakers", {"name": "Ирина"}
    )
    speaker_id = made.json()["id"]
    assert (
        _send(bearer(UserFactory()), "delete", f"/programme-speakers/{speaker_id}").status_code
        == 403
    )
    assert _send(organiser, "delete", f"/programme-speakers/{speaker_id}").status_code == 204
    assert not Speaker.objects.exists()


@pytest.mark.parametrize(
    "body", [{}, {"title": ""}, {"title": "x" * 151}, {"title": "Т", "position": -1},
             {"title": "Т", "position": "²"}, {"title": "Т", "extra": 1}],
)  # fmt: skip
def test_bad_track_changes_are_a_422(body):
    f = festival()
    answer = _send(bearer(f.organiser), "put", f"/programme-tracks/{f.tracks[0].pk}", body)
    assert answer.status_code == 422
