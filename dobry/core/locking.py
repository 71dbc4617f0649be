"""Row locks for anything with a capacity (shift places, rooms, later pledges and votes).

After pretix's rules (`pretix/base/services/locking.py`):

1. A lock belongs to a transaction, so `lock_rows` refuses to run outside one
   (`NotInTransaction`): without a transaction the lock would end at once.
2. Whoever owns the transaction opens it durable: `locked` opens
   `transaction.atomic(durable=True)` when no transaction is open, so the lock is held
   until a real COMMIT — never a savepoint silently released into someone else's
   transaction. Called inside the caller's transaction, it locks in that one (the caller
   owns it and commits it).
3. Waiting is bounded: on PostgreSQL `SET LOCAL lock_timeout` (setting
   `DOBRY_LOCK_TIMEOUT_MS`, default 5000 ms); a wait that runs out raises `LockTimeout`
   (HTTP 409: «try again»), not a hung worker.
4. Keys are taken in one fixed order (primary key, ascending), so two transactions that
   lock the same rows never wait for each other in a circle. Across tables, lock a parent
   before its children (a shift before its registrations, a help request before its
   offers, an application before its reviews) on every path that holds both — an UPDATE
   or DELETE locks its rows too. Only the rows asked for are locked (`of=self`): a lock
   over a join would take the joined parents as well, in whatever order the plan reads.

On SQLite the connection begins every transaction IMMEDIATE (see settings), which takes the
database's write lock at BEGIN: the whole transaction is serialised, SELECT … FOR UPDATE is
not needed there and Django leaves it out.

Keep the locked section short: check eligibility before it, count and write inside it,
notify after it (or enqueue a task, which is one row in the same transaction).
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import OperationalError, models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dobry.core.errors import DomainError

M = TypeVar("M", bound=models.Model)


class NotInTransaction(RuntimeError):
    """A lock was asked for outside a transaction (a programming error, never a 4xx)."""


class LockTimeout(DomainError):
    """Somebody else held the lock longer than the lock timeout."""

    status = 409

    def __init__(self) -> None:
        super().__init__(str(_("Сейчас много одновременных изменений. Попробуйте ещё раз.")))


def _set_lock_timeout(using: str) -> None:
    connection = transaction.get_connection(using)
    if connection.vendor == "postgresql":
        milliseconds = int(getattr(settings, "DOBRY_LOCK_TIMEOUT_MS", 5000))
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {milliseconds}")


def _is_lock_timeout(error: OperationalError) -> bool:
    return getattr(getattr(error, "__cause__", None), "sqlstate", None) == "55P03"


def lock_rows(queryset: QuerySet[M], pks: Iterable[int]) -> list[M]:
    """Lock the rows of `queryset` with these primary keys, in ascending key order, and
    return them in that order (fresh from the database, read after the lock is held).

    Raises `NotInTransaction` outside a transaction, `LockTimeout` when the wait runs out
    (PostgreSQL), `queryset.model.DoesNotExist` when a key is missing.
    """
    using = queryset.db
    if not transaction.get_connection(using).in_atomic_block:
        raise NotInTransaction("lock_rows() must run inside transaction.atomic()")
    keys = sorted(set(pks))
    _set_lock_timeout(using)
    try:
        rows = list(queryset.select_for_update(of=("self",)).filter(pk__in=keys).order_by("pk"))
    except OperationalError as error:
        if _is_lock_timeout(error):
            raise LockTimeout from error
        raise
    if len(rows) != len(keys):
        missing: type[ObjectDoesNotExist] = queryset.model.DoesNotExist  # type: ignore[attr-defined]
        raise missing(f"{queryset.model.__name__}: {keys}")
    return rows


@contextmanager
def locked(queryset: QuerySet[M], pk: int) -> Iterator[M]:
    """A transaction in which nobody else can change the row `pk` of `queryset`.

    Opens a durable transaction when none is open (the usual case: a service called by a
    view, the API or a task); inside the caller's transaction, locks in it.
    """
    if transaction.get_connection(queryset.db).in_atomic_block:
        yield lock_rows(queryset, [pk])[0]
        return
    with transaction.atomic(using=queryset.db, durable=True):
        yield lock_rows(queryset, [pk])[0]
