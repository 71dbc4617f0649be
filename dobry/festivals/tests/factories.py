"""A festival with a published programme: organiser, two tracks, two venues (a hall and
a park zone with numbered places) and sessions, for the programme's tests."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.events.models import Event
from dobry.events.tests.factories import EventFactory
from dobry.festivals.models import Programme, Session, StandPlace, Track, Venue
from dobry.festivals.services import programme as services
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory


@dataclass
class Festival:
    organiser: object
    event: Event
    programme: Programme
    tracks: list[Track]
    hall: Venue
    park: Venue
    places: list[StandPlace]
    sessions: list[Session]


def editor_of(organization: Organization, **kwargs) -> object:
    user = UserFactory(**kwargs)
    MembershipFactory(organization=organization, user=user, role=Membership.Role.EDITOR)
    return user


def festival(
    *,
    kind: str = Event.Kind.FESTIVAL,
    civic_forum: bool = False,
    publish: bool = True,
    capacity: int | None = 20,
    days_ahead: int = 10,
) -> Festival:
    start = timezone.now() + timedelta(days=days_ahead)
    event = EventFactory(
        kind=kind,
        title="Фестиваль «Добрый Железногорск»",
        starts_at=start,
        ends_at=start + timedelta(hours=8),
    )
    organiser = editor_of(event.organization)
    programme = services.programme_create(actor=organiser, event=event, civic_forum=civic_forum)
    tracks = [
        services.track_save(actor=organiser, programme=programme, title=title, position=n)
        for n, title in enumerate(("Добровольчество", "НКО и власть"))
    ]
    hall = services.venue_save(actor=organiser, programme=programme, title="Большой зал")
    park = services.venue_save(
        actor=organiser,
        programme=programme,
        title="Аллея НКО",
        kind=Venue.Kind.PARK_ZONE,
        position=1,
    )
    places = services.places_add(actor=organiser, venue=park, first=1, last=5)
    sessions = [
        services.session_save(
            actor=organiser,
            programme=programme,
            values={
                "title": title,
                "venue": hall,
                "track": tracks[n],
                "capacity": capacity,
                "starts_at": start + timedelta(hours=n),
                "ends_at": start + timedelta(hours=n + 1),
            },
        )
        for n, title in enumerate(("Как стать волонтёром", "Диалог с администрацией"))
    ]
    if publish:
        services.version_publish(actor=organiser, programme=programme)
    return Festival(organiser, event, programme, tracks, hall, park, places, sessions)


def stand_organization() -> tuple[Organization, object]:
    """A verified organisation and its editor, who applies for a stand."""
    organization = OrganizationFactory()
    return organization, editor_of(organization)
