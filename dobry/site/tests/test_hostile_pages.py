"""Every page of the site, read from the URL conf through Django, gets hostile values in its
path, its query and its form body, as anonymous and as a coordinator: never a 5xx."""

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django import forms
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.module_loading import autodiscover_modules

from dobry.accounts.tests.factories import UserFactory
from dobry.site.tests.hostile import HOSTILE_TEXTS, PARAMETER_NAMES

# The model whose rows fill an id in a route, by the route's text before the id.
ID_MODELS = {
    "organizations/<pk>": "organizations.Organization",
    "organizations/<pk>/members/<membership_pk>": "organizations.Membership",
    "organizations/<pk>/invitations/<invitation_pk>": "organizations.Invitation",
    "events/<pk>": "events.Event",
    "events/registrations/<pk>": "events.Registration",
    "events/shifts/<pk>": "events.Shift",
    "volunteer/people/<pk>": "accounts.User",
    "volunteer/certificates/<pk>": "volunteering.HoursEntry",
    "volunteer/organizations/<pk>": "organizations.Organization",
    "volunteer/hours/<pk>": "volunteering.HoursEntry",
    "desk/consultations/<pk>": "resources.Consultation",
    "desk/library/<pk>": "resources.LibraryItem",
    "desk/groups/<pk>": "resources.ProjectGroup",
    "desk/groups/meetings/<pk>": "resources.Meeting",
    "desk/groups/tasks/<pk>": "resources.GroupTask",
    "desk/rooms/<pk>": "resources.Room",
    "desk/rooms/bookings/<pk>": "resources.RoomBooking",
    "help/<pk>": "helprequests.HelpRequest",
    "help/offers/<pk>": "helprequests.HelpOffer",
    "help/programmes/<pk>": "helprequests.Programme",
    "grants/<pk>": "grants.Competition",
    "grants/<pk>/criteria/<criterion_pk>": "grants.Criterion",
    "grants/<pk>/managers/<user_pk>": "accounts.User",
    "grants/<pk>/experts/<expert_pk>": "grants.Expert",
    "grants/reviews/<pk>": "grants.Review",
    "grants/meetings/<pk>": "grants.Meeting",
    "grants/applications/<pk>": "grants.Application",
    "grants/attachments/<pk>": "grants.ApplicationAttachment",
    "grants/assignments/<pk>": "grants.Review",
    "reports/reach/<pk>": "reports.ReachFigure",
    "reports/infrastructure/<pk>": "events.Event",
    "profile/consents/<pk>": "accounts.ConsentRecord",
    "profile/tokens/<pk>": "accounts.ApiToken",
    "notifications/<pk>": "communications.Notification",
    "communications/suppressions/<pk>": "communications.Suppression",
    "news/<pk>": "communications.NewsItem",
    "news/channels/<pk>": "communications.ChannelPost",
    "news/organizations/<pk>": "organizations.Organization",
    "mailings/<pk>": "communications.Mailing",
    "mailings/segments/<pk>": "communications.Segment",
    "events/organizations/<pk>": "organizations.Organization",
    "files/<key>/<pk>": "accounts.User",  # with the key "x": no such file kind, a 404
}
EXISTING_TEXT = {
    "kind": "personal_data",
    "fmt": "csv",
    "token": "x",
    "year": "2026",
    "area": "ecology",
}
NUMERIC = ("int", "id")
HOSTILE_IDS = ("0", "9223372036854775808", "1" * 30)
HOSTILE_PATH_TEXTS = ("'\"<>", "x" * 300, "²", "%00")
SKIPPED = re.compile(r"^(admin/|\^media/|bench/|api/)")  # admin: staff only; API: own sweep


@dataclass(frozen=True)
class Route:
    template: str  # "events/<pk>/edit/"
    converters: tuple[tuple[str, str], ...]  # (name, "int"|"str"|…)


def _routes(resolver: URLResolver, prefix: str = "") -> Iterator[Route]:
    for pattern in resolver.url_patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, text)
        elif isinstance(pattern, URLPattern) and not SKIPPED.match(text):
            converters = tuple(
                (name, type(conv).__name__.removesuffix("Converter").lower())
                for name, conv in pattern.pattern.converters.items()
            )
            yield Route(re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", text), converters)


def _existing_id(route: Route, name: str) -> str:
    if name in EXISTING_TEXT:
        return EXISTING_TEXT[name]
    head = route.template.split(f"<{name}>")[0] + f"<{name}>"
    label = ID_MODELS.get(head)
    assert label, f"add the model behind {head!r} to ID_MODELS"
    pk = apps.get_model(label).objects.order_by("pk").values_list("pk", flat=True).first()
    return str(pk or 1)


def _urls(route: Route) -> Iterator[str]:
    """The route with existing objects, then with each hostile value in each place."""
    existing = {
        name: _existing_id(route, name) if kind in NUMERIC else EXISTING_TEXT.get(name, "x")
        for name, kind in route.converters
    }

    def build(values: dict[str, str]) -> str:
        url = "/" + route.template
        for name, value in values.items():
            url = url.replace(f"<{name}>", value)
        return url

    yield build(existing)
    for name, kind in route.converters:
        for value in HOSTILE_IDS if kind in NUMERIC else HOSTILE_PATH_TEXTS:
            yield build({**existing, name: value})


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
    for route in _routes(get_resolver()):
        if user is not None:  # again for each route: a POST may have logged out
            client.force_login(user)
        for index, url in enumerate(_urls(route)):
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
def seeded(db):
    call_command("seed_passport", stdout=None)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_no_page_answers_5xx_to_hostile_values_anonymous_or_coordinator(seeded, method):
    names = sorted(set(PARAMETER_NAMES) | _form_field_names())
    coordinator = UserFactory(is_coordinator=True, first_name="Ольга", last_name="Координатор")
    failures = _sweep(None, method, names) + _sweep(coordinator, method, names)
    assert failures == [], "\n".join(failures[:40])


def test_the_sweep_covers_every_id_in_the_url_conf():
    routes = list(_routes(get_resolver()))
    assert len(routes) > 150
    for route in routes:
        for name, kind in route.converters:
            assert kind != "int", f"{route.template}: ids in paths use <id:…> (IdConverter)"
            if kind in NUMERIC and name not in EXISTING_TEXT:
                head = route.template.split(f"<{name}>")[0] + f"<{name}>"
                assert head in ID_MODELS, head
