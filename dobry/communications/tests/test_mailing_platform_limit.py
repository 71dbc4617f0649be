"""The provider's limit for the whole platform: every worker of every mailing shares one
count per minute (in the database, or a shared cache); past it they sleep until the next
minute. A fake clock stands in for time."""

import pytest
from django.core.cache import cache

from dobry.communications.mailings import delivery, platform_limit
from dobry.communications.mailings.platform_limit import PlatformLimit
from dobry.communications.models import Delivery, SendingAllowance
from dobry.communications.tests.mailing_factories import scheduled, subscriber

pytestmark = pytest.mark.django_db


class FakeClock:
    def __init__(self, at: float = 6000.0) -> None:
        self.now = at
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_two_workers_share_the_minute_and_wait_for_the_next():
    clock = FakeClock(6000.0 + 10)  # ten seconds into minute 100
    workers = [PlatformLimit(20, clock=clock, sleep=clock.sleep) for _ in range(2)]
    for turn in range(20):
        workers[turn % 2].wait()
    assert clock.slept == []
    assert SendingAllowance.objects.get().used == 20
    workers[0].wait()  # the 21st of the minute
    assert clock.slept == [50.0]
    assert clock.now == 6060.0
    allowance = SendingAllowance.objects.get()
    assert (allowance.minute, allowance.used) == (101, 2)  # a chunk of the new minute


def test_a_worker_asks_the_database_once_per_chunk(django_assert_num_queries):
    clock = FakeClock()
    limit = PlatformLimit(100, clock=clock, sleep=clock.sleep)
    limit.wait()  # takes a tenth of the limit
    with django_assert_num_queries(0):
        for _ in range(9):
            limit.wait()
    assert SendingAllowance.objects.get().used == 10


def test_no_limit_asks_nothing_and_never_sleeps(django_assert_num_queries):
    clock = FakeClock()
    limit = PlatformLimit(0, clock=clock, sleep=clock.sleep)
    with django_assert_num_queries(0):
        for _ in range(1000):
            limit.wait()
    assert clock.slept == []
    assert delivery.Throttle(0, platform=limit).platform is None


def test_the_cache_count_grants_only_what_is_left_under_the_limit():
    cache.clear()
    assert platform_limit.take_from_cache(7, 4, 10) == 4
    assert platform_limit.take_from_cache(7, 4, 10) == 4
    assert platform_limit.take_from_cache(7, 4, 10) == 2
    assert platform_limit.take_from_cache(7, 4, 10) == 0
    assert platform_limit.take_from_cache(8, 4, 10) == 4  # a new minute


def test_only_a_cache_shared_between_machines_holds_the_count(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert not platform_limit.cache_is_shared()
    assert PlatformLimit(10).take is platform_limit.take_from_database
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "x"}
    }
    assert platform_limit.cache_is_shared()
    assert PlatformLimit(10).take is platform_limit.take_from_cache


def test_the_worker_of_a_mailing_keeps_to_the_platform_limit(settings, monkeypatch):
    settings.DOBRY_MAILING_RATE = 0
    settings.DOBRY_MAILING_WORKERS = 1
    settings.DOBRY_MAILING_PLATFORM_PER_MINUTE = 3
    for _ in range(7):
        subscriber()
    clock = FakeClock(6000.0)
    monkeypatch.setattr(
        delivery, "PlatformLimit", lambda: PlatformLimit(clock=clock, sleep=clock.sleep)
    )
    m = scheduled()
    from dobry.communications.mailings import services

    services.mailing_start(m.pk)  # the immediate backend runs the worker
    assert delivery.counts(m)[Delivery.State.SENT] == 7
    assert clock.slept == [60.0, 60.0]  # 3 + 3 + 1 over three minutes


def test_the_per_mailing_rate_and_the_platform_limit_both_apply(monkeypatch):
    clock = FakeClock(6000.0)
    monkeypatch.setattr(delivery.time, "sleep", clock.sleep)
    platform = PlatformLimit(2, clock=clock, sleep=clock.sleep)
    throttle = delivery.Throttle(1, clock=clock, platform=platform)
    for _ in range(3):
        throttle.wait()
    # one a second from the mailing's rate, then the platform's minute is used up
    assert clock.slept == [1.0, 59.0]
    assert SendingAllowance.objects.get().minute == 101


def test_an_allowance_names_its_count_and_minute():
    clock = FakeClock(6000.0)
    PlatformLimit(5, clock=clock, sleep=clock.sleep).wait()
    assert str(SendingAllowance.objects.get()) == "mailings: 1 in minute 100"
