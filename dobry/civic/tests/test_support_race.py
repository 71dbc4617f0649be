"""Supports arriving at the same instant: one account pressing «support» in many tabs
keeps one support, and many residents crossing the threshold together tell the resource
centre once. As a negative control, without the initiative's lock the threshold is
announced more than once. Runs on SQLite and on PostgreSQL."""

import time
from contextlib import contextmanager

import pytest

from dobry.accounts.tests.factories import UserFactory
from dobry.civic.models import Initiative, Support
from dobry.civic.services import people
from dobry.civic.tests.factories import InitiativeFactory, coordinator
from dobry.communications.models import Notification
from dobry.core.errors import DomainError
from dobry.core.tests.threads import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("concurrency"),
]
PEOPLE = 12
THRESHOLD = 5


def _slow_count(monkeypatch):
    """Counting supports is slowed, as on a busy server, so that without the lock every
    thread counts before any has written."""
    counted = people.support_count

    def slow(initiative):
        found = counted(initiative)
        time.sleep(0.2)
        return found

    monkeypatch.setattr(people, "support_count", slow)


def test_one_account_supporting_in_many_tabs_at_once_keeps_one_support():
    initiative = InitiativeFactory()
    resident = UserFactory()
    taken, raised = at_once(
        lambda _n: people.support_add(actor=resident, initiative=initiative), range(8), timeout=120
    )
    refusals = [e for e in raised if isinstance(e, DomainError)]
    assert len(taken) == 1
    assert len(refusals) == 7, raised
    assert {e.message for e in refusals} == {"Вы уже поддержали эту инициативу."}
    assert Support.objects.filter(initiative=initiative).count() == 1


def _crowd(monkeypatch, settings):
    settings.DOBRY_INITIATIVE_SUPPORT_THRESHOLD = THRESHOLD
    _slow_count(monkeypatch)
    coordinator()
    initiative = InitiativeFactory()
    crowd = [UserFactory() for _ in range(PEOPLE)]
    taken, raised = at_once(
        lambda person: people.support_add(actor=person, initiative=initiative), crowd, timeout=120
    )
    assert len(taken) == PEOPLE, raised
    return initiative


def test_a_crowd_crossing_the_threshold_tells_the_centre_once(monkeypatch, settings):
    initiative = _crowd(monkeypatch, settings)
    assert Notification.objects.filter(kind="initiative_threshold").count() == 1
    assert Initiative.objects.get(pk=initiative.pk).threshold_reached_at is not None


def test_without_the_lock_the_same_crowd_announces_the_threshold_again(monkeypatch, settings):
    @contextmanager
    def unguarded(queryset, pk):
        yield queryset.get(pk=pk)

    monkeypatch.setattr(people, "locked", unguarded)
    _crowd(monkeypatch, settings)
    assert Notification.objects.filter(kind="initiative_threshold").count() > 1
