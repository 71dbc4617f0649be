"""Generated yearly festivals of the local practice (`DOBRY_SITE_NAME`) with their programmes
(`manage.py generate_data`).

Each festival is a published event with three tracks, two halls and a park zone of
numbered stand places, twelve sessions, accepted stands of organisations, residents'
selections and registrations (those who came marked, at a past festival) and the
programme's published version, made by the programme service as organisers publish it.
"""

from datetime import date, time, timedelta

from django.conf import settings
from django.db import transaction

from dobry.accounts.models import User
from dobry.core.clock import local_date, local_moment
from dobry.core.generating import World
from dobry.core.typography import quoted
from dobry.events.models import Event
from dobry.festivals.models import (
    Programme,
    Selection,
    Session,
    SessionRegistration,
    StandApplication,
    StandPlace,
    Track,
    Venue,
)
from dobry.festivals.services.programme import version_publish
from dobry.organizations.models import Membership

TRACKS = ["Добровольчество", "НКО и власть", "Семья и дети"]
SESSIONS = 12
STANDS = 20


def generate(world: World) -> None:
    """`scale.festivals` festivals a year over the scale's years, each on a September
    Saturday (this year's too: it may be ahead or past). `ids["festivals"]`: event ids."""
    years = range(world.first_day.year, world.today.year + 1)
    rounds = [(year, n) for year in years for n in range(world.scale.festivals)]
    world.ids["festivals"] = []
    for done, (year, n) in enumerate(rounds, start=1):
        with transaction.atomic():
            world.ids["festivals"].append(_festival(world, year, n))
        world.progress("festivals", done, len(rounds))


def _festival(world: World, year: int, n: int) -> int:
    september = date(year, 9, 1)
    day = september + timedelta(days=(5 - september.weekday()) % 7 + 7 * (n % 4))
    starts = local_moment(day, time(10))
    organization = world.pick("organizations")
    event = Event(
        organization_id=organization,
        kind=Event.Kind.FESTIVAL,
        title=f"Фестиваль {quoted(settings.DOBRY_SITE_NAME, 'ru')} — {year}",
        summary="Город подводит итоги года добрых дел: площадки НКО, мастер-классы, награды.",
        description=world.names.text(4),
        place="Парк культуры и отдыха им. С. М. Кирова",
        address=world.names.address(),
        district_id=world.pick("districts"),
        status=Event.Status.PUBLISHED,
        starts_at=starts,
        ends_at=starts + timedelta(hours=8),
        published_at=starts - timedelta(days=30),
    )
    event.search_text = event.folded_search_text()
    event.save()
    programme = Programme.objects.create(event=event)
    tracks = Track.objects.bulk_create(
        Track(programme=programme, title=title, position=p) for p, title in enumerate(TRACKS)
    )
    halls = Venue.objects.bulk_create(
        Venue(programme=programme, title=title, position=p)
        for p, title in enumerate(("Большой зал", "Малый зал"))
    )
    park = Venue.objects.create(
        programme=programme, title="Аллея НКО", kind=Venue.Kind.PARK_ZONE, position=2
    )
    places = StandPlace.objects.bulk_create(
        StandPlace(venue=park, number=number) for number in range(1, STANDS + 1)
    )
    sessions = Session.objects.bulk_create(
        Session(
            programme=programme,
            track=tracks[s % len(tracks)],
            venue=halls[s % len(halls)],
            title=world.names.title(4),
            description=world.names.text(2),
            starts_at=starts + timedelta(hours=s // len(halls)),
            ends_at=starts + timedelta(hours=s // len(halls), minutes=50),
            capacity=world.rng.choice([None, 30, 60]),
        )
        for s in range(SESSIONS)
    )
    StandApplication.objects.bulk_create(
        StandApplication(
            programme=programme,
            organization_id=exhibitor,
            exhibit=world.names.sentence(),
            status=StandApplication.Status.ACCEPTED,
            place=place,
            decided_at=starts - timedelta(days=7),
        )
        for exhibitor, place in zip(
            world.rng.sample(
                world.ids["organizations"], min(STANDS, len(world.ids["organizations"]))
            ),
            places,
            strict=False,
        )
    )
    _people(world, sessions, starts)
    organiser = User.objects.get(
        memberships__organization_id=organization, memberships__role=Membership.Role.OWNER
    )
    version_publish(actor=organiser, programme=programme)
    return event.pk


def _people(world: World, sessions: list[Session], starts: object) -> None:
    """Residents' selections, and registrations within each session's places; at a past
    festival seven in ten of those registered are marked as having come."""
    past = local_date(sessions[0].starts_at) < world.today
    selections, registrations = [], []
    for session in sessions:
        people = world.rng.sample(world.ids["residents"], 2 * (session.capacity or 20))
        selections += [Selection(session=session, user_id=user) for user in people[:20]]
        for user in people[20 : 20 + (session.capacity or 0) * 2 // 3]:
            came = past and world.rng.random() < 0.7
            registrations.append(
                SessionRegistration(
                    session=session, user_id=user, attended_at=session.starts_at if came else None
                )
            )
    Selection.objects.bulk_create(selections)
    SessionRegistration.objects.bulk_create(registrations)
