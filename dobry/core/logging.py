"""Logging pieces named in ``settings.LOGGING``."""

import logging

from django.conf import settings

# The background machinery: the worker (django_tasks, django_tasks_db) and the scheduler
# that enqueues the periodic jobs (dobry.core.schedule), with their child loggers.
TASK_LOGGERS = ("django_tasks", "django_tasks_db", "dobry.core.schedule")


def is_task_logger(name: str) -> bool:
    return any(name == logger or name.startswith(f"{logger}.") for logger in TASK_LOGGERS)


class TaskLogLevelFilter(logging.Filter):
    """Drops the background worker's and the scheduler's records below
    ``settings.DOBRY_TASK_LOG_LEVEL``.

    ``db_worker`` sets its loggers to INFO itself (from ``--verbosity``; 0 would hide
    warnings too), and logs a line per task started and finished; the scheduler logs a
    line per job enqueued: in ``make run`` they push the site address off the screen. A
    filter on the console handler applies whatever level the loggers themselves have.
    Other loggers pass untouched.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not is_task_logger(record.name):
            return True
        return record.levelno >= logging.getLevelName(settings.DOBRY_TASK_LOG_LEVEL)


class ClientErrorFilter(logging.Filter):
    """Answers of 4xx — a 403 (`PermissionDenied`), a 404, the platform's 400 naming a
    parameter, a 405 — are the site working as meant: Django logs them at WARNING, and a
    `PermissionDenied` with its traceback, which filled the ``make run`` console on every
    refused link. On the ``django.request`` logger this lowers them to INFO, one line without
    the traceback (kept when the logger's level shows INFO). 5xx pass as they are: an ERROR
    with the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if not isinstance(status, int) or not 400 <= status < 500:
            return True
        record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
        record.exc_info, record.exc_text = None, None
        return logging.getLogger(record.name).isEnabledFor(logging.INFO)
