"""core/locking.py: a lock belongs to a transaction, waits a bounded time, takes keys in order."""

import ast
import threading
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dobry.core.locking import LockTimeout, NotInTransaction, lock_rows, locked
from dobry.core.tests.threads import in_background
from dobry.events.models import Shift
from dobry.events.tests.factories import ShiftFactory

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks and lock_timeout are PostgreSQL's"
)


@pytest.mark.django_db(transaction=True)
def test_a_lock_outside_a_transaction_is_refused():
    shift = ShiftFactory()
    with pytest.raises(NotInTransaction):
        lock_rows(Shift.objects.all(), [shift.pk])


@pytest.mark.django_db(transaction=True)
def test_locked_opens_a_durable_transaction_of_its_own():
    shift = ShiftFactory()
    assert not connection.in_atomic_block
    with locked(Shift.objects.all(), shift.pk) as row:
        assert connection.in_atomic_block
        assert row == shift
        # durable: it is the outermost block, not a savepoint of someone else's
        assert len(connection.atomic_blocks) == 1
        assert connection.atomic_blocks[0].durable
    assert not connection.in_atomic_block


@pytest.mark.django_db(transaction=True)
def test_inside_the_callers_transaction_locked_locks_in_it():
    shift = ShiftFactory()
    with transaction.atomic():
        with locked(Shift.objects.all(), shift.pk) as row:
            assert len(connection.atomic_blocks) == 1  # no savepoint of its own
            assert row.pk == shift.pk
        assert connection.in_atomic_block


@pytest.mark.django_db
def test_keys_are_taken_in_ascending_order_whatever_order_they_are_asked_in():
    first, second, third = ShiftFactory(), ShiftFactory(), ShiftFactory()
    with transaction.atomic():
        rows = lock_rows(Shift.objects.all(), [third.pk, first.pk, second.pk, first.pk])
    assert [row.pk for row in rows] == sorted([first.pk, second.pk, third.pk])


@pytest.mark.django_db
def test_a_missing_key_is_does_not_exist():
    shift = ShiftFactory()
    with transaction.atomic(), pytest.raises(Shift.DoesNotExist):
        lock_rows(Shift.objects.all(), [shift.pk, shift.pk + 1000])


@pytest.mark.django_db
def test_a_lock_timeout_is_a_409_that_says_try_again():
    error = LockTimeout()
    assert error.status == 409
    assert "Попробуйте ещё раз" in error.message


@postgresql_only
@pytest.mark.django_db
def test_on_postgresql_the_lock_is_for_update_with_a_local_lock_timeout(settings):
    settings.DOBRY_LOCK_TIMEOUT_MS = 1234
    shift = ShiftFactory()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        lock_rows(Shift.objects.all(), [shift.pk])
    sql = [query["sql"] for query in queries.captured_queries]
    assert any("SET LOCAL lock_timeout = 1234" in statement for statement in sql)
    assert any("FOR UPDATE" in statement and "ORDER BY" in statement for statement in sql)


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("concurrency")
def test_on_postgresql_a_second_locker_gives_up_after_the_timeout(settings):
    settings.DOBRY_LOCK_TIMEOUT_MS = 200
    shift = ShiftFactory()
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with locked(Shift.objects.all(), shift.pk):
            holding.set()
            release.wait(timeout=30)

    with in_background(hold):
        try:
            assert holding.wait(timeout=30)
            with pytest.raises(LockTimeout), locked(Shift.objects.all(), shift.pk):
                pass
        finally:
            release.set()


def _chain(node: ast.AST) -> list[ast.Call]:
    """The calls of one method chain (`Model.objects.a().b().get()`), outermost first."""
    calls = []
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Call):
            calls.append(node)
            node = node.func
        else:
            node = node.value
    return calls


def _name(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else ""


def test_no_lock_over_a_join_takes_the_joined_rows_too():
    """`select_for_update()` with `select_related` locks every joined row in one statement
    (the registration *and* its shift, a consent code *and* the consent document everyone
    shares), in whatever order the plan reads them — against the parent-first order of the
    rest of the code. Lock the row itself (`lock_rows`, or `select_for_update(of=("self",))`)."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        seen: set[int] = set()
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or id(node) in seen:
                continue
            calls = _chain(node)
            seen.update(id(call) for call in calls)
            names = {_name(call): call for call in calls}
            lock = names.get("select_for_update")
            if lock is None or "select_related" not in names:
                continue
            if not any(keyword.arg == "of" for keyword in lock.keywords):
                offenders.append(f"{path.relative_to(root)}:{lock.lineno}")
    assert offenders == []
