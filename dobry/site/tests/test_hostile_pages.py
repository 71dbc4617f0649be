"""Every page of the site, read from the URL conf through Django, gets hostile values in its
path, its query and its form body, as anonymous and as a coordinator: never a 5xx."""

from collections.abc import Iterator

import pytest
from django import forms
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import get_resolver
from django.utils.module_loading import autodiscover_modules

from dobry.accounts.tests.factories import UserFactory
from dobry.core import task_leases
from dobry.site.testing import EXISTING_TEXT, ID_MODELS, NUMERIC, routes, urls
from dobry.site.tests.hostile import HOSTILE_TEXTS, PARAMETER_NAMES


def _form_field_names() -> set[str]:
    autodiscover_modules("forms", "views")
    names: set[str] = set()
    pending = [forms.BaseForm]
    while pending:
        form_class = pending.pop()
        pending.extend(form_class.__subclasses__())
        if form_class.__module__.startswith("dobry."):
            names.update(getattr(form_class, "base_fields", {}))
    return names


def _mixes() -> int:
    """How many requests carry hostile values per page: every value under every name on
    PostgreSQL (the heavy variant, run once by `make test`), two mixes on SQLite."""
    return len(HOSTILE_TEXTS) if connection.vendor == "postgresql" else 2


def _hostile_bodies(names: list[str]) -> Iterator[dict[str, str]]:
    """Hostile values under every name, mixed: in each request every value appears (there
    are more names than values), and each name gets a different value in each request."""
    count, step = len(HOSTILE_TEXTS), len(HOSTILE_TEXTS) // _mixes()
    for offset in range(_mixes()):
        yield {name: HOSTILE_TEXTS[(offset * step + i) % count] for i, name in enumerate(names)}


def _exception(response: object) -> str:
    info = getattr(response, "exc_info", None)
    return repr(info[1])[:200] if info else ""


def _sweep(user: object | None, method: str, names: list[str]) -> list[str]:
    failures = []
    client = Client(raise_request_exception=False)
    for route in routes(get_resolver()):
        if user is not None:  # again for each route: a POST may have logged out
            client.force_login(user)
        for index, url in enumerate(urls(route)):
            if index and method == "POST":
                break  # ids in the path are read the same way for GET and POST
            bodies = [{}, *_hostile_bodies(names)] if index == 0 else [{}]
            for body in bodies:
                send = client.get if method == "GET" else client.post
                response = send(url, body)
                if response.status_code >= 500:
                    failures.append(f"{method} {url} {_exception(response)}")
    return failures


@pytest.fixture
def seeded(db, settings):
    call_command("seed_passport", stdout=None)
    # a worker alive through the whole sweep, as on a running platform: /health/ answers 503
    # without one, by design
    settings.DOBRY_TASK_LEASE = 24 * 3600
    task_leases.beat("hostile-sweep")


@pytest.mark.sweep
@pytest.mark.django_db
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_no_page_answers_5xx_to_hostile_values_anonymous_or_coordinator(seeded, method):
    names = sorted(set(PARAMETER_NAMES) | _form_field_names())
    coordinator = UserFactory(is_coordinator=True, first_name="Ольга", last_name="Координатор")
    failures = _sweep(None, method, names) + _sweep(coordinator, method, names)
    assert failures == [], "\n".join(failures[:40])


def test_the_sweep_covers_every_id_in_the_url_conf():
    every = list(routes(get_resolver()))
    assert len(every) > 150
    for route in every:
        for name, kind in route.converters:
            assert kind != "int", f"{route.template}: ids in paths use <id:…> (IdConverter)"
            if kind in NUMERIC and name not in EXISTING_TEXT:
                head = route.template.split(f"<{name}>")[0] + f"<{name}>"
                assert head in ID_MODELS, head
