"""A donor's charity data alone (`charity.privacy`): what the export gives — their donations,
codes and pledges, nobody else's — and what erasure leaves: the organisation's accounting
rows and the campaign's figures, without the person."""

from decimal import Decimal

import pytest

from dobry.accounts import personal_data
from dobry.accounts.tests.factories import UserFactory
from dobry.charity.models import Donation, DonorCode, Pledge, StatementEntry
from dobry.charity.selectors import progress_of
from dobry.charity.services.campaigns import donor_code_for
from dobry.charity.tests.factories import DonationFactory, NeedFactory, charity_ready
from dobry.core.erasure import REDACTED

pytestmark = pytest.mark.django_db


def _entry(campaign, *, payer, purpose="", number="1"):
    from dobry.charity.models import StatementImport

    statement = StatementImport.objects.create(
        organization=campaign.organization, format=StatementImport.Format.ONEC
    )
    return StatementEntry.objects.create(
        organization=campaign.organization,
        statement=statement,
        line=1,
        paid_on="2026-03-01",
        amount=Decimal("700"),
        payer=payer,
        payer_inn="245200000000",
        payer_account="40817810000000000001",
        purpose=purpose,
        number=number,
        fingerprint=f"fp-{number}",
        status=StatementEntry.Status.MATCHED,
    )


def _donor_with_everything():
    campaign, _editor = charity_ready(title="Коляски для центра")
    donor = UserFactory(first_name="Мария", last_name="Снегирёва")
    entry = _entry(campaign, payer="СНЕГИРЁВА МАРИЯ ПЕТРОВНА")
    DonationFactory(
        campaign=campaign,
        donor=donor,
        donor_key=f"u{donor.pk}",
        donor_name="Снегирёва Мария",
        note="Передала лично Снегирёва",
        amount=Decimal("700"),
        entry=entry,
        source=Donation.Source.STATEMENT,
    )
    donor_code_for(donor=donor, campaign=campaign)
    need = NeedFactory(organization=campaign.organization, title="Памперсы", unit="уп.")
    Pledge.objects.create(need=need, pledger=donor, quantity=3, note="Привезу в субботу, Мария")
    return campaign, donor


def test_the_export_holds_the_donors_donations_codes_and_pledges():
    campaign, donor = _donor_with_everything()
    DonationFactory(campaign=campaign, donor=UserFactory(), donor_name="Другой")

    section = personal_data.export_sections(donor)["donations"]

    [donation] = section["donations"]
    assert donation["amount"] == "700.00"
    assert donation["campaign"] == "Коляски для центра"
    assert donation["organization"] == campaign.organization.name
    assert donation["donor_name"] == "Снегирёва Мария"
    assert section["donor_codes"] == [DonorCode.objects.get(donor=donor).code]
    [pledge] = section["pledges"]
    assert (pledge["need"], pledge["quantity"], pledge["unit"]) == ("Памперсы", 3, "уп.")
    assert pledge["note"] == "Привезу в субботу, Мария"


def test_a_general_donation_is_exported_without_a_campaign():
    campaign, _editor = charity_ready()
    donor = UserFactory()
    Donation.objects.create(
        organization=campaign.organization,
        amount=Decimal("50"),
        received_on="2026-01-10",
        source=Donation.Source.MANUAL,
        donor=donor,
        donor_key=f"u{donor.pk}",
    )
    [donation] = personal_data.export_sections(donor)["donations"]["donations"]
    assert donation["campaign"] is None


def test_someone_without_charity_data_exports_empty_lists():
    section = personal_data.export_sections(UserFactory())["donations"]
    assert section == {"donations": [], "donor_codes": [], "pledges": []}


def test_erasure_keeps_the_accounting_rows_and_the_figures_without_the_person():
    campaign, donor = _donor_with_everything()
    before = progress_of(campaign)
    traces = personal_data.traces_of(donor)

    personal_data.erase_sections(donor, traces)

    donation = Donation.objects.get()
    assert (donation.amount, donation.campaign_id) == (Decimal("700"), campaign.pk)
    assert (donation.donor, donation.donor_name, donation.note) == (None, "", "")
    assert donation.is_anonymous
    entry = StatementEntry.objects.get()
    assert (entry.payer, entry.payer_inn, entry.payer_account) == (REDACTED, "", "")
    assert not DonorCode.objects.exists()
    pledge = Pledge.objects.get()
    assert (pledge.pledger, pledge.note, pledge.quantity) == (None, "", 3)
    after = progress_of(campaign)
    assert (after.received, after.donors) == (before.received, before.donors)


def test_erasure_leaves_other_donors_alone():
    campaign, donor = _donor_with_everything()
    other = UserFactory(first_name="Олег", last_name="Другов")
    kept = DonationFactory(
        campaign=campaign, donor=other, donor_name="Олег Другов", note="наличные"
    )
    kept_code = donor_code_for(donor=other, campaign=campaign)

    personal_data.erase_sections(donor, personal_data.traces_of(donor))

    kept.refresh_from_db()
    assert (kept.donor, kept.donor_name, kept.note) == (other, "Олег Другов", "наличные")
    assert DonorCode.objects.get() == kept_code


def test_erasure_scrubs_the_persons_name_typed_into_other_rows():
    campaign, donor = _donor_with_everything()
    quoted_in = _entry(
        campaign, payer="ИП Петров", purpose=f"За {donor.email} от соседки", number="2"
    )
    note = DonationFactory(campaign=campaign, note=f"Просила {donor.email} не звонить")

    personal_data.erase_sections(donor, personal_data.traces_of(donor))

    quoted_in.refresh_from_db()
    note.refresh_from_db()
    assert donor.email not in quoted_in.purpose
    assert REDACTED in quoted_in.purpose
    assert quoted_in.payer == "ИП Петров"
    assert donor.email not in note.note


def test_every_charity_relation_to_a_person_is_exported_or_said_why_not():
    covered, not_personal = personal_data.export_coverage()
    for relation in (
        "charity.Donation.donor",
        "charity.DonorCode.donor",
        "charity.Pledge.pledger",
    ):
        assert covered[relation].startswith("donations.")
    for relation in (
        "charity.Campaign.created_by",
        "charity.Need.created_by",
        "charity.CampaignUpdate.author",
        "charity.Donation.recorded_by",
        "charity.StatementImport.uploaded_by",
    ):
        assert not_personal[relation]
