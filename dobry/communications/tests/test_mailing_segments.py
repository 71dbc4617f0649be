"""Segments: each condition narrows; the size is one COUNT; each address once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.communications.mailings import segments
from dobry.communications.models import Segment
from dobry.communications.tests.mailing_factories import contact, segment, subscriber
from dobry.core.models import District
from dobry.organizations.models import Organization, OrganizationArea
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.volunteering.models import HoursEntry, VolunteerProfile

pytestmark = pytest.mark.django_db


def emails(s: Segment) -> set[str]:
    accounts = set(segments.segment_accounts(s).values_list("email", flat=True))
    return accounts | set(segments.segment_contacts(s).values_list("email", flat=True))


def test_roles_organisation_kinds_and_contacts():
    coordinator = subscriber(is_coordinator=True)
    official = subscriber(is_official=True)
    member = subscriber()
    MembershipFactory(user=member, organization=OrganizationFactory(kind=Organization.Kind.SONKO))
    volunteer = subscriber()
    VolunteerProfile.objects.create(user=volunteer)
    contact("c@example.org")
    assert emails(segment(roles=["coordinator", "official"])) == {coordinator.email, official.email}
    assert emails(segment(roles=["volunteer"])) == {volunteer.email}
    assert emails(segment(roles=["organization_member"])) == {member.email}
    assert emails(segment(roles=["contact"])) == {"c@example.org"}
    assert emails(segment(organization_kinds=[Organization.Kind.SONKO])) == {member.email}
    assert emails(segment()) == {
        coordinator.email,
        official.email,
        member.email,
        volunteer.email,
        "c@example.org",
    }


def test_areas_and_districts_of_volunteers_organisations_and_contacts():
    north = District.objects.create(name="Северный", slug="north")
    south = District.objects.create(name="Южный", slug="south")
    animals = subscriber()
    profile = VolunteerProfile.objects.create(user=animals, interests=["animals"])
    profile.districts.add(north)
    ecology_member = subscriber()
    organisation = OrganizationFactory()
    OrganizationArea.objects.create(organization=organisation, area="ecology")
    MembershipFactory(user=ecology_member, organization=organisation)
    contact("north@example.org", district=north, interests=["ecology"])
    contact("south@example.org", district=south, interests=["animals"])
    by_area = segment(areas=["ecology"])
    assert emails(by_area) == {ecology_member.email, "north@example.org"}
    assert emails(segment(areas=["animals"])) == {animals.email, "south@example.org"}
    by_district = segment()
    by_district.districts.add(north)
    assert emails(by_district) == {animals.email, "north@example.org"}


def test_active_in_the_last_months():
    old = subscriber()
    old.date_joined = timezone.now() - timedelta(days=400)
    old.save()
    recent = subscriber()
    worker = subscriber()
    worker.date_joined = timezone.now() - timedelta(days=400)
    worker.save()
    organisation = OrganizationFactory()
    HoursEntry.objects.create(
        user=worker,
        organization=organisation,
        date=timezone.localdate(),
        hours=2,
        claimed_hours=2,
    )
    contact("c@example.org")
    assert emails(segment(active_months=6)) == {recent.email, worker.email}


def test_the_size_is_one_count_query_and_counts_an_address_once(django_assert_num_queries):
    user = subscriber()
    subscriber()
    contact(user.email)
    contact("other@example.org")
    contact("waiting@example.org", confirmed=False)
    s = segment()
    with django_assert_num_queries(2):  # the districts, then one COUNT
        assert segments.segment_size(s) == 3
