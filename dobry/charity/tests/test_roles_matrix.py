"""Every charity operation of the API and every desk page, for each role: anonymous (401
in the API, the login page on pages), an outsider and a plain member (403 — or 404 where
the object itself is not theirs to see), the organisation's editor (allowed). One table,
so a new endpoint without its rule shows here."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.charity.models import Campaign, Need, StatementEntry
from dobry.charity.services import needs, statements
from dobry.charity.tests.factories import NeedFactory, charity_ready, editor_of
from dobry.organizations.models import Membership

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def world():
    campaign, editor = charity_ready()
    organization = campaign.organization
    draft = Campaign.objects.create(
        organization=organization, title="Черновик", purpose="x", goal=Decimal(1),
        deadline=campaign.deadline,
    )  # fmt: skip
    need = NeedFactory(organization=organization)
    pledge = needs.pledge_create(actor=UserFactory(), need=need, quantity=1)
    content = "Дата;Сумма;Плательщик\n10.11.2026;700;Петров\n".encode()
    statement = statements.statement_upload(
        actor=editor, organization=organization, upload=SimpleUploadedFile("v.csv", content)
    )
    committed = statements.statement_upload(
        actor=editor,
        organization=organization,
        upload=SimpleUploadedFile("w.csv", "Дата;Сумма\n11.11.2026;50\n".encode()),
    )
    statements.statement_commit(actor=editor, statement=committed)
    entry = StatementEntry.objects.get()
    ids = {
        "org": organization.pk, "campaign": campaign.pk, "draft": draft.pk, "need": need.pk,
        "pledge": pledge.pk, "statement": statement.pk, "entry": entry.pk,
    }  # fmt: skip
    return ids, editor


# (method, path, body): operations for the organisation's editors only
EDITOR_API = [
    ("get", "/organizations/{org}/donations", None),
    ("get", "/organizations/{org}/statement-entries", None),
    ("get", "/organizations/{org}/bank-details", None),
    ("get", "/needs/{need}/pledges", None),
    ("post", "/organizations/{org}/donations", {"amount": "10", "received_on": "2026-01-10"}),
    (
        "post",
        "/organizations/{org}/needs",
        {"title": "x", "unit": "шт.", "quantity": 1, "deadline": "2100-01-01"},
    ),
    (
        "post",
        "/organizations/{org}/campaigns",
        {"title": "x", "purpose": "y", "goal": "1", "deadline": "2100-01-01"},
    ),
    ("patch", "/campaigns/{campaign}", {"goal": "5"}),
    ("post", "/campaigns/{campaign}/finish", None),
    ("post", "/needs/{need}/close", None),
]
# objects an outsider may not even see: 404 rather than 403
HIDDEN_API = [
    ("get", "/statements/{statement}", None),
    ("post", "/statements/{statement}/commit", None),
    ("post", "/statement-entries/{entry}/ignore", None),
    ("get", "/campaigns/{draft}", None),
    ("post", "/pledges/{pledge}/receive", None),  # someone else's pledge
]


def _call(client, method, path, body, ids):
    url = API + path.format(**ids)
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, body, content_type="application/json")


@pytest.mark.parametrize(("method", "path", "body"), EDITOR_API + HIDDEN_API)
def test_anonymous_is_asked_to_sign_in(client, world, method, path, body):
    ids, _editor = world
    expected = 404 if path == "/campaigns/{draft}" else 401
    assert _call(client, method, path, body, ids).status_code == expected


@pytest.mark.parametrize("who", ["outsider", "member"])
@pytest.mark.parametrize(("method", "path", "body"), EDITOR_API)
def test_outsiders_and_members_are_refused(world, who, method, path, body):
    ids, editor = world
    organization = editor.memberships.first().organization
    person = UserFactory() if who == "outsider" else editor_of(organization, Membership.Role.MEMBER)
    assert _call(login(person), method, path, body, ids).status_code == 403


@pytest.mark.parametrize(("method", "path", "body"), HIDDEN_API)
def test_what_outsiders_may_not_see_is_not_found(world, method, path, body):
    ids, _editor = world
    assert _call(login(UserFactory()), method, path, body, ids).status_code == 404


@pytest.mark.parametrize(("method", "path", "body"), EDITOR_API + HIDDEN_API)
def test_the_editor_may(world, method, path, body):
    ids, editor = world
    assert _call(login(editor), method, path, body, ids).status_code in (200, 201)


@pytest.mark.parametrize(
    "path",
    [
        "/donate/organization/{org}/",
        "/donate/organization/{org}/bank/",
        "/donate/organization/{org}/new/",
        "/donate/organization/{org}/needs/new/",
        "/donate/organization/{org}/donations/",
        "/donate/organization/{org}/statements/",
        "/donate/organization/{org}/queue/",
        "/donate/{campaign}/edit/",
        "/donate/needs/{need}/edit/",
    ],
)
def test_desk_pages_for_each_role(client, world, path):
    ids, editor = world
    url = path.format(**ids)
    assert client.get(url).status_code == 302
    assert login(UserFactory()).get(url).status_code == 403
    assert login(editor).get(url).status_code == 200


def test_the_pledger_cancels_their_own_pledge_by_api_and_nobody_else_can(world):
    ids, _editor = world
    need = Need.objects.get(pk=ids["need"])
    pledge = need.pledges.get()
    assert login(UserFactory()).post(f"{API}/pledges/{pledge.pk}/cancel").status_code == 404
    assert (
        login(pledge.pledger).post(f"{API}/pledges/{pledge.pk}/cancel").json()["status"]
        == "cancelled"
    )
