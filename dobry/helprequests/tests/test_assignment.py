"""Batch assignment on small cases checked by hand."""

import random

import pytest

from dobry.helprequests.assignment import Edge, greedy, optimal, quality
from dobry.helprequests.tests.factories import offerable_volunteer


def test_optimal_beats_greedy_where_greedy_is_myopic():
    # Greedy gives volunteer 1 to request A (score 10) and leaves B with nobody;
    # the optimum gives 1 to B (9) and 2 to A (8): 17 > 10.
    edges = [Edge(1, 1, 10), Edge(1, 2, 8), Edge(2, 1, 9)]
    needed = {1: 1, 2: 1}
    capacity = {1: 1, 2: 1}
    assert greedy(edges, needed, capacity) == {1: [1]}
    assert optimal(edges, needed, capacity) == {1: [2], 2: [1]}
    assert quality(optimal(edges, needed, capacity), edges) == 17


def test_capacity_and_needed_are_respected():
    edges = [Edge(1, 1, 5), Edge(1, 2, 4), Edge(2, 1, 5), Edge(3, 1, 5)]
    needed = {1: 2, 2: 1, 3: 1}
    capacity = {1: 2, 2: 1}
    plan = optimal(edges, needed, capacity)
    # volunteer 1 can serve two of the three requests (5 each), volunteer 2 serves request 1 (4)
    assert quality(plan, edges) == 14
    assert sum(1 for volunteers in plan.values() for v in volunteers if v == 1) == 2
    assert 2 in plan[1]


def test_nothing_useful_gives_an_empty_plan():
    assert optimal([Edge(1, 1, 0)], {1: 1}, {1: 1}) == {}
    assert optimal([], {}, {}) == {}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_optimal_is_never_worse_than_greedy_and_keeps_limits(seed):
    rng = random.Random(seed)
    edges = [Edge(r, v, rng.randint(1, 20)) for r in range(30) for v in rng.sample(range(40), 5)]
    needed = {r: rng.randint(1, 2) for r in range(30)}
    capacity = {v: rng.randint(1, 2) for v in range(40)}
    best, quick = optimal(edges, needed, capacity), greedy(edges, needed, capacity)
    assert quality(best, edges) >= quality(quick, edges)
    for r, volunteers in best.items():
        assert len(volunteers) <= needed[r]
    load: dict[int, int] = {}
    for volunteers in best.values():
        for v in volunteers:
            load[v] = load.get(v, 0) + 1
    assert all(load[v] <= capacity[v] for v in load)


@pytest.mark.django_db
def test_the_day_proposal_is_reviewed_then_confirmed(login_as, coordinator, resident):
    from dobry.helprequests.models import HelpOffer, HelpRequest
    from dobry.helprequests.tests.factories import HelpRequestFactory
    from dobry.volunteering.models import VolunteerProfile

    helper = offerable_volunteer()
    VolunteerProfile.objects.filter(user=helper).update(skills="вожу машину")
    first = HelpRequestFactory(status=HelpRequest.Status.VERIFIED, priority=2)
    HelpRequestFactory(status=HelpRequest.Status.VERIFIED)
    assert login_as(resident).get("/help/batch/").status_code == 403
    client = login_as(coordinator)
    response = client.get("/help/batch/")
    assert first.summary in response.content.decode()
    assert not HelpOffer.objects.exists()
    client.post("/help/batch/", {"key": response.context["plan"].key})
    offer = HelpOffer.objects.get()  # one volunteer, one task: the urgent request wins
    assert (offer.request, offer.volunteer) == (first, helper)


def test_the_batch_is_one_service_that_reports_what_it_left_in_the_queue(coordinator):
    from django.core.exceptions import PermissionDenied

    from dobry.helprequests.models import HelpOffer, HelpRequest
    from dobry.helprequests.services import batches
    from dobry.helprequests.tests.factories import HelpRequestFactory

    first = HelpRequestFactory(status=HelpRequest.Status.VERIFIED)
    taken = HelpRequestFactory(status=HelpRequest.Status.VERIFIED)
    a, b = offerable_volunteer(), offerable_volunteer()
    plan = {first.pk: [a.pk], taken.pk: [b.pk]}
    HelpRequest.objects.filter(pk=taken.pk).update(status=HelpRequest.Status.ASSIGNED)
    with pytest.raises(PermissionDenied):
        batches.offers_batch_send(actor=a, plan=plan)
    assert not HelpOffer.objects.exists()
    result = batches.offers_batch_send(actor=coordinator, plan=plan)
    assert result.sent == 1
    assert [(r.pk, "помощник не найден" in reason) for r, reason in result.skipped] == [
        (taken.pk, True)
    ]
    assert list(HelpOffer.objects.values_list("request_id", "volunteer_id")) == [(first.pk, a.pk)]
