import io
from datetime import date
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from dobry.events.tests.factories import volunteer
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.volunteering.models import HoursEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed_entry():
    person = volunteer(born=date(1996, 4, 12), first_name="Дмитрий", last_name="Добров")
    return HoursEntry.objects.create(
        user=person,
        organization=OrganizationFactory(name="АНО «Тёплый дом»"),
        date=date(2026, 5, 9),
        hours=Decimal("4.5"),
        claimed_hours=Decimal("4.5"),
        description="Акция «Белая трость»",
        source="bulk",
        status=HoursEntry.Status.CONFIRMED,
        thanks="Спасибо за помощь!",
    )


def test_thank_you_letter_is_printable_and_downloadable_only_by_its_owner(
    login_as, confirmed_entry, outsider
):
    client = login_as(confirmed_entry.user)
    page = client.get(f"/volunteer/certificates/{confirmed_entry.pk}/").content.decode()
    assert "Благодарственное письмо" in page
    assert "Добров Дмитрий" in page
    assert "Спасибо за помощь!" in page
    docx = client.get(f"/volunteer/certificates/{confirmed_entry.pk}/?format=docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Белая трость" in text
    assert (
        login_as(outsider).get(f"/volunteer/certificates/{confirmed_entry.pk}/").status_code == 404
    )


def test_pending_hours_have_no_letter(login_as, confirmed_entry):
    HoursEntry.objects.filter(pk=confirmed_entry.pk).update(status=HoursEntry.Status.PENDING)
    assert (
        login_as(confirmed_entry.user)
        .get(f"/volunteer/certificates/{confirmed_entry.pk}/")
        .status_code
        == 404
    )


def test_year_summary(login_as, confirmed_entry):
    client = login_as(confirmed_entry.user)
    assert (
        "В 2026 году вы помогали городу 4,5 ч."
        in client.get("/volunteer/book/2026/").content.decode()
    )
    assert client.get("/volunteer/book/2025/").status_code == 404
    assert client.get("/volunteer/book/2026/?format=docx")["Content-Type"].endswith("document")


def test_dobro_rf_export_has_the_fields_it_needs(login_as, confirmed_entry):
    client = login_as(confirmed_entry.user)
    workbook = load_workbook(io.BytesIO(client.get("/volunteer/book/export.xlsx").content))
    rows = list(workbook.active.values)
    assert rows[0][:4] == ("Фамилия", "Имя", "Отчество", "Дата рождения")
    assert rows[1][0] == "Добров"
    assert rows[1][3] == "12.04.1996"
    assert rows[1][-2:] == ("09.05.2026", 4.5)
    csv_body = client.get("/volunteer/book/export.csv").content.decode("utf-8-sig")
    assert "Добров;Дмитрий;" in csv_body
    assert client.get("/volunteer/book/export.pdf").status_code == 404


def test_documents_need_login(client, confirmed_entry):
    assert client.get("/volunteer/book/export.xlsx").status_code == 302
