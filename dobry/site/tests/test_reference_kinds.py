"""Each kind of reference says who may see it with the owning app's permission in its list
form (`visible_<objects>(user)`, one query for a whole page of references); here each
list form is held to the app's own per-object check over every role and state, so a
reference never shows what the object's page would refuse — nor hides what it shows."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.communications import permissions as communications_permissions
from dobry.communications.models import NewsItem
from dobry.communications.tests.factories import NewsItemFactory, organization_item
from dobry.core import references
from dobry.events import permissions as event_permissions
from dobry.events.models import Event
from dobry.events.tests.factories import EventFactory, RegistrationFactory, ShiftFactory
from dobry.grants import permissions as grant_permissions
from dobry.grants.models import Application, Competition, Expert, Review
from dobry.grants.tests.factories import open_competition
from dobry.organizations import permissions as organization_permissions
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.resources import permissions as resource_permissions
from dobry.resources.models import Consultation, RoomBooking
from dobry.resources.tests.factories import RoomFactory

pytestmark = pytest.mark.django_db


def assert_list_form_agrees(kind, objects, users, can_see):
    visible = references.check_kind(kind).visible
    pks = [obj.pk for obj in objects]
    for name, user in users.items():
        listed = set(visible(user).filter(pk__in=pks).values_list("pk", flat=True))
        allowed = {obj.pk for obj in objects if can_see(user, obj)}
        assert listed == allowed, (kind, name)


@pytest.fixture
def people(coordinator, official):
    """Every role, and an organisation where each has a different membership."""
    organization = OrganizationFactory()
    roles = {}
    for role in (Membership.Role.OWNER, Membership.Role.EDITOR, Membership.Role.MEMBER):
        roles[role.value] = MembershipFactory(organization=organization, role=role).user
    return organization, {
        "anonymous": AnonymousUser(),
        "outsider": UserFactory(),
        "coordinator": coordinator,
        "official": official,
        **roles,
    }


def test_organizations(people):
    organization, users = people
    objects = [organization] + [
        OrganizationFactory(status=status) for status in Organization.Status.values
    ]
    organization.status = Organization.Status.RETURNED
    organization.save(update_fields=["status"])
    assert_list_form_agrees("organization", objects, users, organization_permissions.can_view)


def test_events_and_registrations(people):
    organization, users = people
    events = [
        EventFactory(organization=organization, status=status) for status in Event.Status.values
    ] + [EventFactory(status=Event.Status.DRAFT)]
    # an organisation not verified now: its events only for its organisers and participants
    unverified = OrganizationFactory(status=Organization.Status.RETURNED)
    MembershipFactory(organization=unverified, user=users["member"], role=Membership.Role.EDITOR)
    events += [EventFactory(organization=unverified, status=s) for s in Event.Status.values]
    events.append(
        EventFactory(organization=OrganizationFactory(status=Organization.Status.PENDING))
    )
    RegistrationFactory(shift=ShiftFactory(event=events[-1]), user=users["outsider"])
    assert_list_form_agrees("event", events, users, event_permissions.can_view)
    registrations = [RegistrationFactory(shift=ShiftFactory(event=event)) for event in events]
    assert_list_form_agrees(
        "registration",
        registrations,
        users,
        lambda user, registration: event_permissions.can_view(user, registration.shift.event),
    )


def test_consultations(people):
    organization, users = people
    objects = [
        Consultation.objects.create(asker=asker, organization=asked, topic="grants", subject="?")
        for asker, asked in [
            (users["member"], None),
            (users["outsider"], organization),
            (users["outsider"], None),
            (None, None),
        ]
    ]
    assert_list_form_agrees(
        "consultation", objects, users, resource_permissions.can_view_consultation
    )


def test_room_bookings(people):
    """No page of its own: the staff's queue shows every booking, «Мои брони» one's own."""
    organization, users = people
    now = timezone.now()
    objects = [
        RoomBooking.objects.create(
            room=RoomFactory(),
            organization=organization,
            booked_by=booker,
            starts_at=now,
            ends_at=now,
            purpose="Собрание",
        )
        for booker in (users["member"], users["owner"], None)
    ]
    assert_list_form_agrees(
        "room_booking",
        objects,
        users,
        lambda user, booking: (
            resource_permissions.is_consultant(user)
            or (user.is_authenticated and booking.booked_by_id == user.pk)
        ),
    )


def test_grant_applications(people, official):
    organization, users = people
    competition = open_competition(official)
    manager, declared, undeclared = UserFactory(), UserFactory(), UserFactory()
    competition.managers.add(manager)
    users |= {"manager": manager, "expert": declared, "undeclared expert": undeclared}
    objects = []
    for status in (Application.Status.DRAFT, Application.Status.SUBMITTED):
        for applicant, applying in [(users["outsider"], None), (None, organization)]:
            objects.append(
                Application.objects.create(
                    competition=competition,
                    applicant=applicant,
                    organization=applying,
                    status=status,
                    title="Проект",
                )
            )
    for expert_user, declared_at in [(declared, timezone.now()), (undeclared, None)]:
        expert = Expert.objects.create(
            competition=competition, user=expert_user, sector=Expert.Sector.NKO
        )
        for application in objects:
            Review.objects.create(
                application=application,
                expert=expert,
                declared_at=declared_at,
                due_at=competition.review_deadline,
            )
    assert_list_form_agrees(
        "grant_application", objects, users, grant_permissions.can_view_application
    )


def test_competitions(people, official):
    _organization, users = people
    manager = UserFactory()
    users |= {"manager": manager}
    objects = []
    for status in Competition.Status.values:
        competition = open_competition(official)
        competition.status = status
        competition.save(update_fields=["status"])
        objects.append(competition)
    objects[0].managers.add(manager)
    assert_list_form_agrees("competition", objects, users, grant_permissions.can_view_competition)


def test_news(people):
    organization, users = people
    objects = [NewsItemFactory(status=status) for status in NewsItem.Status.values] + [
        organization_item(organization, status=status) for status in NewsItem.Status.values
    ]
    assert_list_form_agrees("news", objects, users, communications_permissions.can_view_news)
