from datetime import date

import pytest
from django.utils import timezone

from dobry.accounts.models import User
from dobry.core.clock import local_today
from dobry.core.models import District
from dobry.events.tests.factories import volunteer
from dobry.helprequests.matching import candidates, eligible_volunteers
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.services import offering, triage
from dobry.helprequests.tests.factories import (
    HelpRequestFactory,
    ProgrammeFactory,
    accepted_helper,
)
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory
from dobry.volunteering.models import VolunteerProfile

pytestmark = pytest.mark.django_db


def profile(user, **fields):
    VolunteerProfile.objects.filter(user=user).update(**fields)
    return VolunteerProfile.objects.get(user=user)


def test_candidates_are_ranked_with_reasons(coordinator):
    center = District.objects.create(name="Центр", slug="center")
    driver, neighbour, busy = volunteer(), volunteer(), volunteer()
    profile(driver, skills="вожу машину")
    profile(neighbour).districts.add(center)
    profile(busy, skills="курьер")
    request = HelpRequestFactory(
        category="delivery", district=center, status=HelpRequest.Status.VERIFIED
    )
    other = HelpRequestFactory(status=HelpRequest.Status.VERIFIED)
    [offer] = offering.offer_make(actor=coordinator, help_request=other, volunteers=[busy])
    offering.offer_answer(user=busy, offer=offer, accept=True)
    ranked = candidates(request)
    assert [c.user for c in ranked][:2] in ([driver, neighbour], [neighbour, driver])
    assert ranked[-1].user == busy
    reasons = {c.user: " ".join(c.reasons) for c in ranked}
    assert "подходящие навыки" in reasons[driver]
    assert "помогает в этом районе" in reasons[neighbour]
    assert "других задач сейчас: 1" in reasons[busy]
    assert "нет других задач" in reasons[driver]


def test_a_volunteer_with_no_reason_at_all_is_not_a_candidate(coordinator):
    """Nobody pads the list with a score of 0: an offer opens the recipient's data."""
    driver, idle = volunteer(), volunteer()
    profile(driver, skills="курьер")
    request = HelpRequestFactory(category="delivery", status=HelpRequest.Status.VERIFIED)
    assert [c.user for c in candidates(request)] == [driver]
    assert eligible_volunteers(request, [driver.pk, idle.pk]) == {driver.pk}


@pytest.mark.parametrize("role", ["is_coordinator", "is_superuser"])
def test_coordinators_and_admins_work_requests_and_are_no_candidates(role):
    staff = volunteer()
    profile(staff, skills="курьер, вожу машину")
    User.objects.filter(pk=staff.pk).update(**{role: True})
    request = HelpRequestFactory(category="delivery", status=HelpRequest.Status.VERIFIED)
    assert candidates(request) == []


@pytest.mark.parametrize("role", ["is_expert", "is_official"])
def test_an_expert_or_official_is_a_candidate_only_with_a_reason(role):
    """The tester's list was padded with the expert and the official at 0 points."""
    idle, skilled = volunteer(), volunteer()
    profile(skilled, skills="курьер")
    User.objects.filter(pk__in=[idle.pk, skilled.pk]).update(**{role: True})
    request = HelpRequestFactory(category="delivery", status=HelpRequest.Status.VERIFIED)
    assert [c.user for c in candidates(request)] == [skilled]


def test_the_routed_programmes_staff_are_no_candidates_unless_a_coordinator_offers(coordinator):
    programme = ProgrammeFactory()
    leader, member = volunteer(), volunteer()
    profile(leader, skills="курьер")
    profile(member, skills="курьер")
    MembershipFactory(user=leader, organization=programme.organization, role=Membership.Role.OWNER)
    MembershipFactory(user=member, organization=programme.organization, role=Membership.Role.MEMBER)
    request = HelpRequestFactory(category="delivery", status=HelpRequest.Status.VERIFIED)
    triage.request_route(actor=coordinator, help_request=request, programme=programme)
    assert [c.user for c in candidates(request, actor=leader)] == [member]
    assert [c.user for c in candidates(request)] == [member]
    assert {c.user for c in candidates(request, actor=coordinator)} == {leader, member}


def test_children_under_14_never_and_teenagers_only_with_a_parents_consent():
    today = local_today()
    child = volunteer(born=today.replace(year=today.year - 13))
    teen = volunteer(born=today.replace(year=today.year - 16))
    consented = volunteer(born=today.replace(year=today.year - 16))
    for person in (child, teen, consented):
        profile(person, skills="курьер")
    profile(consented, parental_consent_at=timezone.now(), parental_consent_by="Мать")
    request = HelpRequestFactory(category="delivery", status=HelpRequest.Status.VERIFIED)
    assert [c.user for c in candidates(request)] == [consented]


def test_offering_to_help_from_the_public_summary_is_a_reason(coordinator):
    volunteer_who_offered = volunteer()
    request = HelpRequestFactory(category="delivery", status=HelpRequest.Status.MATCHING)
    assert candidates(request) == []
    offering.volunteer_self_offer(user=volunteer_who_offered, help_request=request)
    [candidate] = candidates(request)
    assert candidate.user == volunteer_who_offered
    assert "откликнулись на эту просьбу сами" in candidate.reasons


def test_reasons_are_worded_without_grammatical_gender():
    """«Наталья Соколова … свободен от других задач»: the platform does not know a
    person's grammatical gender, so no reason has one."""
    from datetime import datetime

    from dobry.core.clock import city_zone

    she = volunteer(first_name="Наталья", last_name="Соколова")
    profile(she, skills="курьер", availability=["sat-morning"], woman=True)
    previous = HelpRequestFactory(
        category="delivery", recipient_phone="+79130000001", status=HelpRequest.Status.DONE
    )
    accepted_helper(previous, she)
    request = HelpRequestFactory(
        category="delivery",
        recipient_phone="+79130000001",
        asap=False,
        wanted_from=datetime(2030, 6, 1, 10, 0, tzinfo=city_zone()),  # a Saturday
        adults_only=True,
    )
    [candidate] = candidates(request)
    text = " ".join(candidate.reasons)
    assert "это время отмечено как свободное" in text
    assert "уже есть опыт помощи этому человеку" in text
    assert "нет других задач" in text
    assert "18 лет и старше" in text
    for gendered in ("свободен", "свободна", "помогал", "совершеннолетний"):
        assert gendered not in text


def test_hard_requirements_filter(coordinator):
    adult_driver, teen, _walker = volunteer(), volunteer(born=date(2011, 1, 1)), volunteer()
    profile(adult_driver, skills="водитель, права B")
    profile(teen, skills="вожу мопед и машину")
    request = HelpRequestFactory(category="transport", needs_car=True, adults_only=True)
    [candidate] = candidates(request)
    assert candidate.user == adult_driver
    assert "требования выполнены: есть автомобиль, 18 лет и старше" in candidate.reasons


def test_a_woman_helper_is_asked_only_of_those_who_said_so(coordinator):
    she, he = volunteer(), volunteer()
    VolunteerProfile.objects.filter(user__in=[she, he]).update(skills="ремонт")
    VolunteerProfile.objects.filter(user=she).update(woman=True)
    request = HelpRequestFactory(category="home", woman_volunteer=True)
    assert [c.user for c in candidates(request)] == [she]
    assert he in [c.user for c in candidates(HelpRequestFactory(category="home"))]


def test_people_already_offered_and_the_requester_are_left_out(coordinator, resident):
    offered = volunteer()
    profile(offered, skills="курьер")
    request = HelpRequestFactory(requester=resident, status=HelpRequest.Status.VERIFIED)
    VolunteerProfile.objects.create(user=resident, date_of_birth=date(1980, 1, 1), skills="курьер")
    offering.offer_make(actor=coordinator, help_request=request, volunteers=[offered])
    users = [c.user for c in candidates(request)]
    assert offered not in users
    assert resident not in users


def test_free_time_counts_on_every_database(coordinator):
    from datetime import datetime

    from dobry.core.clock import city_zone

    saturday_morning = datetime(2030, 6, 1, 10, 0, tzinfo=city_zone())  # a Saturday
    free, busy_then = volunteer(), volunteer()
    profile(free, availability=["sat-morning"], skills="курьер")
    profile(busy_then, availability=["mon-evening"], skills="курьер")
    request = HelpRequestFactory(asap=False, wanted_from=saturday_morning)
    reasons = {c.user: c.reasons for c in candidates(request)}
    assert "это время отмечено как свободное" in reasons[free]
    assert "это время отмечено как свободное" not in reasons[busy_then]
