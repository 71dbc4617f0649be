"""Import of calls from the resource centre's CSV/XLSX: the mapping preview, errors per
row, only valid rows added, hostile files refused with a message (never a 500)."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from conftest import login
from dobry.core.clock import local_today
from dobry.opportunities import imports
from dobry.opportunities.models import Opportunity
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

URL = reverse("opportunities:import")
DAY = (local_today() + timedelta(days=20)).strftime("%d.%m.%Y")
HEADER = "Название;Программа;Организатор;Приём до;Грант до;Направления;Кто может подать;Ссылка"


def _csv(*lines: str, encoding="utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("calls.csv", "\n".join([HEADER, *lines]).encode(encoding))


GOOD = f"Президентские гранты;Фонд президентских грантов;ФПГ;{DAY};3 000 000;Дети и молодёжь, social;СО НКО;https://example.org"
BAD = "Без даты;Фонд президентских грантов;ФПГ;завтра;много;Космос;;"


def test_the_preview_shows_the_mapping_and_errors_per_row_and_saves_nothing(coordinator):
    response = login(coordinator).post(URL, {"file": _csv(GOOD, BAD), "action": "check"})
    preview = response.context["preview"]
    assert [row.number for row in preview.valid] == [2]
    [bad] = preview.invalid
    assert bad.number == 3
    text = " ".join(bad.errors)
    assert "приём заявок до" in text
    assert "грант до" in text
    assert "Космос".casefold() in text
    assert ("Приём до", "приём заявок до") in response.context["columns"]
    assert not Opportunity.objects.exists()


def test_import_adds_the_valid_rows_once(coordinator):
    client = login(coordinator)
    response = client.post(URL, {"file": _csv(GOOD, BAD), "action": "import"})
    assert response.context["added"] == 1
    call = Opportunity.objects.get()
    assert call.areas == ["children", "social"]
    assert call.eligible_kinds == ["sonko"]
    assert call.max_amount == 3_000_000
    again = client.post(URL, {"file": _csv(GOOD), "action": "import"})
    assert again.context["added"] == 0
    assert "уже есть" in " ".join(again.context["preview"].rows[0].errors)
    assert Opportunity.objects.count() == 1


def test_windows_1251_and_xlsx_are_read(coordinator):
    client = login(coordinator)
    client.post(URL, {"file": _csv(GOOD, encoding="cp1251"), "action": "import"})
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append(["ТОП-20", "Корпоративные конкурсы", "Росатом", local_today() + timedelta(days=5)])
    data = io.BytesIO()
    workbook.save(data)
    upload = SimpleUploadedFile("calls.xlsx", data.getvalue())
    response = client.post(URL, {"file": upload, "action": "import"})
    assert response.context["added"] == 1
    assert Opportunity.objects.count() == 2


def test_a_rule_the_service_refuses_is_an_error_of_its_row(coordinator):
    header = "Название;Программа;Организатор;Приём до;Грант от;Грант до"
    line = f"Странный;Другие программы;Кто-то;{DAY};500;1"
    upload = SimpleUploadedFile("c.csv", f"{header}\n{line}\n".encode())
    response = login(coordinator).post(URL, {"file": upload, "action": "import"})
    assert response.context["added"] == 0
    [row] = response.context["preview"].rows
    assert any("грант до" in error for error in row.errors)
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("calls.csv", b""),
        ("calls.csv", b"\x00\x01\x02"),
        ("calls.xlsx", b"PK\x03\x04 not a zip"),
        ("calls.exe", b"MZ"),
        ("calls.csv", "Название;Цвет\nx;y".encode()),
        (
            "calls.csv",
            ("Название;Программа;Организатор;Приём до\n" + "x;y;z;01.01.2030\n" * 600).encode(),
        ),
        ("calls.csv", b'"unterminated\n'),
    ],
)
def test_hostile_files_get_a_message_never_a_500(coordinator, name, content):
    response = login(coordinator).post(
        URL, {"file": SimpleUploadedFile(name, content), "action": "import"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Opportunity.objects.exists()


def test_hostile_cells_are_errors_of_their_rows():
    rows = [
        HEADER,
        "A;Фонд президентских грантов;Б;31.12.9999;1;;;",
        f"A;Фонд президентских грантов;Б;{DAY};-5;;;",
        f"A;Фонд президентских грантов, Конкурсы края;Б;{DAY};;;;",
        f"{'x' * 400};Фонд президентских грантов;Б;{DAY};;;;",
        f"A\u202e;Фонд президентских грантов;Б;{DAY};1e9;;;",
    ]
    preview = imports.read("\n".join(rows).encode(), "c.csv")
    assert len(preview.invalid) >= 3
    assert preview.rows[0].values["closes_on"].year == 9999  # refused by the service


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member"])
def test_only_coordinators_import(client, outsider, who):
    if who == "outsider":
        client = login(outsider)
    elif who == "member":
        client = login(MembershipFactory(role="owner").user)
    response = client.post(URL, {"file": _csv(GOOD), "action": "import"})
    assert response.status_code == (302 if who == "anonymous" else 403)
    assert not Opportunity.objects.exists()
