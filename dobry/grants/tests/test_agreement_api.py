"""The agreements' API: every role on every operation, the whole path (prepare → sign →
tranche requested and paid → amendment proposed and approved or rejected), hostile bodies
(a 4xx, never a 500) and the list's query budget."""

import json
from datetime import timedelta

import pytest
from django.test import Client

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.grants.models import Agreement, Amendment, Tranche
from dobry.grants.services import agreements
from dobry.grants.tests.agreements import (
    decided_winner,
    draft_agreement,
    grantee_of,
    scan,
    signed_agreement,
)
from dobry.grants.tests.factories import complete_content

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _post(client: Client, url: str, body: object = None):
    return client.post(f"{API}{url}", json.dumps(body or {}), content_type="application/json")


def test_the_organiser_prepares_lists_and_reads_agreements(official):
    competition, application = decided_winner(official)
    client = login(official)
    made = _post(client, f"/competitions/{competition.pk}/agreements")
    assert made.status_code == 201
    [row] = made.json()
    assert row["number"] == f"С-{application.number}"
    assert row["amount"] == "100000.00"
    listed = client.get(f"{API}/competitions/{competition.pk}/agreements")
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()["items"]] == [row["id"]]
    detail = client.get(f"{API}/agreements/{row['id']}").json()
    assert detail["status"] == "draft"
    assert detail["lines"][0]["item"] == "Чай и канцелярия"
    assert detail["reports_due"][0]["kind"] == "final"
    assert detail["versions"][0]["version"] == 1
    assert detail["has_signed_scan"] is False


def test_only_the_organisers_list_and_prepare(official):
    competition, application = decided_winner(official)
    for client, status in (
        (Client(), 401),
        (login(UserFactory()), 403),
        (login(grantee_of(application)), 403),
    ):
        assert client.get(f"{API}/competitions/{competition.pk}/agreements").status_code == status
        assert _post(client, f"/competitions/{competition.pk}/agreements").status_code == status
    assert not Agreement.objects.exists()


def test_who_reads_an_agreement(official):
    agreement = draft_agreement(official)
    url = f"{API}/agreements/{agreement.pk}"
    assert Client().get(url).status_code == 401
    assert login(UserFactory()).get(url).status_code == 404
    assert login(UserFactory(is_coordinator=True)).get(url).status_code == 404
    assert login(grantee_of(agreement.application)).get(url).status_code == 200
    assert login(official).get(url).status_code == 200
    assert login(official).get(f"{API}/agreements/999999").status_code == 404


def test_the_signing_through_the_api_is_multipart_and_the_organisers(official):
    agreement = draft_agreement(official)
    url = f"{API}/agreements/{agreement.pk}/signature"
    data = {"signed_on": agreement.concluded_on.isoformat(), "file": scan()}
    assert login(grantee_of(agreement.application)).post(url, data).status_code == 403
    response = login(official).post(url, {**data, "file": scan()})
    assert response.status_code == 200
    assert response.json()["status"] == "signed"
    assert response.json()["has_signed_scan"] is True
    again = login(official).post(url, {**data, "file": scan()})
    assert again.status_code == 409


@pytest.mark.parametrize("day", ["0001-01-01", "2999-01-01", "²", "", "2026-13-01"])
def test_a_hostile_signing_day_is_a_4xx(official, day):
    agreement = draft_agreement(official)
    response = login(official).post(
        f"{API}/agreements/{agreement.pk}/signature", {"signed_on": day, "file": scan()}
    )
    assert 400 <= response.status_code < 500
    assert Agreement.objects.get().status == Agreement.Status.DRAFT


def test_tranches_through_the_api(official):
    agreement = signed_agreement(official)
    tranche = agreement.tranches.get()
    grantee = login(grantee_of(agreement.application))
    assert _post(Client(), f"/tranches/{tranche.pk}/request").status_code == 401
    assert _post(login(UserFactory()), f"/tranches/{tranche.pk}/request").status_code == 404
    requested = _post(grantee, f"/tranches/{tranche.pk}/request")
    assert requested.status_code == 200
    assert requested.json()["status"] == "requested"
    assert _post(grantee, f"/tranches/{tranche.pk}/request").status_code == 409
    assert (
        _post(grantee, f"/tranches/{tranche.pk}/payment", {"payment_order": "1"}).status_code == 403
    )
    paid = _post(login(official), f"/tranches/{tranche.pk}/payment", {"payment_order": "П-5"})
    assert paid.status_code == 200
    assert (paid.json()["status"], paid.json()["payment_order"]) == ("paid", "П-5")


def test_a_tranche_under_a_draft_is_a_409(official):
    agreement = draft_agreement(official)
    tranche = agreement.tranches.get()
    assert _post(login(official), f"/tranches/{tranche.pk}/request").status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"payment_order": ""},
        {"payment_order": "1" * 41},
        {"payment_order": "1\n2"},
        {"payment_order": "1", "paid_on": "0001-01-01"},
        {"payment_order": "1", "paid_on": "2999-01-01"},
        {"payment_order": "1", "extra": True},
        {"payment_order": 5},
    ],
)
def test_a_hostile_payment_is_a_4xx(official, body):
    agreement = signed_agreement(official)
    tranche = agreements.tranche_request(actor=official, tranche=agreement.tranches.get())
    response = _post(login(official), f"/tranches/{tranche.pk}/payment", body)
    assert 400 <= response.status_code < 500, response.content
    assert Tranche.objects.get().status == Tranche.Status.REQUESTED


def _budget_agreement(official) -> Agreement:
    budget = [
        {"item": "Аренда зала", "requested": "60000"},
        {"item": "Канцелярия", "requested": "40000"},
    ]
    return signed_agreement(official, content={**complete_content(), "budget": budget})


def test_amendments_through_the_api(official):
    agreement = _budget_agreement(official)
    first, second = agreement.lines.all()
    grantee = login(grantee_of(agreement.application))
    proposed = _post(
        grantee,
        f"/agreements/{agreement.pk}/amendments",
        {"kind": "budget", "reason": "Зал", "lines": {first.pk: "63000", second.pk: "37000.00"}},
    )
    assert proposed.status_code == 201, proposed.content
    amendment = proposed.json()
    assert amendment["status"] == "proposed"
    assert _post(grantee, f"/amendments/{amendment['id']}/approval").status_code == 403
    approved = _post(login(official), f"/amendments/{amendment['id']}/approval", {"comment": "Да"})
    assert approved.status_code == 200
    assert approved.json()["version"] == 2
    assert (
        _post(
            login(official), f"/amendments/{amendment['id']}/rejection", {"reason": "x"}
        ).status_code
        == 409
    )
    detail = grantee.get(f"{API}/agreements/{agreement.pk}").json()
    assert detail["version"] == 2
    assert detail["lines"][0]["amount"] == "63000.00"


def test_a_change_over_the_limit_is_a_422_naming_the_line(official):
    agreement = _budget_agreement(official)
    first, second = agreement.lines.all()
    response = _post(
        login(official),
        f"/agreements/{agreement.pk}/amendments",
        {"kind": "budget", "reason": "Зал", "lines": {first.pk: "90000", second.pk: "10000"}},
    )
    assert response.status_code == 422
    assert f"lines.{first.pk}" in json.dumps(response.json(), ensure_ascii=False)


def test_a_dates_change_is_rejected_with_a_reason(official):
    agreement = signed_agreement(official)
    ends_on = (agreement.ends_on + timedelta(days=10)).isoformat()
    proposed = _post(
        login(official),
        f"/agreements/{agreement.pk}/amendments",
        {"kind": "dates", "reason": "Сдвиг", "ends_on": ends_on},
    )
    assert proposed.status_code == 201
    pk = proposed.json()["id"]
    assert _post(login(official), f"/amendments/{pk}/rejection", {}).status_code == 422
    rejected = _post(login(official), f"/amendments/{pk}/rejection", {"reason": "Нет"})
    assert rejected.json()["status"] == "rejected"
    assert Amendment.objects.get().status == Amendment.Status.REJECTED


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "budget", "reason": ""},
        {"kind": "other", "reason": "x"},
        {"kind": "budget", "reason": "x", "lines": {"abc": "1"}},
        {"kind": "budget", "reason": "x", "lines": {"1": "1e30"}},
        {"kind": "budget", "reason": "x", "lines": {"99999999999999999999999": "1"}},
        {"kind": "dates", "reason": "x", "ends_on": "0001-01-01"},
        {"kind": "dates", "reason": "x", "tranches": {"1": "²"}},
        {"kind": "dates", "reason": "x" * 10_001},
        {"kind": "dates", "reason": "без изменений"},
        [],
    ],
)
def test_a_hostile_amendment_is_a_4xx(official, body):
    agreement = signed_agreement(official)
    response = _post(login(official), f"/agreements/{agreement.pk}/amendments", body)
    assert 400 <= response.status_code < 500, response.content
    assert not Amendment.objects.exists()


def test_terminating_through_the_api(official):
    agreement = signed_agreement(official)
    url = f"/agreements/{agreement.pk}/termination"
    assert _post(login(grantee_of(agreement.application)), url, {"reason": "x"}).status_code == 403
    assert _post(login(official), url, {"reason": ""}).status_code == 422
    ended = _post(login(official), url, {"reason": "Отказ от гранта"})
    assert ended.json()["status"] == "terminated"


def test_the_list_reads_a_fixed_number_of_queries(official, django_assert_max_num_queries):
    competition, _application = decided_winner(official)
    agreements.agreements_prepare(actor=official, competition=competition)
    client = login(official)
    url = f"{API}/competitions/{competition.pk}/agreements"
    client.get(url)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_the_operations_are_in_the_openapi_schema():
    paths = Client().get(f"{API}/openapi.json").json()["paths"]
    for path in (
        "/api/v1/competitions/{pk}/agreements",
        "/api/v1/agreements/{pk}",
        "/api/v1/agreements/{pk}/signature",
        "/api/v1/tranches/{pk}/payment",
        "/api/v1/agreements/{pk}/amendments",
        "/api/v1/amendments/{pk}/approval",
        "/api/v1/work-calendar/{year}",
    ):
        assert path in paths, path
