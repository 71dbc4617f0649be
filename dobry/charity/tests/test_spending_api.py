"""Spending and public reports by API: the public list (a receipt's address only for those
who may read it), writing by the organisation's editors, the receipt uploaded and published,
the reports; every role, hostile input a 4xx, query budgets of the lists."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.charity.models import SpendingItem
from dobry.charity.services import spending
from dobry.charity.tests.factories import (
    CampaignFactory,
    DonationFactory,
    SpendingItemFactory,
    charity_ready,
    editor_of,
)
from dobry.core.clock import local_today
from dobry.core.models import AuditEntry
from dobry.organizations.models import Membership, Organization

pytestmark = pytest.mark.django_db
API = "/api/v1"
PDF = b"%PDF-1.4 receipt"


def pdf(name: str = "chek.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def world():
    campaign, editor = charity_ready()
    item = spending.spending_create(
        actor=editor,
        organization=campaign.organization,
        campaign=campaign,
        spent_on=local_today(),
        amount=Decimal("1200"),
        description="Тренажёр",
        receipt=pdf(),
    )
    return campaign, editor, item


def _json(client, method, url, body=None):
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, body, content_type="application/json")


# --- reading --------------------------------------------------------------------------------


def test_anyone_lists_a_campaigns_spending_without_the_unpublished_receipt(client, world):
    campaign, editor, item = world
    rows = client.get(f"{API}/spending?campaign={campaign.pk}").json()["items"]
    assert rows == [
        {
            "id": item.pk,
            "organization_id": campaign.organization_id,
            "campaign_id": campaign.pk,
            "spent_on": local_today().isoformat(),
            "amount": "1200.00",
            "purpose": "goods",
            "description": "Тренажёр",
            "has_receipt": True,
            "receipt_published": False,
            "receipt_url": None,
        }
    ]
    own = login(editor).get(f"{API}/spending/{item.pk}").json()
    assert own["receipt_url"] == f"/files/charity.spendingitem.receipt/{item.pk}/"
    spending.spending_publish_receipt(actor=editor, item=item, publish=True)
    assert client.get(f"{API}/spending/{item.pk}").json()["receipt_url"] == own["receipt_url"]


def test_spending_of_an_unverified_organisation_is_hidden_but_from_its_editors(client, world):
    campaign, editor, item = world
    Organization.objects.filter(pk=campaign.organization_id).update(
        status=Organization.Status.PENDING
    )
    assert client.get(f"{API}/spending").json()["items"] == []
    assert client.get(f"{API}/spending/{item.pk}").status_code == 404
    assert login(UserFactory()).get(f"{API}/spending/{item.pk}").status_code == 404
    assert [r["id"] for r in login(editor).get(f"{API}/spending").json()["items"]] == [item.pk]


def test_the_list_filters_by_organisation_and_year(client, world):
    campaign, _editor, item = world
    other = SpendingItemFactory(campaign=charity_ready()[0])
    organization = campaign.organization_id
    ids = [
        r["id"] for r in client.get(f"{API}/spending?organization={organization}").json()["items"]
    ]
    assert ids == [item.pk]
    assert {r["id"] for r in client.get(f"{API}/spending").json()["items"]} == {item.pk, other.pk}
    year = local_today().year
    assert client.get(f"{API}/spending?year={year - 1}").json()["items"] == []


@pytest.mark.parametrize(
    "query",
    [
        "year=0",
        "year=99999",
        "campaign=0",
        "campaign=9223372036854775808",
        "organization=x",
        "page=0",
    ],
)
def test_hostile_filters_are_a_422(client, world, query):
    assert client.get(f"{API}/spending?{query}").status_code == 422


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["anonymous", "editor", "outsider"])
def test_the_list_costs_the_same_for_one_row_and_for_many(client, world, who):
    campaign, editor, _item = world
    person = {"anonymous": None, "editor": editor, "outsider": UserFactory()}[who]
    caller = client if person is None else login(person)
    few = _queries(caller, f"{API}/spending")
    for _ in range(4):
        more, more_editor = charity_ready()
        spending.spending_create(
            actor=more_editor,
            organization=more.organization,
            campaign=more,
            spent_on=local_today(),
            amount=Decimal(5),
            description="x",
            receipt=pdf(),
        )
        SpendingItemFactory(campaign=campaign)
    assert _queries(caller, f"{API}/spending") == few


# --- writing --------------------------------------------------------------------------------

BODY = {"spent_on": "2026-01-10", "amount": "10.50", "description": "Краска", "purpose": "goods"}


def test_the_editor_creates_changes_and_deletes_by_api(world):
    campaign, editor, _item = world
    client = login(editor)
    created = _json(
        client,
        "post",
        f"{API}/organizations/{campaign.organization_id}/spending",
        {**BODY, "spent_on": local_today().isoformat(), "campaign": campaign.pk},
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert created.json()["amount"] == "10.50"
    changed = _json(client, "patch", f"{API}/spending/{pk}", {"amount": "11", "campaign": None})
    assert (changed.json()["amount"], changed.json()["campaign_id"]) == ("11.00", None)
    assert SpendingItem.objects.get(pk=pk).description == "Краска"
    assert client.delete(f"{API}/spending/{pk}").status_code == 204
    assert not SpendingItem.objects.filter(pk=pk).exists()
    actions = list(
        AuditEntry.objects.filter(
            object_type="charity.spendingitem", object_id=str(pk)
        ).values_list("action", flat=True)
    )
    assert sorted(actions) == [
        "charity.spending_create",
        "charity.spending_delete",
        "charity.spending_edit",
    ]


def test_the_editor_uploads_and_publishes_a_receipt(client, world):
    campaign, editor, _item = world
    item = SpendingItemFactory(campaign=campaign)
    editor_client = login(editor)
    uploaded = editor_client.post(f"{API}/spending/{item.pk}/receipt", {"receipt": pdf("akt.pdf")})
    assert uploaded.status_code == 200
    assert uploaded.json()["has_receipt"] is True
    assert client.get(f"{API}/spending/{item.pk}").json()["receipt_url"] is None
    published = editor_client.post(f"{API}/spending/{item.pk}/publish-receipt")
    assert published.json()["receipt_published"] is True
    assert client.get(f"{API}/spending/{item.pk}").json()["receipt_url"]
    hidden = editor_client.post(f"{API}/spending/{item.pk}/unpublish-receipt")
    assert hidden.json()["receipt_published"] is False


def test_publishing_without_a_receipt_is_a_409(world):
    campaign, editor, _item = world
    item = SpendingItemFactory(campaign=campaign)
    assert login(editor).post(f"{API}/spending/{item.pk}/publish-receipt").status_code == 409


def test_a_disguised_receipt_is_a_422(world):
    _campaign, editor, item = world
    fake = SimpleUploadedFile("chek.pdf", b"MZ\x90\x00 program", "application/pdf")
    assert (
        login(editor).post(f"{API}/spending/{item.pk}/receipt", {"receipt": fake}).status_code
        == 422
    )


@pytest.mark.parametrize(
    "body",
    [
        {**BODY, "amount": "0"},
        {**BODY, "amount": "1e400"},
        {**BODY, "amount": "NaN"},
        {**BODY, "spent_on": "2999-01-01"},
        {**BODY, "spent_on": "0001-01-01"},
        {**BODY, "description": ""},
        {**BODY, "description": "x" * 301},
        {**BODY, "description": "a\x00b"},
        {**BODY, "purpose": "bribes"},
        {**BODY, "campaign": 0},
        {**BODY, "campaign": 10**20},
        {**BODY, "unknown": 1},
    ],
    ids=lambda b: repr(b)[-40:],
)
def test_hostile_bodies_are_refused_with_a_4xx(world, body):
    campaign, editor, _item = world
    response = _json(
        login(editor), "post", f"{API}/organizations/{campaign.organization_id}/spending", body
    )
    assert response.status_code in (400, 409, 422), response.content
    assert SpendingItem.objects.count() == 1


def test_a_campaign_of_another_organisation_is_a_422(world):
    campaign, editor, _item = world
    body = {**BODY, "campaign": CampaignFactory().pk}
    url = f"{API}/organizations/{campaign.organization_id}/spending"
    assert _json(login(editor), "post", url, body).status_code == 422


# (method, path, body) of the editors' operations
EDITOR_API = [
    ("post", "/organizations/{org}/spending", {**BODY}),
    ("patch", "/spending/{item}", {"amount": "5"}),
    ("delete", "/spending/{item}", None),
    ("post", "/spending/{item}/publish-receipt", None),
    ("post", "/spending/{item}/unpublish-receipt", None),
]


@pytest.mark.parametrize(("method", "path", "body"), EDITOR_API)
def test_editor_operations_for_each_role(client, world, method, path, body):
    campaign, editor, item = world
    organization = campaign.organization
    ids = {"org": organization.pk, "item": item.pk}
    url = API + path.format(**ids)
    if body is not None and body.get("spent_on"):
        body = {**body, "spent_on": local_today().isoformat()}
    assert _json(client, method, url, body).status_code == 401
    for person in (
        UserFactory(),
        UserFactory(is_coordinator=True),
        editor_of(organization, Membership.Role.MEMBER),
        editor_of(CampaignFactory().organization),
    ):
        assert _json(login(person), method, url, body).status_code == 403, person
    assert _json(login(editor), method, url, body).status_code in (200, 201, 204)


def test_receipt_upload_for_each_role(client, world):
    _campaign, editor, item = world
    url = f"{API}/spending/{item.pk}/receipt"
    assert client.post(url, {"receipt": pdf()}).status_code == 401
    assert login(UserFactory()).post(url, {"receipt": pdf()}).status_code == 403
    assert login(editor).post(url, {"receipt": pdf()}).status_code == 200


# --- reports --------------------------------------------------------------------------------


def test_the_money_report_per_campaign(client, world):
    campaign, _editor, _item = world
    DonationFactory(campaign=campaign, amount=Decimal("5000"))
    DonationFactory(campaign=None, organization=campaign.organization, amount=Decimal("70"))
    report = client.get(f"{API}/organizations/{campaign.organization_id}/money-report").json()
    assert report["total"] == {
        "campaign_id": None,
        "title": "",
        "received": "5070.00",
        "in_kind": "0.00",
        "spent": "1200.00",
    }
    assert report["campaigns"] == [
        {
            "campaign_id": campaign.pk,
            "title": campaign.title,
            "received": "5000.00",
            "in_kind": "0.00",
            "spent": "1200.00",
        },
        {"campaign_id": None, "title": "", "received": "70.00", "in_kind": "0.00", "spent": "0.00"},
    ]


def test_the_yearly_report_by_api(client, world):
    campaign, _editor, _item = world
    DonationFactory(campaign=campaign, amount=Decimal("5000"), donor_key="a")
    year = local_today().year
    report = client.get(f"{API}/organizations/{campaign.organization_id}/yearly-report?year={year}")
    assert report.status_code == 200
    data = report.json()
    assert (data["received_total"], data["spent_total"], data["donors"]) == (
        "5000.00",
        "1200.00",
        1,
    )
    assert data["spending"] == [
        {"purpose": "goods", "label": "товары и оборудование", "amount": "1200.00"}
    ]
    assert [i["receipt_url"] for i in data["spending_items"]] == [None]
    assert data["docx_url"].endswith(f"/report/{year}/?format=docx")


@pytest.mark.parametrize(
    "year", ["0", "1989", "2101", "99999999999999999999", "x", "2026.5", "٢٠٢٥", "\x00"]
)
def test_a_year_out_of_range_is_a_422(client, world, year):
    campaign, _editor, _item = world
    url = f"{API}/organizations/{campaign.organization_id}/yearly-report"
    assert client.get(url, {"year": year}).status_code == 422


def test_a_year_still_to_come_is_a_422_and_last_year_is_the_default(client, world):
    campaign, _editor, _item = world
    url = f"{API}/organizations/{campaign.organization_id}/yearly-report"
    this_year = local_today().year
    refused = client.get(url, {"year": this_year + 1})
    assert refused.status_code == 422
    assert "year" in refused.json()["errors"]
    assert client.get(url).json()["year"] == this_year - 1


def test_reports_of_an_unverified_organisation_are_its_editors_only(client, world):
    campaign, editor, _item = world
    Organization.objects.filter(pk=campaign.organization_id).update(
        status=Organization.Status.PENDING
    )
    year = local_today().year
    for path in ("money-report", f"yearly-report?year={year}"):
        url = f"{API}/organizations/{campaign.organization_id}/{path}"
        assert client.get(url).status_code == 404
        assert login(UserFactory(is_coordinator=True)).get(url).status_code == 404
        assert login(editor).get(url).status_code == 200


def test_the_operations_are_in_the_openapi_schema(client):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    for path in (
        "/api/v1/spending",
        "/api/v1/spending/{pk}",
        "/api/v1/spending/{pk}/receipt",
        "/api/v1/spending/{pk}/publish-receipt",
        "/api/v1/organizations/{organization_pk}/spending",
        "/api/v1/organizations/{organization_pk}/money-report",
        "/api/v1/organizations/{organization_pk}/yearly-report",
    ):
        assert path in paths, path
