"""No list costs a query per row (issue 17): every paged API list and every page that lists
rows through `core.request_values.paginate` is read with a short page and with a page of 30
rows, on the demo data plus a generated sample (`generate_data --scale sample`: forty and
more of each kind), as each demo role, and must cost the same number of queries.

What is compared is each statement's count, with its values taken out: a query per row is
one statement repeated more often for 30 rows than for 15. A list may honestly add a
*different* statement as rows grow — the links of a page are resolved once per kind of
object they point to, so a page whose rows point to one more kind reads one more table —
and the short page has 15 rows rather than 1 so that most kinds are already on it.
A list is checked where the role sees 30 rows of it; a floor on how many lists were checked
keeps the sweep from passing by checking nothing, and a negative control proves the measure
sees a query per row.
"""

import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.management import call_command
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver

from dobry.accounts.demo import demo_user
from dobry.accounts.tests.factories import UserFactory
from dobry.charity.models import Campaign, Need
from dobry.civic.models import Initiative, Vote
from dobry.core import request_values
from dobry.festivals.models import Programme as EventProgramme
from dobry.festivals.models import Session
from dobry.grants.models import Agreement, Competition
from dobry.helprequests.models import HelpRequest, Programme
from dobry.organizations.models import Membership, Organization
from dobry.site.testing import routes, seeded_demo, urls

SHORT, LONG = 15, 30
pytestmark = pytest.mark.xdist_group("query-growth")  # one worker seeds once for the module

# Lists under an object: the object with the most rows of the list is read.
PARENTS: dict[str, tuple[type[Model], str]] = {
    "/api/v1/organizations/{pk}/members": (Organization, "memberships"),
    "/api/v1/organizations/{pk}/invitations": (Organization, "invitations"),
    "/api/v1/organizations/{pk}/hours/pending": (Organization, "hours_entries"),
    "/api/v1/help-requests/{pk}/offers": (HelpRequest, "offers"),
    "/api/v1/programmes/{pk}/records": (Programme, "records"),
    "/api/v1/competitions/{pk}/experts": (Competition, "experts"),
    "/api/v1/competitions/{pk}/ranking": (Competition, "applications"),
    "/api/v1/competitions/{pk}/agreements": (Competition, "applications"),
    "/api/v1/grant-projects/{pk}/comments": (Agreement, "comments"),
    "/api/v1/campaigns/{pk}/updates": (Campaign, "updates"),
    "/api/v1/organizations/{organization_pk}/donations": (Organization, "pk"),
    "/api/v1/organizations/{organization_pk}/statement-entries": (Organization, "pk"),
    "/api/v1/needs/{pk}/pledges": (Need, "pledges"),
    "/api/v1/initiatives/{pk}/comments": (Initiative, "comments"),
    "/api/v1/votes/{pk}/voters": (Vote, "pk"),
    "/api/v1/event-programmes/{pk}/tracks": (EventProgramme, "tracks"),
    "/api/v1/event-programmes/{pk}/venues": (EventProgramme, "venues"),
    "/api/v1/event-programmes/{pk}/places": (EventProgramme, "venues"),
    "/api/v1/event-programmes/{pk}/sessions": (EventProgramme, "sessions"),
    "/api/v1/event-programmes/{pk}/my-schedule": (EventProgramme, "sessions"),
    "/api/v1/event-programmes/{pk}/stands": (EventProgramme, "stands"),
    "/api/v1/event-programmes/{pk}/versions": (EventProgramme, "versions"),
    "/api/v1/programme-sessions/{pk}/attendance": (Session, "registrations"),
}


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data and a generated sample, made once for the module. Query counts do not
    depend on the database, and seeding is slow: the sweep runs once, on PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("the query sweep runs once, on PostgreSQL")
    for files in seeded_demo(django_db_blocker, tmp_path_factory):
        with django_db_blocker.unblock():
            call_command("generate_data", "--scale", "sample", "--seed", "7", stdout=None)
        yield files


ROLES = [None, "coordinator@example.org", "official@example.org", "nko@example.org"]


def _clients() -> dict[str, Client]:
    clients = {}
    for email in ROLES:
        clients[email or "anonymous"] = client = Client()
        if email:
            client.force_login(demo_user(email))
    return clients


VALUES = re.compile(r"'(?:[^']|'')*'|(?<![\w\"])-?\d+(?:\.\d+)?(?![\w\"])")
LISTS = re.compile(r"\((?:\s*\?\s*,)+\s*\?\s*\)")


def _statement(sql: str) -> str:
    """The SQL with its values and lists of values replaced by «?»."""
    return LISTS.sub("(?)", VALUES.sub("?", sql))


def _queries(read: Callable[[], Any]) -> tuple[Counter[str], Any]:
    """How often each statement ran while `read` ran, and what it returned."""
    with CaptureQueriesContext(connection) as queries:
        answer = read()
    return Counter(_statement(query["sql"]) for query in queries.captured_queries), answer


def _repeated(short: Counter[str], long: Counter[str]) -> list[str]:
    """The statements run more often for the long page than for the short one."""
    return [
        f"{long[sql]}× for {LONG} rows, {short[sql]}× for {SHORT}: {sql[:200]}"
        for sql in long
        if long[sql] > max(short[sql], 1)
    ]


def _schema_lists() -> Iterator[str]:
    schema = Client().get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation and "page_size" in {p["name"] for p in operation.get("parameters", [])}:
            yield path


def _with_parent(path: str) -> str:
    if "{" not in path:
        return path
    model, rows = PARENTS[path]
    parent = model.objects.annotate(rows=Count(rows)).order_by("-rows", "pk").first()
    name = path[path.index("{") + 1 : path.index("}")]
    return path.replace(f"{{{name}}}", str(parent.pk if parent else 1))


def _api_growth(client: Client, url: str) -> list[str] | None:
    """The statements repeated more for LONG rows than for SHORT (`_repeated`), or None
    where the role sees fewer than LONG rows."""
    short, _answer = _queries(lambda: client.get(url, {"page_size": SHORT}))
    long, answer = _queries(lambda: client.get(url, {"page_size": LONG}))
    if answer.status_code != 200 or len(answer.json()["items"]) < LONG:
        return None
    return _repeated(short, long)


def test_every_paged_api_list_with_a_parent_names_it():
    missing = [path for path in _schema_lists() if "{" in path and path not in PARENTS]
    assert missing == [], "name the parent model and its rows in PARENTS"


@pytest.mark.django_db
def test_no_api_list_costs_a_query_per_row(generated):
    checked, growing = set(), []
    clients = _clients()
    for path in _schema_lists():
        url = _with_parent(path)
        for role, client in clients.items():
            repeated = _api_growth(client, url)
            if repeated is None:
                continue
            checked.add(path)
            growing.extend(f"{url} as {role}: {statement}" for statement in repeated)
    assert growing == [], "\n".join(growing)
    assert len(checked) >= 10, sorted(checked)


class _Sized(Paginator):
    """The project's paginator with the page length the sweep asks for; notes the longest
    list it cut."""

    per_page_override = SHORT
    longest = 0

    def __init__(self, object_list: Any, per_page: int, **kwargs: Any) -> None:
        super().__init__(object_list, _Sized.per_page_override, **kwargs)
        _Sized.longest = max(_Sized.longest, self.count)


@contextmanager
def _page_length(rows: int) -> Iterator[None]:
    _Sized.per_page_override, _Sized.longest = rows, 0
    original = request_values.Paginator
    request_values.Paginator = _Sized
    try:
        yield
    finally:
        request_values.Paginator = original


def _page_growth(client: Client, url: str) -> list[str] | None:
    """As `_api_growth`, for a page that cuts its list with `paginate`."""
    with _page_length(SHORT):
        short, _answer = _queries(lambda: client.get(url))
    with _page_length(LONG):
        long, answer = _queries(lambda: client.get(url))
    if answer.status_code != 200 or _Sized.longest < LONG:
        return None
    return _repeated(short, long)


@pytest.mark.django_db
@pytest.mark.parametrize("email", ROLES, ids=[email or "anonymous" for email in ROLES])
def test_no_page_costs_a_query_per_row(generated, settings, email):
    for name, value in generated.items():
        setattr(settings, name, value)
    client = Client()
    if email:
        client.force_login(demo_user(email))
    checked, growing = [], []
    for route in routes(get_resolver()):
        url = next(urls(route))
        repeated = _page_growth(client, url)
        if repeated is None:
            continue
        checked.append(url)
        growing.extend(f"{url}: {statement}" for statement in repeated)
    assert growing == [], "\n".join(growing)
    assert len(checked) >= 3, checked


def test_the_measure_sees_a_query_per_row(db):
    """Negative control: a list that reads each row's person apart is caught; the same list
    reading them with its rows is not."""
    organization = Organization.objects.create(kind=Organization.Kind.SONKO, name="НКО")
    for n in range(LONG):
        Membership.objects.create(
            organization=organization, user=UserFactory(email=f"m{n}@example.org")
        )

    def emails(rows: int, joined: bool) -> Callable[[], list[str]]:
        members = Membership.objects.select_related("user") if joined else Membership.objects.all()
        return lambda: [member.user.email for member in members.order_by("pk")[:rows]]

    def repeated(joined: bool) -> list[str]:
        return _repeated(_queries(emails(SHORT, joined))[0], _queries(emails(LONG, joined))[0])

    assert repeated(joined=True) == []
    [statement] = repeated(joined=False)
    assert statement.startswith(f"{LONG}× for {LONG} rows, {SHORT}× for {SHORT}:")
    assert 'FROM "accounts_user"' in statement or '"accounts_user"."id"' in statement
