"""The registry of recipients of support downloads as XLSX and CSV with the page's filters,
for staff only, on POST (it names residents); every cell goes through export_cell, so a
typed formula stays text."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dobry.organizations.tests.factories import OrganizationFactory
from dobry.resources import services
from dobry.resources.models import SupportRecord

pytestmark = pytest.mark.django_db

XLSX, CSV = "/desk/support/registry.xlsx", "/desk/support/registry.csv"
HOSTILE = '=HYPERLINK("x")'


@pytest.fixture
def registry(coordinator, resident):
    organization = OrganizationFactory(
        name="АНО «Тёплый дом»", inn="2452000010", ogrn="1022401000017", address="ул. Ленина, 1"
    )
    hall = services.support_record_create(
        actor=coordinator,
        kind="property",
        day=date(2026, 3, 10),
        description="Зал для собрания",
        organization=organization,
        value_rub=Decimal("1500.50"),
    )
    services.support_record_create(
        actor=coordinator,
        kind="consulting",
        day=date(2026, 4, 2),
        description="Как зарегистрировать НКО",
        person=resident,
        giver="administration",
        giver_name="Отдел общественных связей",
    )
    return hall


def _rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_anonymous_visitors_are_sent_to_log_in(client, registry):
    for url in (XLSX, CSV):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")


def test_outsiders_and_organisation_members_get_nothing(login_as, outsider, registry):
    for url in (XLSX, CSV):
        for method in ("get", "post"):
            response = getattr(login_as(outsider), method)(url)
            assert response.status_code == 403
            assert "attachment" not in response.get("Content-Disposition", "")


def test_a_get_asks_first_and_keeps_the_filters(login_as, official, registry):
    response = login_as(official).get(XLSX, {"kind": "property"})
    assert response.status_code == 200
    assert "attachment" not in response.get("Content-Disposition", "")
    assert f'action="{XLSX}?kind=property"' in response.content.decode()


@pytest.mark.parametrize("staff", ["official", "coordinator"])
def test_staff_download_the_registry_with_its_columns(request, login_as, registry, staff):
    response = login_as(request.getfixturevalue(staff)).post(XLSX)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="support-registry-')
    header, *rows = _rows(response.content)
    assert header[:4] == [
        "Номер записи",
        "Дата внесения записи",
        "Основание",
        "Получатель поддержки",
    ]
    hall = next(row for row in rows if row[0] == registry.pk)
    assert hall[2] == "внесена сотрудником"
    assert hall[3:10] == [
        "АНО «Тёплый дом»",
        "2452000010",
        "1022401000017",
        "ул. Ленина, 1",
        "имущественная",
        "Зал для собрания",
        1500.5,  # a number, not text
    ]
    assert hall[10].date() == date(2026, 3, 10)
    person = next(row for row in rows if row[0] != registry.pk)
    assert person[3] == "Анна Жителева"
    assert person[4] in ("", None)  # a resident has no ИНН
    assert person[11:] == ["администрация", "Отдел общественных связей"]


def test_csv_is_for_russian_excel_with_decimal_commas(login_as, official, registry):
    response = login_as(official).post(CSV)
    assert response.status_code == 200
    _header, *rows = _csv(response.content)
    hall = next(row for row in rows if row[0] == str(registry.pk))
    assert hall[9] == "1500,5"
    assert hall[10] == "10.03.2026"


def test_the_export_has_the_filters_of_the_page(login_as, official, registry):
    client = login_as(official)
    by_kind = _rows(client.post(f"{XLSX}?kind=property").content)[1:]
    assert [row[0] for row in by_kind] == [registry.pk]
    by_date = _csv(client.post(f"{CSV}?date_from=2026-04-01&date_to=2026-04-30").content)[1:]
    assert [row[8] for row in by_date] == ["Как зарегистрировать НКО"]
    by_organisation = _rows(client.post(f"{XLSX}?organization={registry.organization_id}").content)[
        1:
    ]
    assert [row[0] for row in by_organisation] == [registry.pk]


def test_the_page_offers_both_downloads_with_its_filters(login_as, official, registry):
    body = login_as(official).get("/desk/support/", {"kind": "property"}).content.decode()
    assert f'<form method="post" action="{XLSX}?kind=property"' in body
    assert f'<form method="post" action="{CSV}?kind=property"' in body
    assert f'href="{XLSX}' not in body


@pytest.mark.parametrize(
    "query", ["date_from=0001-01-01", "organization=%C2%B2", "kind=nonsense", "date_to=31.02.2026"]
)
def test_a_wrong_filter_is_a_clear_400_not_the_whole_registry(login_as, official, registry, query):
    response = login_as(official).post(f"{XLSX}?{query}")
    assert response.status_code == 400
    assert "attachment" not in response.get("Content-Disposition", "")
    assert query.split("=")[0] in response.content.decode()


def test_an_automatic_entry_names_the_record_it_came_from(login_as, official, coordinator):
    organization = OrganizationFactory()
    record = services.support_record_for_source(
        source=organization,
        kind="informational",
        day=date(2026, 5, 1),
        made_from=SupportRecord.MadeFrom.NEWS,
        organization=organization,
        person=None,
    )
    rows = _rows(login_as(official).post(XLSX).content)[1:]
    assert [row[2] for row in rows if row[0] == record.pk] == [f"организация №{organization.pk}"]


def test_a_hostile_recipient_name_is_exported_inert(login_as, official, coordinator):
    organization = OrganizationFactory(name=HOSTILE, short_name=HOSTILE)
    services.support_record_create(
        actor=coordinator,
        kind="financial",
        day=date(2026, 3, 1),
        description=HOSTILE,
        organization=organization,
    )
    client = login_as(official)
    sheet = load_workbook(io.BytesIO(client.post(XLSX).content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert sheet["D2"].value == HOSTILE
    assert sheet["D2"].data_type == "s"
    row = _csv(client.post(CSV).content)[1]
    assert row[3] == "'" + HOSTILE
    assert row[8] == "'" + HOSTILE


@pytest.mark.parametrize("count", [1, 40])
def test_the_export_keeps_a_fixed_query_count(login_as, official, coordinator, resident, count):
    for n in range(count):
        services.support_record_create(
            actor=coordinator,
            kind="consulting",
            day=date(2026, 3, 1),
            description=f"Консультация {n}",
            organization=OrganizationFactory() if n % 2 else None,
            person=None if n % 2 else resident,
        )
    client = login_as(official)
    with CaptureQueriesContext(connection) as captured:
        assert client.post(XLSX).status_code == 200
    assert len(captured) <= 4
    assert SupportRecord.objects.count() == count
