"""Logging pieces named in ``settings.LOGGING``."""

import logging

from django.conf import settings

TASK_LOGGERS = ("django_tasks", "django_tasks_db")


class TaskLogLevelFilter(logging.Filter):
    """Drops the background worker's records below ``settings.DOBRY_TASK_LOG_LEVEL``.

    ``db_worker`` sets its loggers to INFO itself (from ``--verbosity``; 0 would hide
    warnings too), and logs a line per task started and finished: in ``make run`` they
    push the site address off the screen. A filter on the console handler applies
    whatever level the worker's own loggers have. Other loggers pass untouched.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.split(".", 1)[0] not in TASK_LOGGERS:
            return True
        return record.levelno >= logging.getLevelName(settings.DOBRY_TASK_LOG_LEVEL)
