"""The demo data shows where the money went: spending of both demo campaigns with one
published receipt (a PDF the seed makes, no network), and last year's report of «Этот мир
для тебя» is not empty — as anyone opening the demo would see it."""

import pytest
from django.test import Client, override_settings

from dobry.charity import public_report
from dobry.charity.demo import receipt_pdf
from dobry.charity.models import Campaign, SpendingItem
from dobry.core.clock import local_today
from dobry.organizations.models import Organization
from dobry.site.testing import seeded_demo

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("charity-demo")]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, seeded once for the module (`site.testing.seeded_demo`)."""
    yield from seeded_demo(django_db_blocker, tmp_path_factory)


def _home() -> Organization:
    return Organization.objects.get(short_name="«Этот мир для тебя»")


def test_both_demo_campaigns_have_spending_and_one_receipt_is_public(demo):
    with override_settings(**demo):
        finished = Campaign.objects.get(status=Campaign.Status.FINISHED)
        collecting = Campaign.objects.get(status=Campaign.Status.ACTIVE)
        assert finished.spending.exists()
        assert collecting.spending.exists()
        published = SpendingItem.objects.get(receipt_published=True)
        assert published.campaign == finished
        response = Client().get(published.receipt.url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
        hidden = collecting.spending.exclude(receipt="").get()
        assert not hidden.receipt_published
        assert Client().get(hidden.receipt.url).status_code == 302  # sign in first


def test_the_finished_demo_campaign_shows_how_its_money_was_spent(demo):
    with override_settings(**demo):
        finished = Campaign.objects.get(status=Campaign.Status.FINISHED)
        html = Client().get(finished.get_absolute_url()).content.decode()
        assert "Подарочные наборы для 40 детей центра" in html
        assert "Получено 41\u00a0200 ₽, потрачено 41\u00a0200 ₽." in html


def test_last_years_report_of_the_demo_organisation_has_money_in_and_out(demo):
    with override_settings(**demo):
        year = local_today().year - 1
        report = public_report.yearly_report(_home(), year)
        assert report.received_total > 0
        assert {line.purpose for line in report.spending} >= {"staff", "aid", "admin"}
        assert 0 < report.admin_percent < 20
        page = Client().get(f"/donate/organization/{_home().pk}/report/{year}/")
        assert page.status_code == 200
        assert "Бухгалтерское обслуживание" in page.content.decode()
        listed = Client().get(f"/donate/organization/{_home().pk}/report/").content.decode()
        assert f"/report/{year}/" in listed


def test_the_demo_receipt_is_a_pdf_that_names_its_lines():
    content = receipt_pdf(["Tovarny chek No 1", "Itogo: 10.00 rub."])
    assert content.startswith(b"%PDF-1.4\n")
    assert content.rstrip().endswith(b"%%EOF")
    assert b"(Tovarny chek No 1) Tj" in content
    xref = int(content.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    assert content[xref:].startswith(b"xref\n0 6\n")
