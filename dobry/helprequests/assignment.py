"""Batch assignment: all open requests of a day at once, maximising the total match
quality under each volunteer's capacity. The optimal plan is a min-cost flow on the
sparse candidate graph (OR-Tools); a greedy plan is the baseline it is compared with.

Graph: source → request (capacity: volunteers needed) → volunteer (capacity 1, cost
MAX − score) → sink (capacity: the volunteer's capacity), plus source → sink bypass arcs of
cost MAX, so leaving a place unfilled is allowed but never cheaper than a useful match.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
from ortools.graph.python import min_cost_flow

if TYPE_CHECKING:
    from dobry.helprequests.matching import Candidate
    from dobry.helprequests.models import HelpRequest

SCALE = 100  # scores are decimals; the solver works in integers


@dataclass(frozen=True)
class Edge:
    request: int
    volunteer: int
    score: float


Plan = dict[int, list[int]]  # request id → volunteer ids


def quality(plan: Plan, edges: Sequence[Edge]) -> float:
    score = {(e.request, e.volunteer): e.score for e in edges}
    return sum(score[(r, v)] for r, volunteers in plan.items() for v in volunteers)


def greedy(edges: Sequence[Edge], needed: Mapping[int, int], capacity: Mapping[int, int]) -> Plan:
    """Best edges first, while the request needs people and the volunteer has room."""
    plan: Plan = defaultdict(list)
    room = dict(capacity)
    for edge in sorted(edges, key=lambda e: (-e.score, e.request, e.volunteer)):
        if edge.score <= 0:
            break
        if (
            len(plan[edge.request]) < needed.get(edge.request, 0)
            and room.get(edge.volunteer, 0) > 0
        ):
            plan[edge.request].append(edge.volunteer)
            room[edge.volunteer] -= 1
    return {request: volunteers for request, volunteers in plan.items() if volunteers}


def optimal(edges: Sequence[Edge], needed: Mapping[int, int], capacity: Mapping[int, int]) -> Plan:
    """The plan of maximum total score (only edges with a positive score are used)."""
    useful = [
        e
        for e in edges
        if e.score > 0 and needed.get(e.request, 0) > 0 and capacity.get(e.volunteer, 0) > 0
    ]
    if not useful:
        return {}
    requests = sorted({e.request for e in useful})
    volunteers = sorted({e.volunteer for e in useful})
    r_index = {r: 1 + i for i, r in enumerate(requests)}
    v_index = {v: 1 + len(requests) + i for i, v in enumerate(volunteers)}
    source, sink = 0, 1 + len(requests) + len(volunteers)
    top = int(max(e.score for e in useful) * SCALE) + 1
    total = sum(needed[r] for r in requests)

    tails, heads, capacities, costs = [], [], [], []

    def arc(tail: int, head: int, cap: int, cost: int) -> None:
        tails.append(tail)
        heads.append(head)
        capacities.append(cap)
        costs.append(cost)

    for r in requests:
        arc(source, r_index[r], needed[r], 0)
    edge_start = len(tails)
    for e in useful:
        arc(r_index[e.request], v_index[e.volunteer], 1, top - round(e.score * SCALE))
    edge_end = len(tails)
    for v in volunteers:
        arc(v_index[v], sink, capacity[v], 0)
    arc(source, sink, total, top)  # places left unfilled

    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails), np.array(heads), np.array(capacities), np.array(costs)
    )
    supplies = [0] * (sink + 1)
    supplies[source], supplies[sink] = total, -total
    flow.set_nodes_supplies(np.arange(sink + 1), np.array(supplies))
    if flow.solve() != flow.OPTIMAL:
        raise RuntimeError("min-cost flow did not find the optimum")
    plan: Plan = defaultdict(list)
    flows = flow.flows(arcs[edge_start:edge_end])
    for e, used in zip(useful, flows, strict=True):
        if used:
            plan[e.request].append(e.volunteer)
    return dict(plan)


@dataclass(frozen=True)
class Proposal:
    """The day's plan and what it was drawn from: the open requests in priority order and,
    for each, its ranked candidates with the ranking's reasons (`matching.candidates`)."""

    requests: list["HelpRequest"]
    candidates: dict[int, list["Candidate"]]  # request id → candidates, best first
    edges: list[Edge]
    plan: Plan


def day_proposal(day: date, capacity_per_volunteer: int = 1) -> Proposal:
    """The optimal plan for the open requests wanted on `day` (or as soon as possible),
    from each request's top 50 candidates. Nothing is written: the coordinator confirms."""
    from django.db.models import Q

    from dobry.core.clock import start_of_local_day
    from dobry.helprequests.matching import candidates
    from dobry.helprequests.models import HelpRequest

    # the city's day, whatever time zone is active on the thread (a date lookup would not)
    wanted_that_day = Q(
        wanted_from__gte=start_of_local_day(day),
        wanted_from__lt=start_of_local_day(day + timedelta(days=1)),
    )
    requests = list(
        HelpRequest.objects.filter(
            Q(asap=True) | wanted_that_day,
            status__in=(HelpRequest.Status.VERIFIED, HelpRequest.Status.MATCHING),
        ).order_by("-priority", "created_at", "pk")[:500]
    )
    ranked: dict[int, list[Candidate]] = {}
    edges: list[Edge] = []
    needed: dict[int, int] = {}
    for request in requests:
        needed[request.pk] = request.volunteers_needed
        ranked[request.pk] = candidates(request, limit=50)
        for candidate in ranked[request.pk]:
            # priority weighs in, so that urgent requests win a contested volunteer
            edges.append(
                Edge(request.pk, candidate.user.pk, candidate.score + 1 + request.priority)
            )
    capacity = {e.volunteer: capacity_per_volunteer for e in edges}
    return Proposal(requests, ranked, edges, optimal(edges, needed, capacity))
