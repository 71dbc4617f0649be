"""Hostile bodies for every charity operation that writes: each is refused with a 400/422
naming the field (or the 404 of an object that is not the caller's), nothing is saved, and
nothing is a 500 — huge and negative sums, kopecks that do not fit, control characters,
wrong types, other organisations' ids."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import login
from dobry.charity.models import (
    BankDetails,
    Campaign,
    CampaignUpdate,
    Donation,
    Need,
    Pledge,
    StatementEntry,
    StatementImport,
)
from dobry.charity.tests.factories import (
    ACCOUNT,
    BIC,
    CORRESPONDENT,
    CampaignFactory,
    NeedFactory,
    charity_ready,
    editor_of,
)
from dobry.core.models import AuditEntry
from dobry.events.tests.factories import EventFactory
from dobry.helprequests.tests.factories import ProgrammeFactory
from dobry.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"
JSON = "application/json"
CAMPAIGN = {"title": "Коляски", "purpose": "Две коляски", "goal": "100", "deadline": "2100-01-01"}


def _refused(response, field=None):
    assert response.status_code in (400, 404, 409, 422), response.content
    if field is not None:
        assert field in response.json()["errors"], response.json()


# ---------------------------------------------------------------- campaigns

HOSTILE_CAMPAIGN = [
    ({"goal": "1e20"}, "goal"),
    ({"goal": "99999999999999999999.99"}, "goal"),
    ({"goal": "1000000000.01"}, "goal"),  # over MAX_GOAL
    ({"goal": "0.001"}, "goal"),  # a tenth of a kopeck
    ({"goal": "NaN"}, "goal"),
    ({"goal": "Infinity"}, "goal"),
    ({"goal": "١٠٠"}, "goal"),  # Arabic-Indic digits
    ({"goal": [100]}, "goal"),
    ({"goal": True}, "goal"),
    ({"deadline": "9999-12-31"}, "deadline"),
    ({"deadline": "0001-01-01"}, "deadline"),
    ({"deadline": "2100-02-30"}, "deadline"),
    ({"deadline": 20990101}, "deadline"),
    ({"title": ""}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"title": 12}, "title"),
    ({"purpose": "p" * 301}, "purpose"),
    ({"story": "s" * 100_001}, "story"),
    ({"area": "space"}, "area"),
    ({"district": "../../etc"}, "district"),
    ({"event": 0}, "event"),
    ({"event": 2**63}, "event"),
    ({"cover_alt": "a" * 301}, "cover_alt"),
]


@pytest.mark.parametrize(("body", "field"), HOSTILE_CAMPAIGN)
def test_a_hostile_campaign_is_refused_at_its_field_and_nothing_is_saved(body, field):
    organization = OrganizationFactory()
    response = login(editor_of(organization)).post(
        f"{API}/organizations/{organization.pk}/campaigns", {**CAMPAIGN, **body}, content_type=JSON
    )
    _refused(response, field)
    assert not Campaign.objects.exists()
    assert not AuditEntry.objects.filter(action="charity.campaign_create").exists()


@pytest.mark.parametrize("title", ["Коляски\x07", "Коляски\x1b[31m", "\x00"])
def test_control_characters_in_a_title_are_refused(title):
    organization = OrganizationFactory()
    response = login(editor_of(organization)).post(
        f"{API}/organizations/{organization.pk}/campaigns",
        {**CAMPAIGN, "title": title},
        content_type=JSON,
    )
    _refused(response, "title")
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("raw", [b"{", b"[]", b"null", b'"text"', b"\xff\xfe"])
def test_a_body_that_is_not_an_object_is_refused(raw):
    organization = OrganizationFactory()
    response = login(editor_of(organization)).post(
        f"{API}/organizations/{organization.pk}/campaigns", raw, content_type=JSON
    )
    assert response.status_code in (400, 422)
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("link", ["programme", "event"])
def test_another_organisations_programme_or_event_is_not_linked(link):
    organization = OrganizationFactory()
    foreign = ProgrammeFactory() if link == "programme" else EventFactory()
    response = login(editor_of(organization)).post(
        f"{API}/organizations/{organization.pk}/campaigns",
        {**CAMPAIGN, link: foreign.pk},
        content_type=JSON,
    )
    _refused(response, link)
    assert not Campaign.objects.exists()


def test_a_campaign_for_another_organisation_is_refused_to_its_non_editor():
    mine, foreign = OrganizationFactory(), OrganizationFactory()
    response = login(editor_of(mine)).post(
        f"{API}/organizations/{foreign.pk}/campaigns", CAMPAIGN, content_type=JSON
    )
    assert response.status_code == 403
    assert login(editor_of(mine)).post(
        f"{API}/organizations/{2**40}/campaigns", CAMPAIGN, content_type=JSON
    ).status_code in (404, 422)
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(("body", "field"), [*HOSTILE_CAMPAIGN[:9], ({"title": None}, "title")])
def test_a_hostile_patch_changes_nothing(body, field):
    campaign, editor = charity_ready(title="Коляски", goal=Decimal("5000"))
    response = login(editor).patch(f"{API}/campaigns/{campaign.pk}", body, content_type=JSON)
    _refused(response, field)
    campaign.refresh_from_db()
    assert (campaign.title, campaign.goal) == ("Коляски", Decimal("5000"))


def test_a_patch_may_clear_the_links_but_not_the_deadline():
    campaign, editor = charity_ready(area="social")
    client = login(editor)
    cleared = client.patch(f"{API}/campaigns/{campaign.pk}", {"area": None}, content_type=JSON)
    assert cleared.status_code == 200
    assert cleared.json()["area"] == ""
    refused = client.patch(f"{API}/campaigns/{campaign.pk}", {"deadline": None}, content_type=JSON)
    _refused(refused, "deadline")
    campaign.refresh_from_db()
    assert campaign.deadline is not None


def test_a_patch_of_another_organisations_campaign_is_refused_and_a_draft_not_found():
    campaign, _editor = charity_ready(title="Чужой")
    draft = CampaignFactory(organization=campaign.organization, status=Campaign.Status.DRAFT)
    stranger = login(editor_of(OrganizationFactory()))
    assert (
        stranger.patch(
            f"{API}/campaigns/{campaign.pk}", {"title": "Мой"}, content_type=JSON
        ).status_code
        == 403
    )
    assert (
        stranger.patch(
            f"{API}/campaigns/{draft.pk}", {"title": "Мой"}, content_type=JSON
        ).status_code
        == 404
    )
    campaign.refresh_from_db()
    assert campaign.title == "Чужой"


# ---------------------------------------------------------------- payment QR


@pytest.mark.parametrize(
    "query",
    [
        "sum=0",
        "sum=-5",
        "sum=100000000",  # a kopeck over MAX_SUM_KOPECKS
        "sum=1e30",
        "sum=NaN",
        "sum=0.001",
        "sum=abc",
        "sum=%00",
        "format=gif",
        "format=PNG",
    ],
)
def test_payment_qr_refuses_hostile_queries(client, query):
    campaign, _editor = charity_ready()
    response = client.get(f"{API}/campaigns/{campaign.pk}/payment-qr?{query}")
    assert response.status_code in (400, 422)


def test_the_largest_sum_fits_the_qr_code(client):
    campaign, _editor = charity_ready()
    response = client.get(f"{API}/campaigns/{campaign.pk}/payment-qr?sum=99999999.99")
    assert response.status_code == 200
    assert response.json()["sum_kopecks"] == 9_999_999_999


def test_payment_qr_of_a_draft_is_not_found_and_of_an_unknown_campaign_either(client):
    campaign, _editor = charity_ready(status=Campaign.Status.DRAFT)
    assert client.get(f"{API}/campaigns/{campaign.pk}/payment-qr").status_code == 404
    assert client.get(f"{API}/campaigns/{2**62}/payment-qr").status_code == 404


# ---------------------------------------------------------------- bank details

BANK = {
    "payee_name": "АНО «Добро»",
    "inn": "2452012345",
    "kpp": "245201001",
    "account": ACCOUNT,
    "bank_name": "Сбербанк",
    "bic": BIC,
    "correspondent_account": CORRESPONDENT,
}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"inn": "٢٤٥٢٠١٢٣٤٥"}, "inn"),
        ({"bic": "04040762７"}, "bic"),  # a full-width seven
        ({"account": "4070381033100001234X"}, "account"),
        ({"payee_name": ""}, "payee_name"),
        ({"payee_name": "x" * 161}, "payee_name"),
        ({"bank_name": "x" * 46}, "bank_name"),
        ({"kpp": 245201001}, "kpp"),
        ({"account": None}, "account"),
    ],
)
def test_hostile_bank_details_are_refused_and_none_are_kept(body, field):
    organization = OrganizationFactory()
    response = login(editor_of(organization)).put(
        f"{API}/organizations/{organization.pk}/bank-details",
        {**BANK, "inn": organization.inn, **body},
        content_type=JSON,
    )
    _refused(response, field)
    assert not BankDetails.objects.exists()


def test_a_separator_in_the_payee_name_never_reaches_the_qr_code(client):
    organization = OrganizationFactory()
    editor = login(editor_of(organization))
    saved = editor.put(
        f"{API}/organizations/{organization.pk}/bank-details",
        {**BANK, "inn": organization.inn, "payee_name": "АНО|Sum=1"},
        content_type=JSON,
    )
    assert saved.status_code == 200
    campaign = CampaignFactory(organization=organization)
    payload = client.get(f"{API}/campaigns/{campaign.pk}/payment-qr").json()["payload"]
    assert "|Sum=" not in payload
    assert "|Name=АНО/Sum=1|" in payload


def test_bank_details_are_not_found_before_they_are_set():
    organization = OrganizationFactory()
    response = login(editor_of(organization)).get(
        f"{API}/organizations/{organization.pk}/bank-details"
    )
    assert response.status_code == 404


# ---------------------------------------------------------------- donations

DONATION = {"amount": "100", "received_on": "2026-01-15"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "-100"}, "amount"),
        ({"amount": "0.001"}, "amount"),
        ({"amount": "1000000000000"}, "amount"),  # 13 digits before the point
        ({"amount": "1e15"}, "amount"),
        ({"amount": "NaN"}, "amount"),
        ({"amount": None}, "amount"),
        ({"amount": {"value": 1}}, "amount"),
        ({"received_on": "0001-01-01"}, "received_on"),
        ({"received_on": "15.01.2026"}, "received_on"),
        ({"is_anonymous": "maybe"}, "is_anonymous"),
        ({"donor_name": "x" * 301}, "donor_name"),
        ({"note": "n" * 5000}, "note"),
        ({"campaign": -1}, "campaign"),
        ({"campaign": "DG-1"}, "campaign"),
        ({"recorded_by": 1}, "recorded_by"),
    ],
)
def test_a_hostile_donation_is_refused_and_nothing_is_recorded(body, field):
    campaign, editor = charity_ready()
    response = login(editor).post(
        f"{API}/organizations/{campaign.organization_id}/donations",
        {**DONATION, **body},
        content_type=JSON,
    )
    _refused(response, field)
    assert not Donation.objects.exists()


def test_a_donation_to_another_organisations_campaign_or_a_draft_is_refused():
    campaign, editor = charity_ready()
    foreign = CampaignFactory()
    draft = CampaignFactory(organization=campaign.organization, status=Campaign.Status.DRAFT)
    client = login(editor)
    for target in (foreign, draft):
        response = client.post(
            f"{API}/organizations/{campaign.organization_id}/donations",
            {**DONATION, "campaign": target.pk},
            content_type=JSON,
        )
        _refused(response, "campaign")
    assert not Donation.objects.exists()


def test_the_largest_donation_that_fits_is_recorded_to_the_kopeck():
    campaign, editor = charity_ready()
    response = login(editor).post(
        f"{API}/organizations/{campaign.organization_id}/donations",
        {**DONATION, "amount": "999999999999.99", "campaign": campaign.pk},
        content_type=JSON,
    )
    assert response.status_code == 201
    assert response.json()["amount"] == "999999999999.99"
    assert Donation.objects.get().amount == Decimal("999999999999.99")


# ---------------------------------------------------------------- statements and the queue


def _table_statement(editor, organization):
    content = "Дата;Сумма;Плательщик\n10.11.2026;500,00;Иванов\n".encode()
    response = login(editor).post(
        f"{API}/organizations/{organization.pk}/statements",
        {"file": SimpleUploadedFile("s.csv", content)},
    )
    assert response.status_code == 201
    return response.json()


@pytest.mark.parametrize(
    "mapping",
    [
        {"paid_on": 0, "amount": 7},  # no such column
        {"paid_on": 0, "amount": -1},
        {"paid_on": 0, "amount": 10**9},
        {"paid_on": 0},  # the sum is required
        {"paid_on": "A", "amount": 1},
        {"paid_on": 0, "amount": 1, "colour": 2},
    ],
)
def test_a_hostile_column_mapping_is_refused_and_the_mapping_kept(mapping):
    campaign, editor = charity_ready()
    statement = _table_statement(editor, campaign.organization)
    response = login(editor).put(
        f"{API}/statements/{statement['id']}/mapping", mapping, content_type=JSON
    )
    _refused(response)
    assert StatementImport.objects.get().mapping == statement["mapping"]


def test_a_1c_statement_has_no_columns_to_choose():
    campaign, editor = charity_ready()
    content = (Path(__file__).parent / "data" / "statement-1c.cp1251").read_bytes()
    uploaded = login(editor).post(
        f"{API}/organizations/{campaign.organization_id}/statements",
        {"file": SimpleUploadedFile("k.txt", content)},
    )
    assert uploaded.status_code == 201
    response = login(editor).put(
        f"{API}/statements/{uploaded.json()['id']}/mapping",
        {"paid_on": 0, "amount": 1},
        content_type=JSON,
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("s.csv", b""),
        ("s.csv", b"\x00\x00\x00"),
        ("s.xlsx", b"PK\x03\x04 not a zip"),
        ("s.txt", "1CClientBankExchange\r\nСекцияДокумент=Платежное поручение\r\n".encode()),
        ("s" * 250 + ".csv", b"a;b\n1;2\n"),
        ("s.exe", b"MZ"),
    ],
)
def test_a_hostile_statement_upload_is_refused_at_the_file(name, content):
    campaign, editor = charity_ready()
    response = login(editor).post(
        f"{API}/organizations/{campaign.organization_id}/statements",
        {"file": SimpleUploadedFile(name, content)},
    )
    _refused(response, "file")
    assert not StatementImport.objects.exists()


def test_another_organisations_statement_is_not_found_for_any_operation():
    campaign, editor = charity_ready()
    statement = _table_statement(editor, campaign.organization)
    stranger = login(editor_of(OrganizationFactory()))
    pk = statement["id"]
    assert stranger.get(f"{API}/statements/{pk}").status_code == 404
    assert (
        stranger.put(
            f"{API}/statements/{pk}/mapping", {"paid_on": 0, "amount": 1}, content_type=JSON
        ).status_code
        == 404
    )
    assert stranger.post(f"{API}/statements/{pk}/commit").status_code == 404
    assert stranger.post(f"{API}/statements/{pk}/discard").status_code == 404
    assert StatementImport.objects.get().status == StatementImport.Status.PREVIEW


def _queued_entry(editor, organization):
    statement = _table_statement(editor, organization)
    committed = login(editor).post(f"{API}/statements/{statement['id']}/commit")
    assert committed.status_code == 200
    return StatementEntry.objects.get()


@pytest.mark.parametrize("campaign", ["foreign", "draft", -5, "x", 2**64])
def test_a_queued_payment_is_not_assigned_to_a_campaign_it_may_not_go_to(campaign):
    mine, editor = charity_ready()
    entry = _queued_entry(editor, mine.organization)
    targets = {
        "foreign": CampaignFactory().pk,
        "draft": CampaignFactory(organization=mine.organization, status="draft").pk,
    }
    response = login(editor).post(
        f"{API}/statement-entries/{entry.pk}/assign",
        {"campaign": targets.get(campaign, campaign)},
        content_type=JSON,
    )
    _refused(response, "campaign")
    entry.refresh_from_db()
    assert entry.status == StatementEntry.Status.UNMATCHED
    assert not Donation.objects.exists()


def test_another_organisations_queued_payment_is_not_found():
    mine, editor = charity_ready()
    entry = _queued_entry(editor, mine.organization)
    stranger = login(editor_of(OrganizationFactory()))
    for move in ("assign", "ignore", "restore"):
        response = stranger.post(
            f"{API}/statement-entries/{entry.pk}/{move}", {}, content_type=JSON
        )
        assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.status == StatementEntry.Status.UNMATCHED


# ---------------------------------------------------------------- needs and pledges

NEED = {"title": "Памперсы", "unit": "уп.", "quantity": 10, "deadline": "2100-01-01"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": -3}, "quantity"),
        ({"quantity": 100_001}, "quantity"),
        ({"quantity": 10**30}, "quantity"),
        ({"quantity": 2.5}, "quantity"),
        ({"quantity": "десять"}, "quantity"),
        ({"unit_value": "-1"}, "unit_value"),
        ({"unit_value": "100000000000"}, "unit_value"),
        ({"unit_value": "0.001"}, "unit_value"),
        ({"kind": "money"}, "kind"),
        ({"unit": ""}, "unit"),
        ({"unit": "u" * 21}, "unit"),
        ({"title": "\x00"}, "title"),
        ({"deadline": "2000-01-01"}, "deadline"),
        ({"campaign": 0}, "campaign"),
    ],
)
def test_a_hostile_need_is_refused_and_nothing_is_saved(body, field):
    organization = OrganizationFactory()
    response = login(editor_of(organization)).post(
        f"{API}/organizations/{organization.pk}/needs", {**NEED, **body}, content_type=JSON
    )
    _refused(response, field)
    assert not Need.objects.exists()


def test_a_need_is_not_linked_to_another_organisations_campaign():
    organization = OrganizationFactory()
    response = login(editor_of(organization)).post(
        f"{API}/organizations/{organization.pk}/needs",
        {**NEED, "campaign": CampaignFactory().pk},
        content_type=JSON,
    )
    _refused(response, "campaign")
    assert not Need.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": 10**20}, "quantity"),
        ({"quantity": "1; DROP TABLE"}, "quantity"),
        ({"note": "n" * 5000}, "note"),
        ({"on_behalf": 0}, "on_behalf"),
        ({"pledger": 1}, "pledger"),
    ],
)
def test_a_hostile_pledge_is_refused_and_nothing_is_promised(body, field):
    need = NeedFactory()
    response = login(editor_of(OrganizationFactory())).post(
        f"{API}/needs/{need.pk}/pledges", {"quantity": 1, **body}, content_type=JSON
    )
    _refused(response, field)
    assert not Pledge.objects.exists()


def test_a_pledge_on_behalf_of_an_organisation_the_person_does_not_edit_is_refused():
    need = NeedFactory()
    response = login(editor_of(OrganizationFactory())).post(
        f"{API}/needs/{need.pk}/pledges",
        {"quantity": 1, "on_behalf": OrganizationFactory().pk},
        content_type=JSON,
    )
    _refused(response, "on_behalf")
    # A body field: the summary speaks of the data sent, not of filters (attacker finding).
    assert response.status_code == 422
    assert response.json()["message"] == "Проверьте данные."
    assert not Pledge.objects.exists()


def test_an_update_with_hostile_text_or_photo_is_refused_and_nothing_is_posted():
    campaign, editor = charity_ready()
    client = login(editor)
    url = f"{API}/campaigns/{campaign.pk}/updates"
    assert client.post(url, {"text": ""}).status_code == 422
    assert client.post(url, {"text": "t" * 10_001}).status_code == 422
    fake = SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n not really", content_type="image/png")
    assert client.post(url, {"text": "Купили", "photo": fake, "photo_alt": "x"}).status_code == 422
    assert not CampaignUpdate.objects.exists()
