from datetime import date

import pytest

from dobry.core.models import District
from dobry.events.tests.factories import volunteer
from dobry.helprequests import services
from dobry.helprequests.matching import candidates
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.tests.factories import HelpRequestFactory
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
    request = HelpRequestFactory(
        category="delivery", district=center, status=HelpRequest.Status.VERIFIED
    )
    other = HelpRequestFactory(status=HelpRequest.Status.VERIFIED)
    [offer] = services.offer_make(actor=coordinator, help_request=other, volunteers=[busy])
    services.offer_answer(user=busy, offer=offer, accept=True)
    ranked = candidates(request)
    assert [c.user for c in ranked][:2] in ([driver, neighbour], [neighbour, driver])
    assert ranked[-1].user == busy
    reasons = {c.user: " ".join(c.reasons) for c in ranked}
    assert "подходящие навыки" in reasons[driver]
    assert "помогает в этом районе" in reasons[neighbour]
    assert "уже помогает: 1" in reasons[busy]


def test_hard_requirements_filter(coordinator):
    adult_driver, teen, _walker = volunteer(), volunteer(born=date(2011, 1, 1)), volunteer()
    profile(adult_driver, skills="водитель, права B")
    profile(teen, skills="вожу мопед и машину")
    request = HelpRequestFactory(category="transport", needs_car=True, adults_only=True)
    [candidate] = candidates(request)
    assert candidate.user == adult_driver
    assert "требования выполнены: есть автомобиль, совершеннолетний" in candidate.reasons


def test_a_woman_helper_is_asked_only_of_those_who_said_so(coordinator):
    she, he = volunteer(), volunteer()
    VolunteerProfile.objects.filter(user=she).update(woman=True)
    request = HelpRequestFactory(category="home", woman_volunteer=True)
    assert [c.user for c in candidates(request)] == [she]
    assert he in [c.user for c in candidates(HelpRequestFactory(category="home"))]


def test_people_already_offered_and_the_requester_are_left_out(coordinator, resident):
    offered = volunteer()
    request = HelpRequestFactory(requester=resident, status=HelpRequest.Status.VERIFIED)
    VolunteerProfile.objects.create(user=resident, date_of_birth=date(1980, 1, 1))
    services.offer_make(actor=coordinator, help_request=request, volunteers=[offered])
    users = [c.user for c in candidates(request)]
    assert offered not in users
    assert resident not in users


def test_free_time_counts_on_every_database(coordinator):
    from datetime import datetime

    from dobry.core.clock import city_zone

    saturday_morning = datetime(2030, 6, 1, 10, 0, tzinfo=city_zone())  # a Saturday
    free, busy_then = volunteer(), volunteer()
    profile(free, availability=["sat-morning"])
    profile(busy_then, availability=["mon-evening"])
    request = HelpRequestFactory(asap=False, wanted_from=saturday_morning)
    reasons = {c.user: c.reasons for c in candidates(request)}
    assert "свободен в это время" in reasons[free]
    assert "свободен в это время" not in reasons[busy_then]
