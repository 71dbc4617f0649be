"""Two tabs of one account rating a finished project at the same instant keep one rating
(the later stars) and show nobody an error. As a negative control, without the
agreement's row lock both look for the account's rating, find none, and one of them hits
the database's unique constraint — a refusal instead of a saved rating. Runs on SQLite
and on PostgreSQL."""

import time
from contextlib import contextmanager

import pytest

from dobry.accounts.tests.factories import UserFactory
from dobry.core.errors import DomainError
from dobry.core.tests.threads import at_once
from dobry.grants.models import ProjectRating
from dobry.grants.services import outcomes
from dobry.grants.tests.outcomes import finished_project

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("concurrency"),
]


def _slow_lookup(monkeypatch):
    """Looking the account's rating up is slowed, as on a busy server, so that without
    the lock both threads look before either has written."""
    found = outcomes._rating_of

    def slow(agreement, actor):
        rating = found(agreement, actor)
        time.sleep(0.3)
        return rating

    monkeypatch.setattr(outcomes, "_rating_of", slow)


def _two_tabs(project, resident):
    return at_once(
        lambda score: outcomes.project_rate(actor=resident, agreement=project, score=score),
        [2, 5],
        timeout=120,
    )


def test_two_tabs_rating_at_once_keep_one_rating(monkeypatch):
    project, resident = finished_project(), UserFactory()
    _slow_lookup(monkeypatch)
    rated, raised = _two_tabs(project, resident)
    assert raised == []
    assert len(rated) == 2
    assert ProjectRating.objects.filter(agreement=project).count() == 1
    # the one row holds the stars of whichever tab wrote last
    assert ProjectRating.objects.get().score == rated[-1].score


def test_without_the_lock_the_second_tab_is_refused_by_the_constraint(monkeypatch):
    @contextmanager
    def unguarded(queryset, pk):
        yield queryset.get(pk=pk)

    project, resident = finished_project(), UserFactory()
    _slow_lookup(monkeypatch)
    monkeypatch.setattr(outcomes, "locked", unguarded)
    rated, raised = _two_tabs(project, resident)
    assert len(rated) == 1
    assert [type(error) for error in raised] == [type(raised[0])]
    assert isinstance(raised[0], DomainError)
    assert raised[0].message == "Вы уже оценили этот проект."
    assert ProjectRating.objects.filter(agreement=project).count() == 1
