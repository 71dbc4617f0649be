"""Donors in the passport's indicator 3 and the charity figures beside the indicators:
each person with an account once across every source, donors known only by payer once
each and separately, organisations paying from their accounts not counted as residents;
money, donors and help in kind in the API and the workbook (formulas kept as text)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from dobry.accounts.tests.factories import UserFactory
from dobry.charity.models import Donation, Pledge, StatementEntry, StatementImport
from dobry.charity.tests.factories import CampaignFactory, DonationFactory, NeedFactory
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.reports import beyond, indicators
from dobry.reports.periods import year
from dobry.volunteering.models import HoursEntry

pytestmark = pytest.mark.django_db
DAY = date(2025, 6, 10)
PERIOD = year(2025)


def _involved() -> int:
    return indicators.involved_share(PERIOD).parts["people"]


def _payer(campaign, key: str, inn: str = "", number: str = "1") -> Donation:
    statement = StatementImport.objects.create(organization=campaign.organization, format="onec")
    entry = StatementEntry.objects.create(
        organization=campaign.organization, statement=statement, line=1, paid_on=DAY,
        amount=Decimal("100"), payer=key, payer_inn=inn, fingerprint=key + inn + number, status="matched",
    )  # fmt: skip
    return DonationFactory(
        campaign=campaign, received_on=DAY, donor_key=key, entry=entry, source="statement"
    )


def test_a_volunteer_who_also_gave_is_one_person():
    person = UserFactory()
    HoursEntry.objects.create(
        user=person, organization=OrganizationFactory(), date=DAY, hours=Decimal(2),
        claimed_hours=Decimal(2), source=HoursEntry.Source.CLAIM, status=HoursEntry.Status.CONFIRMED,
    )  # fmt: skip
    before = _involved()
    DonationFactory(donor=person, received_on=DAY, donor_key=f"u{person.pk}")
    DonationFactory(donor=person, received_on=DAY, donor_key=f"u{person.pk}")
    assert _involved() == before


def test_payers_count_once_each_and_companies_not_at_all():
    campaign = CampaignFactory()
    before = _involved()
    _payer(campaign, "maria")
    _payer(campaign, "maria", number="2")  # the same payer twice: one person
    _payer(campaign, "ivan", inn="245200011122")  # a person's 12-digit ИНН
    _payer(campaign, "ooo", inn="2452000111")  # a company's 10-digit ИНН: not a resident
    assert _involved() == before + 2


def test_a_giver_in_kind_is_involved_when_the_gift_is_received():
    person = UserFactory()
    need = NeedFactory()
    before = _involved()
    pledge = Pledge.objects.create(need=need, pledger=person, quantity=1)
    assert _involved() == before
    Pledge.objects.filter(pk=pledge.pk).update(status=Pledge.Status.RECEIVED, received_on=DAY)
    assert _involved() == before + 1


def test_the_charity_figure():
    campaign = CampaignFactory()
    DonationFactory(campaign=campaign, received_on=DAY, amount=Decimal("1500"), donor_key="a")
    DonationFactory(campaign=campaign, received_on=DAY, amount=Decimal("500.50"), donor_key="a")
    DonationFactory(
        campaign=None,
        organization=campaign.organization,
        received_on=DAY,
        amount=Decimal("100"),
        donor_key="b",
    )
    DonationFactory(
        campaign=campaign, received_on=date(2024, 12, 31), amount=Decimal("999"), donor_key="c"
    )
    need = NeedFactory()
    Pledge.objects.create(
        need=need,
        pledger=UserFactory(),
        quantity=2,
        status=Pledge.Status.RECEIVED,
        received_on=DAY,
        value=Decimal("2400"),
    )
    figure = beyond.charity(PERIOD)
    assert figure.value == Decimal("2100.50")
    assert figure.parts == {
        "donors": 2,
        "campaigns": 1,
        "in_kind_rub": Decimal("2400"),
        "in_kind_givers": 1,
    }


def test_the_kpi_api_and_the_workbook_carry_it(client, login_as, official):
    campaign = CampaignFactory(title="=1+2")
    DonationFactory(campaign=campaign, received_on=DAY, amount=Decimal("750"), donor_key="x")
    data = client.get("/api/v1/kpi?from=2025-01-01&to=2025-12-31").json()
    assert data["charity"]["received"] == "750.00"
    assert data["charity"]["donors"] == 1
    response = login_as(official).get("/reports/indicators.xlsx?year=2025")
    sheet = load_workbook(io.BytesIO(response.content))["Пожертвования"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [campaign.organization.name, "=1+2", None, 750, 1] in rows  # no area: empty
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
