"""The reports' computed parts, kept per language and period so that the dashboard is fast
at region scale: a day for a closed period, DOBRY_REPORTS_CACHE_SECONDS for an open one.
Anything staff enter for the reports calls `forget()`, so their change shows at once;
recomputation after correcting old records calls `forget(records=True)`, which drops the
parts read from the records alone too."""

import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from dobry.core.clock import local_today
from dobry.reports.periods import Period

T = TypeVar("T")
VERSION_KEY = "reports:version"
RECORDS_VERSION_KEY = "reports:records-version"
CLOSED_PERIOD_SECONDS = 24 * 3600  # a closed period changes only when old records do


def _key(name: str, period: Period, staff_entered: bool) -> str:
    versions = VERSION_KEY if staff_entered else RECORDS_VERSION_KEY
    version = f"{versions}:{cache.get_or_set(versions, 0)}"
    return f"{version}:{name}:{get_language()}:{period.kind}:{period.start}:{period.end}"


def cached(
    name: str,
    period: Period,
    compute: Callable[[], T],
    *,
    fresh: bool = False,
    staff_entered: bool = True,
) -> T:
    """`compute()`'s value for the period, from the cache when kept there; `fresh`
    recomputes (the warming job). A part that reads nothing staff enter for the reports
    (targets, reach, infrastructure tags) says `staff_entered=False` and is not forgotten
    on their entries: the heaviest one, the hours, is then not recomputed for each."""
    key = _key(name, period, staff_entered)
    value = None if fresh else cache.get(key)
    if value is None:
        value = compute()
        closed = period.end < local_today()
        cache.set(
            key, value, CLOSED_PERIOD_SECONDS if closed else settings.DOBRY_REPORTS_CACHE_SECONDS
        )
    return value


def forget(*, records: bool = False) -> None:
    cache.set(VERSION_KEY, time.time_ns(), None)
    if records:
        cache.set(RECORDS_VERSION_KEY, time.time_ns(), None)
