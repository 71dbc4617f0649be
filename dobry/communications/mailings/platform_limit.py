"""The mail provider's limit for the whole platform: at most
`DOBRY_MAILING_PLATFORM_PER_MINUTE` messages in any calendar minute, over every worker of
every mailing on every machine.

The count of the current minute is shared: a row of `SendingAllowance` updated under a row
lock, or — when the cache is shared between machines (Redis, Memcached, the database
cache) — an atomic `incr` of a key per minute. A worker takes a few sends at a time (a
tenth of the limit, at least one), so it asks once per several messages, not per message;
what it took and did not use is lost for that minute only. When the minute is used up it
sleeps until the next one. The per-mailing throttle (`delivery.Throttle`) still applies
beside it."""

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from dobry.communications.models import SendingAllowance

NAME = "mailings"
SHARED_CACHES = ("redis", "memcache", "db.DatabaseCache")


def _minute(now: float) -> int:
    return int(now // 60)


def take_from_database(minute: int, wanted: int, limit: int) -> int:
    """Take up to `wanted` sends of `minute` from the shared row; returns how many."""
    with transaction.atomic():
        allowance, _created = SendingAllowance.objects.select_for_update().get_or_create(name=NAME)
        if allowance.minute != minute:
            allowance.minute, allowance.used = minute, 0
        granted = max(0, min(wanted, limit - allowance.used))
        allowance.used += granted
        allowance.save(update_fields=["minute", "used"])
    return granted


def take_from_cache(minute: int, wanted: int, limit: int) -> int:
    """The same with a shared cache: `incr` is atomic; a count past the limit grants the
    part still under it."""
    key = f"dobry:mailings:sent:{minute}"
    cache.add(key, 0, timeout=180)
    try:
        after = cache.incr(key, wanted)
    except ValueError:  # the key expired between add and incr
        cache.add(key, wanted, timeout=180)
        after = wanted
    return max(0, min(wanted, limit - (after - wanted)))


def cache_is_shared() -> bool:
    backend = str(settings.CACHES.get("default", {}).get("BACKEND", ""))
    return any(name in backend for name in SHARED_CACHES)


class PlatformLimit:
    """One worker's side of the platform's limit: `wait()` before each message."""

    def __init__(
        self,
        per_minute: int | None = None,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        take: Callable[[int, int, int], int] | None = None,
    ) -> None:
        self.per_minute = (
            settings.DOBRY_MAILING_PLATFORM_PER_MINUTE if per_minute is None else per_minute
        )
        self.clock, self.sleep = clock, sleep
        self.take = take or (take_from_cache if cache_is_shared() else take_from_database)
        self.chunk = max(1, self.per_minute // 10)
        self.left = 0
        self.minute = -1

    def wait(self) -> None:
        """Return when this worker may hand one more message to the provider."""
        if not self.per_minute:
            return
        while True:
            minute = _minute(self.clock())
            if minute != self.minute:  # what was taken for an earlier minute is gone
                self.minute, self.left = minute, 0
            if not self.left:
                self.left = self.take(minute, self.chunk, self.per_minute)
            if self.left:
                self.left -= 1
                return
            self.sleep(max((minute + 1) * 60 - self.clock(), 0.01))
