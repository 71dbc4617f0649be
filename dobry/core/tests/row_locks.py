"""Which tables a piece of code locks, in which order — on SQLite too, where Django leaves
FOR UPDATE out of the SQL: every statement that takes row locks (a SELECT … FOR UPDATE,
an UPDATE, a DELETE) is recorded from the query it was compiled from."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import models
from django.db.models.sql import compiler


@contextmanager
def row_locks() -> Iterator[list[type[models.Model]]]:
    """Yield the list of models whose rows each statement locked, in the order run."""
    taken: list[type[models.Model]] = []
    plain = compiler.SQLCompiler.execute_sql
    writes = (compiler.SQLUpdateCompiler, compiler.SQLDeleteCompiler)

    def execute_sql(self, *args, **kwargs):
        if self.query.select_for_update or isinstance(self, writes):
            taken.append(self.query.model)
        return plain(self, *args, **kwargs)

    compiler.SQLCompiler.execute_sql = execute_sql
    try:
        yield taken
    finally:
        compiler.SQLCompiler.execute_sql = plain


def first_lock(taken: list[type[models.Model]], model: type[models.Model]) -> int:
    """Where the first lock on `model` came in `taken` (a failure when none did)."""
    assert model in taken, f"{model.__name__} was never locked: {[m.__name__ for m in taken]}"
    return taken.index(model)
