"""The rules that turn a statement's payments into donations (`charity.matching`): which
code counts, which campaign a payment may go to, who the donor is, what is suggested, what
is a duplicate — and that the matching costs the same few queries however long the file."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dobry.accounts.tests.factories import UserFactory
from dobry.charity.matching import fingerprint_of, line_payer_key, match_lines
from dobry.charity.models import Campaign, Donation, StatementEntry, StatementImport
from dobry.charity.services import statements
from dobry.charity.services.campaigns import donor_code_for
from dobry.charity.statements import StatementLine
from dobry.charity.tests.factories import CampaignFactory, DonationFactory, charity_ready

pytestmark = pytest.mark.django_db


def _line(purpose: str = "", *, payer: str = "Иванов Иван", number: str = "1", **values):
    return StatementLine(
        line=values.pop("line", 1),
        paid_on=values.pop("paid_on", date(2026, 11, 10)),
        amount_kopecks=values.pop("amount_kopecks", 50000),
        payer=payer,
        purpose=purpose,
        number=number,
        **values,
    )


@pytest.mark.parametrize(
    "purpose",
    ["Пожертвование {code}. Без НДС", "{lower}", "dg {pk} на лечение", "DG{pk}", "(DG-{pk})"],
)
def test_a_campaign_code_is_found_however_it_is_written(purpose):
    campaign, _editor = charity_ready()
    text = purpose.format(code=campaign.code, lower=campaign.code.lower(), pk=campaign.pk)
    [match] = match_lines(campaign.organization, [_line(text)])
    assert match.campaign == campaign


@pytest.mark.parametrize("purpose", ["ADG-{pk}", "DG-{pk}7", "DG-0{pk}x", "Договор DG"])
def test_a_code_inside_another_word_or_number_is_no_code(purpose):
    campaign, _editor = charity_ready()
    CampaignFactory(organization=campaign.organization, status=Campaign.Status.FINISHED)
    [match] = match_lines(campaign.organization, [_line(purpose.format(pk=campaign.pk))])
    assert match.campaign is None


def test_a_draft_campaigns_code_is_not_a_match_and_the_payment_waits_in_the_queue():
    campaign, _editor = charity_ready()
    draft = CampaignFactory(organization=campaign.organization, status=Campaign.Status.DRAFT)
    [match] = match_lines(campaign.organization, [_line(f"Пожертвование {draft.code}")])
    assert match.campaign is None
    assert match.suggested == campaign  # the only one collecting


def test_a_finished_campaigns_code_still_matches_a_late_payment():
    campaign, _editor = charity_ready(status=Campaign.Status.FINISHED)
    [match] = match_lines(campaign.organization, [_line(campaign.code)])
    assert match.campaign == campaign


def test_the_first_code_in_a_purpose_counts():
    first, _editor = charity_ready()
    second = CampaignFactory(organization=first.organization)
    [match] = match_lines(first.organization, [_line(f"{first.code} или {second.code}")])
    assert match.campaign == first


def test_a_donors_code_names_the_donor_only_with_its_own_campaign():
    campaign, _editor = charity_ready()
    donor = UserFactory()
    code = donor_code_for(donor=donor, campaign=campaign).code
    other = CampaignFactory(organization=campaign.organization)
    forged = code.replace(campaign.code, other.code)
    own, borrowed = match_lines(
        campaign.organization, [_line(code), _line(forged, number="2", payer="Петров")]
    )
    assert (own.campaign, own.donor) == (campaign, donor)
    assert (borrowed.campaign, borrowed.donor) == (other, None)


def test_a_donors_code_of_another_organisation_names_nobody():
    campaign, _editor = charity_ready()
    foreign, _other_editor = charity_ready()
    code = donor_code_for(donor=UserFactory(), campaign=foreign).code
    [match] = match_lines(campaign.organization, [_line(code)])
    assert (match.campaign, match.donor) == (None, None)


def test_the_payers_previous_campaign_is_suggested_over_the_only_collecting_one():
    campaign, _editor = charity_ready()
    earlier = CampaignFactory(organization=campaign.organization, status=Campaign.Status.FINISHED)
    line = _line("на лечение", payer="Соколова Мария", payer_account="40817810900000000001")
    DonationFactory(campaign=earlier, donor_key=line_payer_key(line), received_on=date(2026, 1, 5))
    [match] = match_lines(campaign.organization, [line])
    assert match.suggested == earlier


def test_a_payer_is_the_same_whatever_case_and_spaces_the_bank_wrote():
    campaign, _editor = charity_ready()
    other = CampaignFactory(organization=campaign.organization)  # two collecting: no «only one»
    known = _line(payer="Соколова  Мария", payer_account="408")
    DonationFactory(campaign=other, donor_key=line_payer_key(known))
    [match] = match_lines(
        campaign.organization, [_line(payer="СОКОЛОВА МАРИЯ", payer_account="408")]
    )
    assert match.suggested == other


def test_with_two_collecting_campaigns_and_no_history_nothing_is_suggested():
    campaign, _editor = charity_ready()
    CampaignFactory(organization=campaign.organization)
    [match] = match_lines(campaign.organization, [_line("без кода")])
    assert match.suggested is None


def test_a_campaign_past_its_deadline_is_not_suggested_as_the_only_collecting_one():
    campaign, _editor = charity_ready(deadline=date(2020, 1, 1))
    [match] = match_lines(campaign.organization, [_line("без кода")])
    assert match.suggested is None


def test_the_same_payment_is_a_duplicate_by_date_sum_payer_and_number_only():
    campaign, _editor = charity_ready()
    base = _line("DG")
    statement = StatementImport.objects.create(
        organization=campaign.organization, format=StatementImport.Format.ONEC
    )
    StatementEntry.objects.create(
        organization=campaign.organization,
        statement=statement,
        line=1,
        paid_on=base.paid_on,
        amount=base.amount,
        payer=base.payer,
        number=base.number,
        fingerprint=fingerprint_of(base),
    )
    variants = [
        _line("другое назначение"),  # the purpose does not count
        _line(payer=" иванов   ИВАН "),  # nor case and spaces of the payer
        _line(number="2"),
        _line(amount_kopecks=50001),
        _line(paid_on=date(2026, 11, 11)),
    ]
    duplicates = [m.duplicate for m in match_lines(campaign.organization, variants)]
    assert duplicates == [True, True, False, False, False]


def test_an_earlier_payment_of_another_organisation_is_no_duplicate():
    campaign, _editor = charity_ready()
    foreign, _other = charity_ready()
    line = _line()
    statement = StatementImport.objects.create(
        organization=foreign.organization, format=StatementImport.Format.ONEC
    )
    StatementEntry.objects.create(
        organization=foreign.organization,
        statement=statement,
        line=1,
        paid_on=line.paid_on,
        amount=line.amount,
        fingerprint=fingerprint_of(line),
    )
    assert not match_lines(campaign.organization, [line])[0].duplicate


def test_matching_costs_the_same_queries_for_one_line_and_for_many():
    campaign, _editor = charity_ready()
    donor_code = donor_code_for(donor=UserFactory(), campaign=campaign).code
    with CaptureQueriesContext(connection) as one:
        match_lines(campaign.organization, [_line(donor_code)])
    lines = [
        _line(code, number=str(n), payer=f"Плательщик {n}")
        for n, code in enumerate([campaign.code, donor_code, "без кода"] * 30)
    ]
    with CaptureQueriesContext(connection) as many:
        assert len(match_lines(campaign.organization, lines)) == 90
    assert len(many) == len(one) <= 5


def test_a_committed_draft_code_payment_is_queued_not_given_to_the_draft():
    campaign, editor = charity_ready()
    draft = CampaignFactory(organization=campaign.organization, status=Campaign.Status.DRAFT)
    content = f"Дата;Сумма;Назначение\n10.11.2026;500;{draft.code}\n".encode()
    statement = statements.statement_upload(
        actor=editor,
        organization=campaign.organization,
        upload=SimpleUploadedFile("s.csv", content),
    )
    statements.statement_commit(actor=editor, statement=statement)
    assert not Donation.objects.filter(campaign=draft).exists()
    entry = StatementEntry.objects.get()
    assert entry.status == StatementEntry.Status.UNMATCHED
    assert entry.amount == Decimal("500")
