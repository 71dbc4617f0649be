"""Pledges never promise more than a need asks for, even when many arrive at once: 20
people pledge 1 unit each to a need of 8 at the same instant — exactly 8 pledges are taken
and 12 refused with how many remain. As a negative control, the same race without the
need's lock over-promises. Runs on SQLite and on PostgreSQL."""

import time
from contextlib import contextmanager

import pytest

from dobry.accounts.tests.factories import UserFactory
from dobry.charity.models import Need, Pledge
from dobry.charity.services import needs
from dobry.charity.tests.factories import NeedFactory
from dobry.core.errors import DomainError
from dobry.core.tests.threads import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("concurrency"),
]
PEOPLE = 20
QUANTITY = 8


def race(monkeypatch) -> tuple[Need, list[str]]:
    """Every person pledges one unit at once; counting what is promised is slowed, as on a
    busy server, so that without the lock every thread counts before any has written."""
    counted = needs.promised

    def slow_promised(need):
        found = counted(need)
        time.sleep(0.2)
        return found

    monkeypatch.setattr(needs, "promised", slow_promised)
    need = NeedFactory(quantity=QUANTITY)
    people = [UserFactory() for _ in range(PEOPLE)]

    def give(person):
        return needs.pledge_create(actor=person, need=need, quantity=1)

    taken, raised = at_once(give, people, timeout=120)
    refusals = [error.message for error in raised if isinstance(error, DomainError)]
    assert len(taken) + len(refusals) == PEOPLE, raised  # a crash fails the test
    return need, ["taken"] * len(taken) + refusals


def test_concurrent_pledges_never_exceed_the_need(monkeypatch):
    need, outcomes = race(monkeypatch)
    assert outcomes.count("taken") == QUANTITY
    assert set(outcomes) - {"taken"} == {"Осталось собрать: 0 (шт.). Уменьшите количество."}
    assert Pledge.objects.filter(need=need).count() == QUANTITY


def test_without_the_lock_the_same_race_over_promises(monkeypatch):
    @contextmanager
    def unguarded(queryset, pk):
        yield queryset.get(pk=pk)

    monkeypatch.setattr(needs, "locked", unguarded)
    need, outcomes = race(monkeypatch)
    assert outcomes.count("taken") > QUANTITY
    assert Pledge.objects.filter(need=need).count() > QUANTITY
