"""What the site's sweeps of every page share (test support, not a test module): the walk
of the URL conf with an existing object in each id and hostile values in each place
(`routes`, `urls`), the view a path resolves to (`view_name`), and the demo data seeded
once for a module of sweeps (`seeded_demo`).

Used by `site/tests/test_hostile_pages.py`, `site/tests/test_nul_in_forms.py` and
`core/tests/test_links_lead_somewhere.py`; a route with a new id names its model in
`ID_MODELS` here."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.core.management import call_command
from django.test import override_settings
from django.urls import Resolver404, URLPattern, URLResolver, resolve

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
    "grants/calls/<pk>": "opportunities.Opportunity",
    "grants/<pk>": "grants.Competition",
    "grants/<pk>/criteria/<criterion_pk>": "grants.Criterion",
    "grants/<pk>/managers/<user_pk>": "accounts.User",
    "grants/<pk>/experts/<expert_pk>": "grants.Expert",
    "grants/reviews/<pk>": "grants.Review",
    "grants/meetings/<pk>": "grants.Meeting",
    "grants/applications/<pk>": "grants.Application",
    "grants/attachments/<pk>": "grants.ApplicationAttachment",
    "grants/assignments/<pk>": "grants.Review",
    "grants/calendar/days/<pk>": "grants.WorkCalendarDay",
    "grants/agreements/<pk>": "grants.Agreement",
    "grants/tranches/<pk>": "grants.Tranche",
    "grants/amendments/<pk>": "grants.Amendment",
    "grants/reports/<pk>": "grants.GrantReport",
    "grants/report-files/<pk>": "grants.ReportFile",
    "grants/projects/<pk>": "grants.Agreement",
    "grants/project-comments/<pk>": "grants.ProjectComment",
    "grants/project-photos/<pk>": "grants.ProjectPhoto",
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
    "donate/<pk>": "charity.Campaign",
    "donate/mine/<pk>": "charity.Donation",
    "donate/mine/pledges/<pk>": "charity.Pledge",
    "donate/organization/<organization_pk>": "organizations.Organization",
    "donate/statements/<pk>": "charity.StatementImport",
    "donate/entries/<pk>": "charity.StatementEntry",
    "donate/needs/<pk>": "charity.Need",
    "donate/pledges/<pk>": "charity.Pledge",
    "donate/spending/<pk>": "charity.SpendingItem",
    "initiatives/<pk>": "civic.Initiative",
    "initiatives/links/<pk>": "civic.InitiativeLink",
    "initiatives/comments/<pk>": "civic.Comment",
    "votes/<pk>": "civic.Vote",
    "votes/options/<pk>": "civic.VoteOption",
    "programme/<pk>": "festivals.Programme",
    "programme/sessions/<pk>": "festivals.Session",
    "programme/stands/<pk>": "festivals.StandApplication",
    "programme/tracks/<pk>": "festivals.Track",
    "programme/venues/<pk>": "festivals.Venue",
    "programme/places/<pk>": "festivals.StandPlace",
    "programme/speakers/<pk>": "festivals.Speaker",
    "programme/registrations/<pk>": "festivals.SessionRegistration",
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


def routes(resolver: URLResolver, prefix: str = "") -> Iterator[Route]:
    for pattern in resolver.url_patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern, text)
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


def urls(route: Route) -> Iterator[str]:
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


def view_name(path: str) -> str | None:
    """The name of the view `path` resolves to (its query ignored), None for no view."""
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def seeded_demo(django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[dict[str, Path]]:
    """For a module-scoped fixture: the demo data seeded once (`seed_passport`), its
    uploaded files in a folder of the module's own (the per-test folders of conftest do not
    exist yet here); yields the settings that point at those files, then empties the
    database."""
    folder = tmp_path_factory.mktemp("demo")
    files = {"MEDIA_ROOT": folder / "media", "DOBRY_PRIVATE_MEDIA_ROOT": folder / "private"}
    with django_db_blocker.unblock(), override_settings(**files):
        call_command("seed_passport")
    yield files
    with django_db_blocker.unblock():
        call_command("flush", interactive=False)
