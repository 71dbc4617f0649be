"""Every list of a programme — by API and on its pages — reads the database a fixed number
of times whatever its length: each is counted on a small programme, then again once the
programme has many tracks, venues, places, sessions with speakers, stands, versions,
registrations and choices, and the two counts must be equal (an N+1 shows as a difference)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.festivals.models import Venue
from dobry.festivals.services import programme as services
from dobry.festivals.tests.factories import festival, stand_organization
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"
MORE = 6


def _queries(client, url):
    client.get(url)  # caches warmed (sites, settings): only the list's own reads count
    with CaptureQueriesContext(connection) as done:
        answer = client.get(url)
    assert answer.status_code == 200, (url, answer.status_code)
    return len(done)


def _stand(f, place):
    organization, editor = stand_organization()
    stand = services.stand_apply(
        actor=editor, programme=f.programme, organization=organization, exhibit="Стенд"
    )
    services.stand_accept(actor=f.organiser, stand=stand, place=place)
    return editor


def _one_of_each(f, person):
    """One of each list's rows: a speaker, an accepted stand, a choice and a place taken."""
    services.speaker_add(actor=f.organiser, session=f.sessions[0], name="Спикер 0")
    _stand(f, f.places[0])
    services.session_register(actor=person, session=f.sessions[0])


def _grow(f, person):
    """MORE of everything: tracks and venues with sessions and their speakers, places and
    stands on them, people registered and choosing, a second version; and more festivals."""
    start = f.event.starts_at
    places = services.places_add(actor=f.organiser, venue=f.park, first=6, last=6 + MORE)
    for n in range(MORE):
        track = services.track_save(actor=f.organiser, programme=f.programme, title=f"Трек {n}")
        venue = services.venue_save(
            actor=f.organiser, programme=f.programme, title=f"Зал {n}", kind=Venue.Kind.HALL
        )
        session = services.session_save(
            actor=f.organiser,
            programme=f.programme,
            values={"title": f"Сессия {n}", "venue": venue, "track": track, "capacity": 30,
                    "starts_at": start + timedelta(hours=n), "ends_at": start + timedelta(hours=n, minutes=50)},
        )  # fmt: skip
        for k in range(2):
            services.speaker_add(actor=f.organiser, session=session, name=f"Спикер {n}.{k}")
        _stand(f, places[n])
    services.version_publish(actor=f.organiser, programme=f.programme)
    for session in f.programme.sessions.exclude(pk=f.sessions[0].pk):
        services.session_register(actor=person, session=session)
        for _n in range(2):
            services.session_register(actor=UserFactory(), session=session)
    for _n in range(2):
        festival()


def _lists(f):
    pk, first = f.programme.pk, f.sessions[0].pk
    api = [f"{API}/event-programmes"] + [
        f"{API}/event-programmes/{pk}/{name}"
        for name in ("tracks", "venues", "places", "sessions", "stands", "versions",
                     "my-schedule", "calendar.ics")
    ] + [f"{API}/programme-sessions/{first}/attendance"]  # fmt: skip
    pages = [
        reverse("festivals:programme", args=[pk]),
        reverse("festivals:mine", args=[pk]),
        reverse("festivals:ics", args=[pk]),
        reverse("festivals:manage", args=[pk]),
        reverse("festivals:venue_edit", args=[f.park.pk]),
        reverse("festivals:session_edit", args=[first]),
        reverse("festivals:attendance", args=[first]),
    ]
    return api, pages


def _counts(f, person):
    api, pages = _lists(f)
    organiser_api, organiser_pages = bearer(f.organiser), Client()
    organiser_pages.force_login(f.organiser)
    resident_api, resident_pages = bearer(person), Client()
    resident_pages.force_login(person)
    counts = {}
    for url in api:
        counts[("organiser", url)] = _queries(organiser_api, url)
        if "attendance" not in url:
            counts[("resident", url)] = _queries(resident_api, url)
            counts[("anonymous", url)] = _queries(Client(), url) if "my-" not in url else 0
    for url in pages:
        counts[("organiser", url)] = _queries(organiser_pages, url)
    for url in pages[:3]:
        counts[("resident", url)] = _queries(resident_pages, url)
    counts[("anonymous", pages[0])] = _queries(Client(), pages[0])
    return counts


def test_every_list_of_a_programme_reads_the_same_number_of_times_whatever_its_length():
    f = festival(capacity=30)
    person = UserFactory()
    _one_of_each(f, person)
    few = _counts(f, person)
    _grow(f, person)
    assert f.programme.sessions.count() == 2 + MORE
    many = _counts(f, person)
    grown = {key: (few[key], many[key]) for key in few if few[key] != many[key]}
    assert grown == {}, grown


def test_the_stand_application_page_lists_an_editors_organisations_in_fixed_reads():
    f = festival()
    organization, editor = stand_organization()
    services.stand_apply(
        actor=editor, programme=f.programme, organization=organization, exhibit="Стенд"
    )
    browser = Client()
    browser.force_login(editor)
    url = reverse("festivals:stand_apply", args=[f.programme.pk])
    few = _queries(browser, url)
    for _n in range(MORE):
        other = OrganizationFactory()
        MembershipFactory(organization=other, user=editor, role=Membership.Role.EDITOR)
        services.stand_apply(actor=editor, programme=f.programme, organization=other, exhibit="Ещё")
    assert _queries(browser, url) == few
