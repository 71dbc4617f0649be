"""`manage.py run_worker`: django-tasks-db's `db_worker` (same options) that shows it is
alive, so that the tasks of a worker that died are taken over (dobry.core.task_leases)."""

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorker

from dobry.core.task_leases import Beating


class Command(DbWorker):
    help = (
        "Run a background worker (django-tasks-db's db_worker) with a lease: while it runs "
        "it writes a sign of life, and the tasks of a worker that died are run by another."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        beating = Beating(options["worker_id"])
        beating.start()
        try:
            super().handle(*args, **options)
        finally:
            beating.stop()
