"""Shared fixtures. Factories live in each app's tests/factories.py."""

import os
from collections.abc import Callable, Iterator
from datetime import datetime, time
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache, caches
from django.test import Client
from django.utils import translation

from dobry.accounts.tests.factories import UserFactory


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Heavy sweeps (`@pytest.mark.sweep`) run once per `make test`: in its PostgreSQL run.
    On SQLite they are skipped, saying so, unless DOBRY_SWEEPS=1 (docs/development.md)."""
    from django.db import connection

    if connection.vendor == "postgresql" or os.environ.get("DOBRY_SWEEPS") == "1":
        return
    skip = pytest.mark.skip(reason="a heavy sweep: runs on PostgreSQL (DOBRY_SWEEPS=1 here too)")
    for item in items:
        if item.get_closest_marker("sweep"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Uploaded files in a temporary folder; rate limits and caches fresh for each test;
    Russian active — a request in English leaves its language on the thread, and a test
    that calls services directly must not inherit it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOBRY_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    cache.clear()
    caches["pages"].clear()
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def resident(db):
    return UserFactory(first_name="Анна", last_name="Жителева")


@pytest.fixture
def outsider(db):
    return UserFactory(first_name="Пётр", last_name="Посторонний")


@pytest.fixture
def coordinator(db):
    return UserFactory(first_name="Ольга", last_name="Координатор", is_coordinator=True)


@pytest.fixture
def official(db):
    return UserFactory(is_official=True)


@pytest.fixture
def admin_user(db):
    return UserFactory(is_superuser=True, is_staff=True)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def login_as():
    return login


@pytest.fixture
def freeze_now() -> Iterator[Callable[[datetime], None]]:
    """Stop the clock: ``freeze_now(moment)`` makes ``timezone.now()`` (and so the city's
    clock in ``dobry.core.clock``, ``auto_now`` fields and ``timezone.localdate()``) answer
    ``moment`` (aware) until the test ends; call again to move the clock."""
    patcher: list[mock._patch] = []

    def freeze(moment: datetime) -> None:
        assert moment.tzinfo is not None, "freeze_now needs an aware datetime"
        if patcher:
            patcher.pop().stop()
        patcher.append(mock.patch("django.utils.timezone.now", return_value=moment))
        patcher[0].start()

    yield freeze
    if patcher:
        patcher.pop().stop()


@pytest.fixture
def city_daytime(freeze_now) -> None:
    """Hours reported for today never exceed the hours of the city's day that have passed
    (`core.clock.hours_passed_in_day`): a test that reports a few hours of today's help
    and runs in the first hours after the city's midnight would be refused. Then the clock
    is set to noon of the same city day; any other time it runs as it is."""
    from dobry.core.clock import local_moment, local_now

    now = local_now()
    if now.hour < 6:
        freeze_now(local_moment(now.date(), time(12, 0)))
