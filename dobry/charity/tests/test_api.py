"""Charity through the API: the same rules as the pages, role by role, with bad input
refused naming the field, and a fixed query count for each list."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
import zxingcpp
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.charity.models import Campaign, Donation, StatementEntry
from dobry.charity.payment_qr import parse_payload
from dobry.charity.tests.factories import (
    ACCOUNT,
    BIC,
    CORRESPONDENT,
    CampaignFactory,
    DonationFactory,
    charity_ready,
    editor_of,
)
from dobry.organizations.models import Organization
from dobry.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"
SAMPLE = (Path(__file__).parent / "data" / "statement-1c.cp1251").read_bytes()


def test_the_public_list_and_a_campaign(client):
    campaign, _editor = charity_ready(title="Коляски")
    CampaignFactory(organization=campaign.organization, status=Campaign.Status.DRAFT)
    DonationFactory(campaign=campaign, amount=Decimal("300"))
    listed = client.get(f"{API}/campaigns").json()
    assert [item["title"] for item in listed["items"]] == ["Коляски"]
    assert listed["items"][0]["received"] == "300.00"
    detail = client.get(f"{API}/campaigns/{campaign.pk}").json()
    assert (detail["code"], detail["donors"], detail["moves"], detail["can_manage"]) == (
        campaign.code, 1, [], False
    )  # fmt: skip


def test_a_draft_is_not_found_by_others(client):
    campaign, editor = charity_ready(status=Campaign.Status.DRAFT)
    assert client.get(f"{API}/campaigns/{campaign.pk}").status_code == 404
    assert login(UserFactory()).get(f"{API}/campaigns/{campaign.pk}").status_code == 404
    assert login(editor).get(f"{API}/campaigns/{campaign.pk}").json()["moves"] == ["publish"]


def test_the_list_has_a_fixed_number_of_queries(client):
    charity_ready()
    with CaptureQueriesContext(connection) as few:
        client.get(f"{API}/campaigns")
    for _ in range(5):
        charity_ready()
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(f"{API}/campaigns").json()["items"]) == 6
    assert len(many) == len(few) <= 4


def test_payment_qr_payload_and_image(client):
    campaign, _editor = charity_ready()
    data = client.get(f"{API}/campaigns/{campaign.pk}/payment-qr?sum=1500,50").json()
    assert data["sum_kopecks"] == 150050
    pairs = parse_payload(data["payload"])
    assert (pairs["Sum"], pairs["BIC"], pairs["CorrespAcc"]) == ("150050", BIC, CORRESPONDENT)
    image = client.get(f"{API}/campaigns/{campaign.pk}/payment-qr?sum=10&format=png")
    assert image["Content-Type"] == "image/png"
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.content)))
    assert parse_payload(found[0].text)["Sum"] == "1000"
    assert (
        client.get(f"{API}/campaigns/{campaign.pk}/payment-qr?format=svg")["Content-Type"]
        == "image/svg+xml"
    )


@pytest.mark.parametrize("query", ["sum=0", "sum=-1", "sum=abc", "sum=1e30", "format=pdf", "sum=٣"])
def test_payment_qr_refuses_bad_values(client, query):
    campaign, _editor = charity_ready()
    assert client.get(f"{API}/campaigns/{campaign.pk}/payment-qr?{query}").status_code == 422


def test_no_qr_for_a_finished_campaign(client):
    campaign, _editor = charity_ready(status=Campaign.Status.FINISHED)
    response = client.get(f"{API}/campaigns/{campaign.pk}/payment-qr")
    assert response.status_code == 422
    assert "Сбор не идёт" in response.json()["message"]


def test_create_edit_and_start_a_campaign_by_its_editor():
    organization = OrganizationFactory()
    editor = login(editor_of(organization))
    body = {"title": "Коляски", "purpose": "Две коляски", "goal": "80000", "deadline": "2100-01-01"}
    created = editor.post(
        f"{API}/organizations/{organization.pk}/campaigns", body, content_type="application/json"
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert (
        editor.patch(
            f"{API}/campaigns/{pk}", {"goal": "90 000,00"}, content_type="application/json"
        ).json()["goal"]
        == "90000.00"
    )
    refused = editor.post(f"{API}/campaigns/{pk}/publish")
    assert refused.status_code == 409
    assert "реквизиты" in refused.json()["message"]
    details = {
        "payee_name": organization.name, "inn": organization.inn, "kpp": "245201001", "account": ACCOUNT,
        "bank_name": "Сбербанк", "bic": BIC, "correspondent_account": CORRESPONDENT,
    }  # fmt: skip
    assert (
        editor.put(
            f"{API}/organizations/{organization.pk}/bank-details",
            details,
            content_type="application/json",
        ).status_code
        == 200
    )
    assert editor.post(f"{API}/campaigns/{pk}/publish").json()["status"] == "active"


@pytest.mark.parametrize("who", ["outsider", "member"])
def test_others_cannot_create_campaigns_or_read_money(who):
    campaign, _editor = charity_ready()
    organization = campaign.organization
    person = UserFactory() if who == "outsider" else editor_of(organization, "member")
    client = login(person)
    body = {"title": "x", "purpose": "y", "goal": "1", "deadline": "2100-01-01"}
    assert (
        client.post(
            f"{API}/organizations/{organization.pk}/campaigns",
            body,
            content_type="application/json",
        ).status_code
        == 403
    )
    for path in ("donations", "statement-entries", "bank-details"):
        assert client.get(f"{API}/organizations/{organization.pk}/{path}").status_code == 403
    assert (
        client.patch(
            f"{API}/campaigns/{campaign.pk}", {"goal": "1"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert client.post(f"{API}/campaigns/{campaign.pk}/finish").status_code == 403


def test_anonymous_gets_401_on_the_desk(client):
    campaign, _editor = charity_ready()
    assert (
        client.get(f"{API}/organizations/{campaign.organization_id}/donations").status_code == 401
    )


def test_an_unverified_organisation_cannot_create_a_campaign():
    organization = OrganizationFactory(status=Organization.Status.PENDING)
    body = {"title": "x", "purpose": "y", "goal": "1", "deadline": "2100-01-01"}
    response = login(editor_of(organization)).post(
        f"{API}/organizations/{organization.pk}/campaigns", body, content_type="application/json"
    )
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("account", ACCOUNT[:-1] + "0"),
        ("correspondent_account", "30101810400000000225"),
        ("bic", "140407627"),
        ("kpp", "12"),
        ("inn", "1234567890"),
    ],
)
def test_bank_details_refused_at_the_field(field, value):
    organization = OrganizationFactory()
    details = {
        "payee_name": organization.name, "inn": organization.inn, "kpp": "245201001", "account": ACCOUNT,
        "bank_name": "Сбербанк", "bic": BIC, "correspondent_account": CORRESPONDENT, field: value,
    }  # fmt: skip
    response = login(editor_of(organization)).put(
        f"{API}/organizations/{organization.pk}/bank-details",
        details,
        content_type="application/json",
    )
    assert response.status_code == 422
    assert field in response.json()["errors"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"goal": "0"}, "goal"),
        ({"goal": "-5"}, "goal"),
        ({"deadline": "2000-01-01"}, "deadline"),
        ({"title": "x\x00y"}, "title"),
        ({"programme": 999999}, "programme"),
        ({"district": "atlantis"}, "district"),
        ({"is_staff": True}, "is_staff"),
    ],
)
def test_bad_campaign_input_is_refused_naming_the_field(body, field):
    organization = OrganizationFactory()
    full = {"title": "Коляски", "purpose": "Две", "goal": "100", "deadline": "2100-01-01", **body}
    response = login(editor_of(organization)).post(
        f"{API}/organizations/{organization.pk}/campaigns", full, content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert not Campaign.objects.exists()


def test_statement_upload_commit_and_queue_by_api():
    campaign, editor = charity_ready()
    client = login(editor)
    content = (
        SAMPLE.decode("cp1251")
        .replace("DG-1-K7QX", "без кода")
        .replace("DG-1.", f"{campaign.code}.")
        .encode("cp1251")
    )
    uploaded = client.post(
        f"{API}/organizations/{campaign.organization_id}/statements",
        {"file": SimpleUploadedFile("k.txt", content)},
    )
    assert uploaded.status_code == 201
    preview = uploaded.json()
    assert [line["campaign_id"] for line in preview["lines"]] == [campaign.pk, None, None]
    assert preview["lines"][1]["suggested_campaign_id"] == campaign.pk
    committed = client.post(f"{API}/statements/{preview['id']}/commit").json()
    assert (committed["status"], committed["lines_read"], committed["matched"]) == (
        "committed",
        3,
        1,
    )
    queue = client.get(f"{API}/organizations/{campaign.organization_id}/statement-entries").json()[
        "items"
    ]
    assert len(queue) == 2
    donation = client.post(
        f"{API}/statement-entries/{queue[0]['id']}/assign",
        {"campaign": None},
        content_type="application/json",
    ).json()
    assert (donation["campaign_id"], donation["amount"]) == (None, "5000.00")
    assert (
        client.post(f"{API}/statement-entries/{queue[1]['id']}/ignore").json()["status"]
        == "ignored"
    )
    assert client.post(f"{API}/statement-entries/{queue[1]['id']}/ignore").status_code == 409
    again = client.post(
        f"{API}/organizations/{campaign.organization_id}/statements",
        {"file": SimpleUploadedFile("k.txt", content)},
    ).json()
    assert all(line["duplicate"] for line in again["lines"])
    assert StatementEntry.objects.count() == 3


def test_an_unreadable_statement_is_a_422_at_the_file():
    campaign, editor = charity_ready()
    response = login(editor).post(
        f"{API}/organizations/{campaign.organization_id}/statements",
        {"file": SimpleUploadedFile("k.pdf", b"%PDF")},
    )
    assert response.status_code == 422
    assert "file" in response.json()["errors"]


def test_manual_donation_links_the_donors_account_by_email():
    campaign, editor = charity_ready()
    donor = UserFactory(email="maria@example.org")
    body = {
        "amount": "700",
        "received_on": "2026-01-15",
        "campaign": campaign.pk,
        "donor_contact": "Maria@Example.org",
    }
    response = login(editor).post(
        f"{API}/organizations/{campaign.organization_id}/donations",
        body,
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["has_account"] is True
    mine = login(donor).get(f"{API}/me/donations").json()["items"]
    assert [(item["amount"], item["campaign_id"]) for item in mine] == [("700.00", campaign.pk)]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"received_on": "2100-01-01"}, "received_on"),
        ({"donor_contact": "не контакт"}, "donor_contact"),
        ({"campaign": 99999999}, "campaign"),
    ],
)
def test_bad_manual_donations_are_refused(body, field):
    campaign, editor = charity_ready()
    full = {"amount": "100", "received_on": "2026-01-15", **body}
    response = login(editor).post(
        f"{API}/organizations/{campaign.organization_id}/donations",
        full,
        content_type="application/json",
    )
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Donation.objects.exists()


def test_the_donations_list_has_a_fixed_number_of_queries():
    campaign, editor = charity_ready()
    client = login(editor)
    url = f"{API}/organizations/{campaign.organization_id}/donations"
    DonationFactory(campaign=campaign)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        DonationFactory(campaign=campaign, donor=UserFactory())
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).json()["items"]) == 11
    assert len(many) == len(few)
