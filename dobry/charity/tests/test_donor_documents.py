"""The documents a donor takes away: a thank-you letter per donation (theirs or, for its
records, the organisation's editors'), a letter for help in kind the organisation received,
and the year's statement for the tax deduction — each readable in Word, each only by the
people it is for, its sums and dates as the city writes them."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.charity.models import Donation
from dobry.charity.services import needs
from dobry.charity.tests.factories import DonationFactory, NeedFactory, charity_ready, editor_of
from dobry.core.numbers import roubles
from dobry.organizations.models import Organization
from dobry.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _docx_text(response) -> str:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    return "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)


def test_a_letter_for_a_general_donation_thanks_for_the_organisations_work():
    campaign, editor = charity_ready()
    donor = UserFactory()
    donation = Donation.objects.create(
        organization=campaign.organization,
        amount=Decimal("250"),
        received_on=date(2026, 3, 8),
        source=Donation.Source.MANUAL,
        donor=donor,
        donor_key=f"u{donor.pk}",
    )
    url = reverse("charity:letter", args=[donation.pk])
    page = login(donor).get(url).content.decode()
    assert "уставную деятельность" in page
    assert "8 марта 2026" in page
    word = _docx_text(login(editor).get(url + "?format=docx"))  # the organisation's copy
    assert "250" in word
    assert campaign.organization.name in word


@pytest.mark.parametrize("who", ["outsider", "member", "other_editor"])
def test_nobody_else_reads_a_donors_letter(who):
    campaign, _editor = charity_ready()
    donation = DonationFactory(campaign=campaign, donor=UserFactory())
    people = {
        "outsider": UserFactory(),
        "member": editor_of(campaign.organization, "member"),
        "other_editor": editor_of(OrganizationFactory()),
    }
    url = reverse("charity:letter", args=[donation.pk])
    assert login(people[who]).get(url).status_code == 404
    assert login(people[who]).get(url + "?format=docx").status_code == 404


def test_letters_ask_for_a_signed_in_person(client):
    campaign, _editor = charity_ready()
    donation = DonationFactory(campaign=campaign)
    response = client.get(reverse("charity:letter", args=[donation.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_pledge_letter_is_for_its_pledger_once_the_help_was_received():
    need = NeedFactory(title="Памперсы", unit="уп.")
    person = UserFactory(first_name="Ольга", last_name="Берёзова")
    pledge = needs.pledge_create(actor=person, need=need, quantity=3)
    url = reverse("charity:pledge_letter", args=[pledge.pk])
    assert login(person).get(url).status_code == 404  # promised, not yet received
    needs.pledge_move(actor=editor_of(need.organization), pledge=pledge, name="receive")
    page = login(person).get(url).content.decode()
    assert "Берёзова" in page
    assert "«Памперсы» — 3 уп." in page
    assert login(UserFactory()).get(url).status_code == 404
    assert login(editor_of(need.organization)).get(url).status_code == 404


def test_a_business_pledge_letter_names_the_business_and_opens_in_word():
    need = NeedFactory(title="Доски", unit="шт.")
    business = OrganizationFactory(name="ООО «Лесопилка»")
    person = editor_of(business)
    pledge = needs.pledge_create(actor=person, need=need, quantity=5, on_behalf=business)
    needs.pledge_move(actor=editor_of(need.organization), pledge=pledge, name="receive")
    word = _docx_text(
        login(person).get(reverse("charity:pledge_letter", args=[pledge.pk]) + "?format=docx")
    )
    assert "ООО «Лесопилка»" in word
    assert need.organization.name in word


def test_the_tax_statement_adds_up_the_years_donations_by_organisation():
    first, _editor = charity_ready()
    second, _other = charity_ready()
    donor = UserFactory()
    key = f"u{donor.pk}"
    DonationFactory(
        campaign=first, donor=donor, donor_key=key, amount="1000", received_on=date(2025, 2, 1)
    )
    DonationFactory(
        campaign=second, donor=donor, donor_key=key, amount="500.50", received_on=date(2025, 12, 31)
    )
    DonationFactory(
        campaign=first, donor=donor, donor_key=key, amount="9999", received_on=date(2026, 1, 1)
    )
    DonationFactory(campaign=first, donor=UserFactory(), amount="7777", received_on=date(2025, 5, 5))  # fmt: skip
    client = login(donor)
    page = client.get(reverse("charity:tax_statement") + "?year=2025").content.decode()
    assert "01.02.2025" in page
    assert "31.12.2025" in page
    assert first.organization.inn in page
    assert second.organization.inn in page
    with translation.override("ru"):
        assert f"Итого: {roubles(Decimal('1500.50'))}." in page
    assert "9\u00a0999" not in page
    assert "7\u00a0777" not in page
    word = _docx_text(client.get(reverse("charity:tax_statement") + "?year=2025&format=docx"))
    assert "2025" in word


def test_the_tax_statement_lists_only_donations_to_non_profits_with_an_inn():
    # Attacker finding: donations to a business or an initiative group without an ИНН
    # («Группа проверки (ИНН —)») were listed for a deduction that does not cover them.
    kept, _editor = charity_ready()
    group, _group_editor = charity_ready()
    business, _business_editor = charity_ready()
    Organization.objects.filter(pk=group.organization_id).update(
        kind=Organization.Kind.INITIATIVE_GROUP, inn=""
    )
    Organization.objects.filter(pk=business.organization_id).update(kind=Organization.Kind.BUSINESS)
    donor = UserFactory()
    for campaign in (kept, group, business):
        DonationFactory(campaign=campaign, donor=donor, amount="100", received_on=date(2025, 3, 1))
    page = login(donor).get(reverse("charity:tax_statement") + "?year=2025").content.decode()
    assert kept.organization.inn in page
    assert business.organization.inn not in page
    assert "ИНН —" not in page
    assert "Не вошли 2 пожертвования" in page
    with translation.override("ru"):
        assert f"Итого: {roubles(Decimal('100'))}." in page


def test_the_tax_statement_defaults_to_the_latest_year_and_is_not_found_without_donations():
    campaign, _editor = charity_ready()
    donor = UserFactory()
    DonationFactory(campaign=campaign, donor=donor, received_on=date(2024, 6, 1))
    DonationFactory(campaign=campaign, donor=donor, received_on=date(2025, 6, 1))
    page = login(donor).get(reverse("charity:tax_statement")).content.decode()
    assert "2025" in page
    assert "01.06.2024" not in page
    assert login(UserFactory()).get(reverse("charity:tax_statement")).status_code == 404
