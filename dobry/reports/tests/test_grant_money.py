"""Grant money per area (issue 15, «money granted and spent per area in the reports»):
granted (agreements signed), paid (tranches paid) and spent (what accepted reports add) per
competition kind, on the city's dates, matching the records — in the breakdown, the API,
the XLSX and the DOCX."""

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from dobry.core.clock import city_zone, local_today
from dobry.grants.models import Agreement, Competition, GrantReport, ReportVersion, Tranche
from dobry.grants.services import agreements, reports
from dobry.grants.tests.agreements import signed_agreement
from dobry.grants.tests.reports import submitted_report
from dobry.reports import breakdowns, grant_money
from dobry.reports.periods import month, span, year

pytestmark = pytest.mark.django_db

THIS_YEAR = year(local_today().year)
K = Competition.Kind


def _at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=city_zone())


def _money(period):
    counted = grant_money.grant_money(period)
    return {row.area: (row.granted, row.paid, row.spent) for row in counted.rows}, counted.total


def _of_kind(agreement: Agreement, kind: str) -> Agreement:
    Competition.objects.filter(pk=agreement.application.competition_id).update(kind=kind)
    return agreement


def _accepted(agreement: Agreement, kind: str, decided_at: datetime, spent: list[str]):
    """A report accepted at `decided_at` whose accepted version states `spent` per line."""
    report = GrantReport.objects.create(
        agreement=agreement, kind=kind, status=GrantReport.Status.ACCEPTED, decided_at=decided_at
    )
    ReportVersion.objects.create(
        report=report,
        version=1,
        content={"spending": [{"line": n, "spent": value} for n, value in enumerate(spent)]},
        decision=ReportVersion.Decision.ACCEPTED,
        decided_at=decided_at,
    )
    return report


def test_granted_paid_and_spent_match_the_records(official):
    agreement = signed_agreement(official, amount=150_000)
    [tranche] = agreement.tranches.all()
    tranche = agreements.tranche_request(actor=official, tranche=tranche)
    agreements.tranche_pay(actor=official, tranche=tranche, payment_order="17")
    report = submitted_report(agreement)  # spends each line's whole amount
    reports.report_accept(actor=official, report=report, rating="successful")
    lines = sum(line.amount for line in agreement.lines.all())
    by_area, total = _money(THIS_YEAR)
    assert by_area[K.SONKO] == (Decimal("150000.00"), tranche.amount, lines)
    assert by_area[K.INDIVIDUALS] == by_area[K.INITIATIVE_GROUPS] == (0, 0, 0)
    assert (total.granted, total.paid, total.spent) == by_area[K.SONKO]
    assert total.label == "всего"


def test_money_is_split_by_the_competitions_kind(official):
    sonko = signed_agreement(official, amount=100_000)
    residents = _of_kind(signed_agreement(official, amount=40_000), K.INDIVIDUALS)
    groups = _of_kind(signed_agreement(official, amount=25_000), K.INITIATIVE_GROUPS)
    Tranche.objects.filter(agreement=residents).update(
        status=Tranche.Status.PAID, paid_on=local_today()
    )
    _accepted(groups, "final", _at(local_today(), 0, 1), ["1000.50", "", "bad"])
    by_area, total = _money(THIS_YEAR)
    assert by_area[K.SONKO][0] == sonko.amount
    assert by_area[K.INDIVIDUALS] == (Decimal(40_000), Decimal(40_000), 0)
    assert by_area[K.INITIATIVE_GROUPS] == (Decimal(25_000), 0, Decimal("1000.50"))
    assert total.granted == Decimal(165_000)
    assert [row.area for row in grant_money.grant_money(THIS_YEAR).rows] == list(K.values)


def test_a_final_report_adds_only_what_is_beyond_the_interim(official):
    agreement = signed_agreement(official)
    _accepted(agreement, "interim", _at(date(2025, 6, 10)), ["30000", "10000"])
    _accepted(agreement, "final", _at(date(2025, 9, 10)), ["70000", "25000.25"])
    assert _money(month(2025, 6))[1].spent == Decimal(40_000)
    assert _money(month(2025, 9))[1].spent == Decimal("55000.25")
    # the whole year: each rouble once
    assert _money(year(2025))[1].spent == Decimal("95000.25")
    assert _money(month(2025, 7))[1].spent == 0


def test_reports_not_accepted_spend_nothing(official):
    agreement = signed_agreement(official)
    report = submitted_report(agreement)
    assert _money(THIS_YEAR)[1].spent == 0
    reports.report_return(actor=official, report=report, comments={"spending": "Чеки"})
    assert _money(THIS_YEAR)[1].spent == 0


def test_a_report_accepted_late_on_new_years_eve_counts_in_the_old_year(official):
    agreement = signed_agreement(official)
    # 23:30 on 31 December in the city is 16:30 UTC: still the old year
    _accepted(agreement, "final", _at(date(2025, 12, 31), 23, 30), ["500"])
    assert _money(year(2025))[1].spent == Decimal(500)
    assert _money(year(2026))[1].spent == 0
    GrantReport.objects.update(decided_at=_at(date(2026, 1, 1), 0, 0))
    assert _money(year(2025))[1].spent == 0
    assert _money(year(2026))[1].spent == Decimal(500)


def test_granted_and_paid_by_the_days_of_signing_and_payment(official):
    agreement = signed_agreement(official, amount=80_000)
    Agreement.objects.filter(pk=agreement.pk).update(signed_on=date(2025, 12, 31))
    Tranche.objects.filter(agreement=agreement).update(
        status=Tranche.Status.PAID, paid_on=date(2026, 1, 1)
    )
    assert _money(year(2025))[1].granted == Decimal(80_000)
    assert _money(year(2025))[1].paid == 0
    assert _money(span(date(2026, 1, 1), date(2026, 1, 1)))[1].paid == Decimal(80_000)


@pytest.mark.parametrize(
    ("status", "granted"),
    [
        (Agreement.Status.SIGNED, True),
        (Agreement.Status.CLOSED, True),
        (Agreement.Status.TERMINATED, False),
        (Agreement.Status.DRAFT, False),
    ],
)
def test_which_agreements_are_granted(official, status, granted):
    agreement = signed_agreement(official, amount=50_000)
    Tranche.objects.filter(agreement=agreement).update(
        status=Tranche.Status.PAID, paid_on=local_today()
    )
    Agreement.objects.filter(pk=agreement.pk).update(status=status)
    total = _money(THIS_YEAR)[1]
    assert total.granted == (Decimal(50_000) if granted else 0)
    assert total.paid == Decimal(50_000)  # money paid has left, whatever came after


def test_a_day_not_yet_come_counts_nothing(official):
    agreement = signed_agreement(official, amount=50_000)
    tomorrow = local_today() + timedelta(days=1)
    Agreement.objects.filter(pk=agreement.pk).update(signed_on=tomorrow)
    Tranche.objects.filter(agreement=agreement).update(status=Tranche.Status.PAID, paid_on=tomorrow)
    period = span(local_today(), tomorrow)
    assert (_money(period)[1].granted, _money(period)[1].paid) == (0, 0)


def test_the_breakdown_table_and_its_method(official):
    signed_agreement(official, amount=60_000)
    table = breakdowns.grants_by_area(THIS_YEAR)
    assert table.key == "grant_money"
    assert table.header[0] == "Направление (вид конкурса)"
    assert table.rows[0] == ("для СО НКО", Decimal(60_000), 0, 0)
    assert table.rows[-1][0] == "всего"
    assert "итоговый отчёт добавляет только" in table.method
    assert "grant_money" in [t.key for t in breakdowns.tables(THIS_YEAR, fresh=True)]


def test_three_queries_whatever_the_number_of_grants(official, django_assert_num_queries):
    for _n in range(3):
        agreement = signed_agreement(official)
        _accepted(agreement, "final", _at(local_today(), 0, 1), ["10"])
    with django_assert_num_queries(3):
        grant_money.grant_money(THIS_YEAR)


# --- where it shows -------------------------------------------------------------------------


def test_the_api_gives_the_money_per_area_to_anyone(client, official):
    signed_agreement(official, amount=70_000)
    today = local_today()
    body = client.get(
        "/api/v1/kpi", {"from": f"{today.year}-01-01", "to": today.isoformat()}
    ).json()
    money = body["grant_money"]
    assert [row["area"] for row in money["areas"]] == list(K.values)
    assert money["areas"][0]["granted"] == "70000.00"
    assert money["total"] == {
        "area": "",
        "label": "всего",
        "granted": "70000.00",
        "paid": "0.00",
        "spent": "0.00",
    }
    assert "Предоставлено" in money["method"]


def test_the_dashboard_and_the_workbook_show_the_table(login_as, official):
    signed_agreement(official, amount=70_000)
    staff = login_as(official)
    year_number = local_today().year
    html = staff.get("/reports/", {"year": year_number}).content.decode()
    assert "Грантовые средства по направлениям" in html
    workbook = load_workbook(
        io.BytesIO(staff.get("/reports/indicators.xlsx", {"year": year_number}).content)
    )
    sheets = [ws for ws in workbook if ws.title.startswith("Грантовые средства")]
    assert len(sheets) == 1
    sheet = sheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:2] == ("для СО НКО", 70000)
    assert rows[-1][0] == "Как считается"


def test_the_passport_docx_has_the_table(login_as, official):
    signed_agreement(official, amount=70_000)
    content = login_as(official).get("/reports/passport.docx", {"year": local_today().year}).content
    document = Document(io.BytesIO(content))
    money = document.tables[-1]
    assert money.rows[0].cells[0].text == "Направление (вид конкурса)"
    assert money.rows[1].cells[1].text.replace("\u00a0", " ").replace(" ", "") == "70000"
