import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dobry.core.clock import city_zone
from dobry.core.models import AuditEntry
from dobry.events.tests.factories import EventFactory
from dobry.helprequests.models import ProgrammeRecord
from dobry.helprequests.tests.factories import ProgrammeFactory
from dobry.reports.models import ReachFigure, Target

pytestmark = pytest.mark.django_db


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=city_zone())


def test_who_sees_which_dashboard(client, login_as, outsider, official, coordinator):
    assert client.get("/reports/").status_code == 302
    assert login_as(outsider).get("/reports/").status_code == 403
    assert login_as(official).get("/reports/").status_code == 200
    assert login_as(coordinator).get("/reports/?year=2025").status_code == 200
    public = client.get("/reports/public/?year=2025")
    assert public.status_code == 200
    assert "Сверх паспорта" not in public.content.decode()
    assert login_as(outsider).get("/reports/targets/").status_code == 403
    assert login_as(outsider).get("/reports/reach/").status_code == 403


def test_the_dashboard_shows_values_targets_and_the_previous_period(login_as, official):
    ProgrammeFactory(starts_on=date(2024, 1, 1))
    ProgrammeFactory(starts_on=date(2025, 3, 1))
    staff = login_as(official)
    staff.post(
        "/reports/targets/",
        {"year": "2025", "programmes": "2", "helped_residents": "5000"},
    )
    assert Target.objects.get(indicator="programmes", year=2025).value == 2
    assert AuditEntry.objects.filter(action="report.target").count() == 2
    page = staff.get("/reports/?kind=year&year=2025")
    rows = {row.figure.key: row for row in page.context["rows"]}
    assert rows["programmes"].figure.value == 2
    assert rows["programmes"].previous.value == 1
    assert rows["programmes"].reached is True
    assert rows["helped_residents"].reached is False
    assert len(rows["programmes"].trend) == 12
    assert "<svg" in page.content.decode()
    quarter = staff.get("/reports/?kind=quarter&year=2025&quarter=1").context["rows"]
    assert quarter[4].figure.value == 2
    assert quarter[4].target_note == "цель на 2025 год"


def test_bad_period_falls_back_with_a_message(login_as, official):
    page = login_as(official).get("/reports/?kind=custom&from=завтра")
    assert page.status_code == 200
    assert "Неверный период" in page.content.decode()


def test_reach_figures_need_a_source(login_as, official):
    staff = login_as(official)
    refused = staff.post(
        "/reports/reach/",
        {"date": "2025-03-01", "channel": "media", "title": "Статья", "source": " ", "people": 500},
    )
    assert refused.status_code == 200
    assert not ReachFigure.objects.exists()
    staff.post(
        "/reports/reach/",
        {
            "date": "2025-03-01",
            "channel": "media",
            "title": "Статья",
            "source": "тираж газеты",
            "people": 500,
        },
    )
    assert ReachFigure.objects.get().people == 500


def test_coordinators_tag_infrastructure_events(login_as, coordinator, outsider):
    event = EventFactory(kind="seminar", starts_at=local(2025, 4, 1, 18))
    listing = login_as(coordinator).get("/reports/infrastructure/?year=2025")
    assert event.title in listing.content.decode()
    assert (
        login_as(outsider).post(f"/reports/infrastructure/{event.pk}/", {"value": "1"}).status_code
        == 403
    )
    login_as(coordinator).post(
        f"/reports/infrastructure/{event.pk}/", {"value": "1", "next": "https://evil.example/"}
    )
    event.refresh_from_db()
    assert event.infrastructure is True
    assert AuditEntry.objects.filter(action="event.infrastructure").exists()


@pytest.mark.parametrize("body", [{}, {"value": ""}, {"value": "yes"}])
def test_a_mark_without_its_value_is_a_400_not_an_unmarking(login_as, coordinator, body):
    """The page read a missing value as «not counted» and unmarked the event."""
    event = EventFactory(kind="seminar", starts_at=local(2025, 4, 1, 18), infrastructure=True)
    response = login_as(coordinator).post(f"/reports/infrastructure/{event.pk}/", body)
    assert response.status_code == 400
    assert "«value»" in response.content.decode()
    event.refresh_from_db()
    assert event.infrastructure is True


def test_open_data_api_and_csv(client):
    ProgrammeFactory(starts_on=date(2024, 1, 1))
    data = client.get("/api/v1/kpi", {"from": "2025-01-01", "to": "2025-12-31"}).json()
    assert data["from"] == "2025-01-01"
    assert data["previous_from"] == "2024-01-01"
    programmes = next(i for i in data["indicators"] if i["indicator"] == "programmes")
    assert Decimal(programmes["value"]) == 1
    assert programmes["method"]
    bad = client.get("/api/v1/kpi", {"from": "2025-12-31", "to": "2025-01-01"})
    assert bad.status_code == 422
    rows = list(
        csv.reader(
            io.StringIO(client.get("/reports/kpi.csv?year=2025").content.decode("utf-8-sig"))
        )
    )
    assert rows[0][0] == "indicator"
    assert len(rows) == 7


@pytest.mark.parametrize("count", [1, 10])
def test_dashboard_keeps_a_fixed_query_count(
    login_as, official, django_assert_max_num_queries, count
):
    for _ in range(count):
        ProgrammeFactory(starts_on=date(2025, 1, 1))
        EventFactory(infrastructure=True, starts_at=local(2025, 5, 1, 12))
    from dobry.reports.periods import year
    from dobry.reports.services import snapshots_store

    snapshots_store(months=year(2025).months())  # what the daily job does
    staff = login_as(official)
    # + session, beyond (charity: 2), breakdowns (grant money per area: 3), economics, grant
    # reports (2)
    with django_assert_max_num_queries(41):
        assert staff.get("/reports/?year=2025").status_code == 200


def test_stored_months_stay_stable_until_staff_recompute(login_as, official):
    from dobry.reports.services import snapshots_due

    ProgrammeFactory(starts_on=date(2025, 1, 1))
    snapshots_due()
    ProgrammeFactory(starts_on=date(2025, 2, 1))  # entered late
    staff = login_as(official)
    trend = dict(staff.get("/reports/?year=2025").context["rows"][4].trend)
    assert trend["03.25"] == 1  # the stored value
    staff.post("/reports/snapshots/", {"year": "2025"})
    trend = dict(staff.get("/reports/?year=2025").context["rows"][4].trend)
    assert trend["03.25"] == 2
    assert AuditEntry.objects.filter(action="report.snapshots_recompute").exists()


def test_exports_for_staff(login_as, official, outsider):
    import io as _io

    from docx import Document
    from openpyxl import load_workbook

    warm_hands = ProgrammeFactory(starts_on=date(2025, 1, 1), name="Тёплые руки")
    ProgrammeRecord.objects.create(
        confirmed_at=timezone.now(),
        programme=warm_hands,
        month=date(2025, 5, 1),
        people=12,
        first_time=12,
    )
    staff = login_as(official)
    assert login_as(outsider).get("/reports/passport.docx?year=2025").status_code == 403
    docx = staff.get("/reports/passport.docx?year=2025")
    table = Document(_io.BytesIO(docx.content)).tables[0]
    assert [cell.text for cell in table.rows[0].cells][:3] == [
        "№",
        "Показатель, единица измерения",
        "Значение показателя",
    ]
    assert table.rows[5].cells[1].text.startswith("Количество реализуемых программ")
    assert table.rows[5].cells[2].text == "1"
    workbook = load_workbook(_io.BytesIO(staff.get("/reports/indicators.xlsx?year=2025").content))
    assert workbook.sheetnames[:7] == [
        "Показатели",
        "1. Мероприятия инфраструктуры",
        "2. Информированность",
        "3. Вовлечённость жителей",
        "4. Поддержка организаций",
        "5. Программы помощи",
        "6. Получившие помощь",
    ]
    assert "Волонтёры по возрасту" in workbook.sheetnames
    assert all(len(name) <= 31 for name in workbook.sheetnames)
    assert workbook["5. Программы помощи"]["A2"].value == "Тёплые руки"
    helped = {
        row[0]: row[1]
        for row in workbook["6. Получившие помощь"].iter_rows(min_row=2, values_only=True)
    }
    assert helped["получатели программы «Тёплые руки»"] == 12
    assert helped["уникальных получателей"] == 12


def test_staff_changes_show_at_once_despite_the_cache(login_as, official):
    staff = login_as(official)
    first = staff.get("/reports/?year=2025").context["rows"][4]
    assert first.target is None
    staff.post("/reports/targets/", {"year": "2025", "programmes": "7"})
    again = staff.get("/reports/?year=2025").context["rows"][4]
    assert again.target == 7


def test_periods_out_of_range_are_a_clear_error(client):
    response = client.get("/api/v1/kpi", {"from": "0001-01-01", "to": "9999-12-31"})
    assert response.status_code == 422
    page = client.get("/reports/public/?kind=year&year=99999")
    assert page.status_code == 200
    assert "Неверный период" in page.content.decode()


def test_the_warming_job_computes_ahead_of_the_visitors(
    login_as, official, django_assert_max_num_queries
):
    from django.utils import timezone as tz

    from dobry.reports.services import reports_warm

    ProgrammeFactory(starts_on=date(2024, 1, 1))
    today = tz.localdate()
    this_year = today.year
    assert reports_warm() == [
        str(this_year),
        f"{(today.month - 1) // 3 + 1} квартал {this_year}",
        f"{today:%m.%Y}",
        str(this_year - 1),
    ]
    staff = login_as(official)
    with django_assert_max_num_queries(10):  # session, user, notifications: no figures
        page = staff.get(f"/reports/?year={this_year}")
        staff.get(f"/reports/?kind=month&year={this_year}&month={today.month}")
    assert page.context["rows"][4].figure.value == 1
    ProgrammeFactory(starts_on=date(2024, 1, 1))
    assert staff.get(f"/reports/?year={this_year}").context["rows"][4].figure.value == 1
    reports_warm()  # the open year is recomputed on every run
    assert staff.get(f"/reports/?year={this_year}").context["rows"][4].figure.value == 2


def test_the_kpi_workbook_names_its_sheets_by_indicator_in_english_too(login_as, official):
    staff = login_as(official)
    staff.post("/i18n/setlang/", {"language": "en", "next": "/"})
    content = staff.get("/reports/indicators.xlsx?year=2025").content
    names = load_workbook(io.BytesIO(content)).sheetnames
    assert names[1:7] == [
        "1. Infrastructure events",
        "2. Informed residents",
        "3. Involved residents",
        "4. Organisations supported",
        "5. Help programmes",
        "6. Residents helped",
    ]
    assert all(len(name) <= 31 for name in names)
