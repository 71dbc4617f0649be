"""An organisation's public reports: money and help in kind received and spent per campaign,
and the yearly report (ФЗ-135 ст. 19) for a local calendar year — its figures, its page for
every role, its DOCX and XLSX, its fixed query count; a campaign's page lists its news."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from openpyxl import load_workbook

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.charity import public_report
from dobry.charity.models import Campaign, Pledge, SpendingItem
from dobry.charity.services import campaigns as campaign_services
from dobry.charity.tests.factories import (
    CampaignFactory,
    DonationFactory,
    NeedFactory,
    SpendingItemFactory,
    charity_ready,
    editor_of,
)
from dobry.communications.models import NewsItem
from dobry.communications.tests.factories import NewsItemFactory
from dobry.core.clock import city_zone, local_today
from dobry.organizations.models import Membership, Organization

pytestmark = pytest.mark.django_db


def _received(need, quantity: int, day: date, value: str) -> Pledge:
    return Pledge.objects.create(
        need=need,
        quantity=quantity,
        status=Pledge.Status.RECEIVED,
        received_on=day,
        value=Decimal(value),
    )


@pytest.fixture
def year_of_work(freeze_now):
    """An organisation's 2025: two campaigns (one finished in 2025), general donations, help
    in kind, spending of several purposes — and records of 2024 and 2026 that must not
    count."""
    freeze_now(datetime(2026, 3, 1, 12, tzinfo=city_zone()))
    campaign, editor = charity_ready(title="Тренажёры")
    organization = campaign.organization
    finished = CampaignFactory(
        organization=organization,
        title="Подарки",
        status=Campaign.Status.FINISHED,
        finished_on=date(2025, 12, 28),
        goal=Decimal("40000"),
    )
    CampaignFactory(
        organization=organization,
        status=Campaign.Status.FINISHED,
        finished_on=date(2024, 12, 1),
    )
    DonationFactory(campaign=campaign, amount=Decimal("1000"), received_on=date(2025, 2, 1))
    DonationFactory(
        campaign=campaign, amount=Decimal("500"), received_on=date(2025, 3, 1), donor_key="same"
    )
    DonationFactory(
        campaign=finished, amount=Decimal("41200"), received_on=date(2025, 12, 1), donor_key="same"
    )
    DonationFactory(
        campaign=None,
        organization=organization,
        amount=Decimal("300"),
        received_on=date(2025, 5, 1),
    )
    DonationFactory(campaign=campaign, amount=Decimal("7"), received_on=date(2024, 12, 31))
    DonationFactory(campaign=campaign, amount=Decimal("9"), received_on=date(2026, 1, 1))
    SpendingItemFactory(
        campaign=finished, amount=Decimal("38400"), spent_on=date(2025, 12, 20), purpose="goods"
    )
    SpendingItemFactory(
        campaign=None,
        organization=organization,
        amount=Decimal("1600"),
        spent_on=date(2025, 7, 1),
        purpose="admin",
    )
    SpendingItemFactory(campaign=campaign, amount=Decimal("5"), spent_on=date(2026, 1, 2))
    need = NeedFactory(
        organization=organization, title="Подгузники", quantity=10, campaign=campaign
    )
    _received(need, 6, date(2025, 4, 1), "7200")
    _received(need, 4, date(2025, 9, 1), "4800")
    open_need = NeedFactory(organization=organization, title="Краска", quantity=10)
    _received(open_need, 2, date(2025, 9, 1), "0")
    return organization, campaign, finished, editor


def test_the_yearly_report_counts_only_its_local_year(year_of_work):
    organization, campaign, finished, _editor = year_of_work
    report = public_report.yearly_report(organization, 2025)
    assert [(line.campaign, line.amount, line.donations) for line in report.received] == [
        (finished, Decimal("41200"), 1),
        (campaign, Decimal("1500"), 2),
        (None, Decimal("300"), 1),
    ]
    assert report.received_total == Decimal("43000")
    assert report.donors == 3  # «same» gave twice, counted once
    assert [(line.need.title, line.quantity, line.value) for line in report.in_kind] == [
        ("Подгузники", 10, Decimal("12000")),
        ("Краска", 2, Decimal("0")),
    ]
    assert [(line.purpose, line.amount) for line in report.spending] == [
        ("goods", Decimal("38400")),
        ("admin", Decimal("1600")),
    ]
    assert report.spent_total == Decimal("40000")
    assert report.admin_percent == Decimal("4.0")
    assert [f.campaign for f in report.finished] == [finished]
    assert (report.finished[0].received, report.finished[0].spent) == (
        Decimal("41200"),
        Decimal("38400"),
    )
    assert [need.title for need in report.fulfilled] == ["Подгузники"]


def test_a_year_with_nothing_is_an_empty_report(year_of_work):
    organization, *_ = year_of_work
    report = public_report.yearly_report(organization, 2023)
    assert report.is_empty
    assert (report.received_total, report.spent_total, report.admin_percent) == (0, 0, 0)


def test_the_report_years_are_those_with_records_up_to_this_year(year_of_work):
    organization, *_ = year_of_work
    assert public_report.report_years(organization) == [2026, 2025, 2024]


def test_money_per_campaign_of_all_time_never_multiplies_sums(year_of_work):
    organization, _campaign, _finished, _editor = year_of_work
    rows = public_report.organization_money(organization, "Уставная деятельность")
    by_title = {row.title: (row.received, row.in_kind, row.spent) for row in rows}
    assert by_title["Тренажёры"] == (Decimal("1516"), Decimal("12000"), Decimal("5"))
    assert by_title["Подарки"] == (Decimal("41200"), Decimal("0"), Decimal("38400"))
    assert by_title["Уставная деятельность"] == (Decimal("300"), Decimal("0"), Decimal("1600"))
    assert rows[-1].campaign is None
    total = public_report.totals(rows)
    assert (total.received, total.spent) == (Decimal("43016"), Decimal("40005"))


def test_a_draft_campaign_is_not_in_the_public_report(year_of_work):
    organization, *_ = year_of_work
    CampaignFactory(organization=organization, title="Черновик", status=Campaign.Status.DRAFT)
    titles = [row.title for row in public_report.organization_money(organization, "")]
    assert "Черновик" not in titles


def test_finishing_a_campaign_records_its_local_day_and_reopening_clears_it():
    campaign, editor = charity_ready()
    finished = campaign_services.campaign_move(actor=editor, campaign=campaign, name="finish")
    assert finished.finished_on == local_today()
    reopened = campaign_services.campaign_move(actor=editor, campaign=finished, name="reopen")
    assert reopened.finished_on is None


# --- pages ----------------------------------------------------------------------------------


def _people(organization: Organization) -> dict[str, object]:
    return {
        "anonymous": None,
        "outsider": UserFactory(),
        "member": editor_of(organization, Membership.Role.MEMBER),
        "coordinator": UserFactory(is_coordinator=True),
        "editor": editor_of(organization),
    }


def _get(client, person, url):
    return (client if person is None else login(person)).get(url)


@pytest.mark.parametrize("path", ["report/", "report/2025/", "report/2025/?format=docx"])
def test_every_role_reads_a_verified_organisations_reports(client, year_of_work, path):
    organization, *_ = year_of_work
    url = f"/donate/organization/{organization.pk}/{path}"
    for who, person in _people(organization).items():
        assert _get(client, person, url).status_code == 200, who


@pytest.mark.parametrize("path", ["report/", "report/2025/", "report/2025/?format=xlsx"])
def test_an_unverified_organisations_reports_are_its_editors_only(client, year_of_work, path):
    organization, *_ = year_of_work
    Organization.objects.filter(pk=organization.pk).update(status=Organization.Status.PENDING)
    url = f"/donate/organization/{organization.pk}/{path}"
    expected = {"anonymous": 404, "outsider": 404, "member": 404, "coordinator": 404, "editor": 200}
    found = {who: _get(client, p, url).status_code for who, p in _people(organization).items()}
    assert found == expected


@pytest.mark.parametrize(
    "path", ["report/2027/", "report/1989/", "report/0/", "report/2025/?format=pdf"]
)
def test_a_year_or_format_out_of_range_is_refused_not_a_500(client, year_of_work, path):
    organization, *_ = year_of_work
    response = client.get(f"/donate/organization/{organization.pk}/{path}")
    assert response.status_code in (400, 404)


def test_the_yearly_page_shows_the_figures_and_only_published_receipts(client, year_of_work):
    organization, _campaign, _finished, _editor = year_of_work
    html = client.get(f"/donate/organization/{organization.pk}/report/2025/").content.decode()
    assert "Отчёт о благотворительной деятельности за 2025 год" in html
    assert "43\u00a0000" in html
    assert "товары и оборудование" in html
    assert "Подгузники" in html
    assert "/files/" not in html
    organization_page = client.get(f"/donate/organization/{organization.pk}/report/").content
    assert b"/report/2025/" in organization_page


def test_the_docx_and_xlsx_hold_the_report(client, year_of_work):
    organization, *_ = year_of_work
    url = f"/donate/organization/{organization.pk}/report/2025/"
    docx = client.get(url + "?format=docx")
    assert docx["Content-Disposition"] == (
        f'attachment; filename="charity-report-{organization.pk}-2025.docx"'
    )
    document = Document(io.BytesIO(docx.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Отчёт о благотворительной деятельности за 2025 год" in text
    assert "административные расходы — 4 %" in text
    workbook = load_workbook(io.BytesIO(client.get(url + "?format=xlsx").content))
    assert workbook.sheetnames == [
        "Поступления",
        "Помощь вещами",
        "Статьи расходов",
        "Расходы",
        "Завершённые сборы",
    ]
    purposes = [[cell.value for cell in row] for row in workbook["Статьи расходов"].iter_rows()]
    assert purposes[1:] == [["товары и оборудование", 38400], ["административные расходы", 1600]]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_reports_cost_the_same_for_few_rows_and_many(client, year_of_work):
    organization, _campaign, _finished, _editor = year_of_work
    urls = [
        f"/donate/organization/{organization.pk}/report/",
        f"/donate/organization/{organization.pk}/report/2025/",
        f"/donate/organization/{organization.pk}/report/2025/?format=xlsx",
        f"/api/v1/organizations/{organization.pk}/yearly-report?year=2025",
        f"/api/v1/organizations/{organization.pk}/money-report",
    ]
    few = [_queries(client, url) for url in urls]
    for n in range(5):
        more = CampaignFactory(
            organization=organization,
            status=Campaign.Status.FINISHED,
            finished_on=date(2025, 6, n + 1),
        )
        DonationFactory(campaign=more, received_on=date(2025, 6, 1), donor_key=f"m{n}")
        SpendingItemFactory(
            campaign=more, spent_on=date(2025, 6, 2), purpose=SpendingItem.Purpose.values[n]
        )
        need = NeedFactory(organization=organization, quantity=1)
        _received(need, 1, date(2025, 6, 3), "10")
    assert [_queries(client, url) for url in urls] == few


def test_the_campaign_page_costs_the_same_with_many_spending_items_and_news(client):
    campaign, _editor = charity_ready()
    SpendingItemFactory(campaign=campaign)
    few = _queries(client, campaign.get_absolute_url())
    for n in range(8):
        SpendingItemFactory(campaign=campaign, description=f"Покупка {n}")
        NewsItemFactory(
            status=NewsItem.Status.PUBLISHED, subject_kind="campaign", subject_pk=campaign.pk
        )
    assert _queries(client, campaign.get_absolute_url()) == few


# --- news about a campaign ------------------------------------------------------------------


def test_the_campaign_page_lists_its_published_news_only(client):
    campaign, _editor = charity_ready()
    about = NewsItemFactory(
        title="Купили тренажёр",
        status=NewsItem.Status.PUBLISHED,
        subject_kind="campaign",
        subject_pk=campaign.pk,
    )
    NewsItemFactory(
        title="Черновик новости",
        status=NewsItem.Status.DRAFT,
        subject_kind="campaign",
        subject_pk=campaign.pk,
    )
    NewsItemFactory(
        title="О другом сборе",
        status=NewsItem.Status.PUBLISHED,
        subject_kind="campaign",
        subject_pk=CampaignFactory().pk,
    )
    html = client.get(campaign.get_absolute_url()).content.decode()
    assert "Новости о сборе" in html
    assert about.get_absolute_url() in html
    assert "Черновик новости" not in html
    assert "О другом сборе" not in html
