"""The record book's totals and badges, the public profile, the thank-you letters, the
yearly summary and the DOBRO.RF export: only confirmed hours count, only one's own."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest

from dobry.accounts.models import ConsentDocument
from dobry.accounts.services import consent_accept
from dobry.events.tests.factories import volunteer
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.volunteering.models import HoursEntry, VolunteerProfile
from dobry.volunteering.selectors import hours_summary

pytestmark = pytest.mark.django_db
C, P, D = HoursEntry.Status.CONFIRMED, HoursEntry.Status.PENDING, HoursEntry.Status.DECLINED


def entry(user, organization, hours, day=date(2025, 5, 1), status=C, area="", **kwargs):
    return HoursEntry.objects.create(
        user=user,
        organization=organization,
        date=day,
        hours=Decimal(hours),
        claimed_hours=Decimal(hours),
        source=HoursEntry.Source.CLAIM,
        status=status,
        area=area,
        **kwargs,
    )


@pytest.fixture
def person():
    return volunteer(first_name="Вера", last_name="Волонтёрова", middle_name="Павловна")


@pytest.mark.parametrize(
    ("total", "badges", "next_badge"),
    [
        ("0", [], 10),
        ("9.75", [], 10),
        ("10", [10], 50),
        ("49.99", [10], 50),
        ("50", [10, 50], 100),
        ("499", [10, 50, 100, 250], 500),
        ("500", [10, 50, 100, 250, 500], None),
        ("1200", [10, 50, 100, 250, 500], None),
    ],
)
def test_badges_are_earned_at_each_milestone_of_confirmed_hours(person, total, badges, next_badge):
    if total != "0":
        # One entry holds at most 24 h (a day): 1200 h are fifty days' entries.
        organization, left, day = OrganizationFactory(), Decimal(total), date(2025, 1, 1)
        while left > 0:
            entry(person, organization, min(left, Decimal(24)), day=day)
            left -= min(left, Decimal(24))
            day += timedelta(days=1)
    summary = hours_summary(person)
    assert (summary["total"], summary["badges"], summary["next_badge"]) == (
        Decimal(total),
        badges,
        next_badge,
    )


def test_pending_declined_and_other_peoples_hours_earn_no_badge(person):
    organization = OrganizationFactory()
    entry(person, organization, "9")
    entry(person, organization, "20", status=P)
    entry(person, organization, "20", status=D)
    entry(volunteer(), organization, "20")
    summary = hours_summary(person)
    assert (summary["total"], summary["badges"]) == (Decimal("9"), [])


def test_the_summary_splits_by_year_organisation_and_area(person):
    argo = OrganizationFactory(short_name="АРГО", name="Фонд АРГО")
    opora = OrganizationFactory(short_name="Опора", name="Центр Опора")
    entry(person, argo, "3", day=date(2024, 12, 31), area="elderly")
    entry(person, argo, "2", day=date(2025, 1, 1), area="elderly")
    entry(person, opora, "4", day=date(2025, 6, 1), area="ecology")
    entry(person, opora, "1.5", day=date(2025, 6, 2))
    entry(person, opora, "1", day=date(2025, 6, 3), area="retired-area-code")
    summary = hours_summary(person)
    assert [(row["year"], row["total"]) for row in summary["by_year"]] == [
        (2025, Decimal("8.5")),
        (2024, Decimal("3")),
    ]
    assert [
        (row["organization__short_name"], row["total"]) for row in summary["by_organization"]
    ] == [
        ("Опора", Decimal("6.5")),
        ("АРГО", Decimal("5")),
    ]
    # an entry without an area and one whose area is no longer known are both «—»
    assert dict(summary["by_area"]) == {
        "Старшее поколение": Decimal("5"),
        "Экология": Decimal("4"),
        "—": Decimal("2.5"),
    }


def test_the_record_book_pages_every_entry_of_mine_fifty_at_a_time(login_as, person):
    organization = OrganizationFactory()
    for day in range(1, 29):
        for status in (C, P):
            entry(person, organization, "1", day=date(2025, 2, day), status=status)
    entry(person, organization, "1", day=date(2025, 3, 1), status=D)
    client = login_as(person)
    first = client.get("/volunteer/book/").context["page"]
    second = client.get("/volunteer/book/", {"page": 2}).context["page"]
    assert (len(first), len(second)) == (50, 7)
    assert first[0].date == date(2025, 3, 1)  # newest first
    # a page number that is not one is the first page, not an error
    assert len(client.get("/volunteer/book/", {"page": "два"}).context["page"]) == 50


# --- public profile --------------------------------------------------------------------


@pytest.fixture
def public_person(person):
    consent_accept(user=person, kind=ConsentDocument.Kind.PUBLIC_PROFILE, ip_address=None)
    VolunteerProfile.objects.filter(user=person).update(public_profile=True)
    return person


def test_a_public_profile_shows_confirmed_hours_and_badges(client, public_person):
    entry(public_person, OrganizationFactory(short_name="АРГО"), "12")
    entry(public_person, OrganizationFactory(), "40", status=P)
    response = client.get(f"/volunteer/people/{public_person.pk}/")
    assert response.context["summary"]["total"] == Decimal("12")
    assert response.context["summary"]["badges"] == [10]
    assert "Волонтёрова" not in response.content.decode()


def test_a_deactivated_account_has_no_public_profile(client, public_person):
    type(public_person).objects.filter(pk=public_person.pk).update(is_active=False)
    assert client.get(f"/volunteer/people/{public_person.pk}/").status_code == 404


def test_a_public_flag_without_its_consent_shows_nothing(client, person):
    VolunteerProfile.objects.filter(user=person).update(public_profile=True)
    assert client.get(f"/volunteer/people/{person.pk}/").status_code == 404


# --- letters and the yearly summary -------------------------------------------------------


def test_a_thank_you_letter_names_the_work_the_day_the_hours_and_the_thanks(login_as, person):
    thanked = entry(
        person,
        OrganizationFactory(name="Фонд «Опора»"),
        "2.5",
        day=date(2025, 5, 9),
        description="Парад",
        thanks="Вы были незаменимы!",
    )
    body = login_as(person).get(f"/volunteer/certificates/{thanked.pk}/").content.decode()
    assert "Волонтёрова Вера Павловна" in body
    assert "9 мая 2025" in body
    assert "2,5 ч" in body or "2.5 ч" in body
    assert "Вы были незаменимы!" in body
    assert "Фонд «Опора»" in body


@pytest.mark.parametrize("status", [P, D])
def test_hours_not_confirmed_have_no_letter(login_as, person, status):
    undecided = entry(person, OrganizationFactory(), "2", status=status)
    assert login_as(person).get(f"/volunteer/certificates/{undecided.pk}/").status_code == 404


def test_someone_elses_letter_is_a_404_in_both_formats(login_as, person):
    theirs = entry(volunteer(), OrganizationFactory(), "2")
    client = login_as(person)
    assert client.get(f"/volunteer/certificates/{theirs.pk}/").status_code == 404
    assert client.get(f"/volunteer/certificates/{theirs.pk}/?format=docx").status_code == 404


def test_the_letter_downloads_for_word(login_as, person):
    thanked = entry(person, OrganizationFactory(), "2")
    response = login_as(person).get(f"/volunteer/certificates/{thanked.pk}/", {"format": "docx"})
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert f'filename="thanks-{thanked.pk}.docx"' in response["Content-Disposition"]


def test_the_yearly_summary_sums_that_years_confirmed_hours_by_organisation(login_as, person):
    argo = OrganizationFactory(name="Фонд АРГО")
    opora = OrganizationFactory(name="Центр Опора")
    entry(person, argo, "3", day=date(2025, 1, 1))
    entry(person, argo, "2", day=date(2025, 12, 31))
    entry(person, opora, "6", day=date(2025, 7, 1))
    entry(person, opora, "100", day=date(2024, 12, 31))
    entry(person, opora, "100", day=date(2025, 7, 2), status=P)
    entry(volunteer(), opora, "100", day=date(2025, 7, 2))
    response = login_as(person).get("/volunteer/book/2025/")
    assert response.context["paragraphs"][1:4] == [
        "В 2025 году вы помогали городу 11 ч.",
        "Центр Опора — 6 ч",
        "Фонд АРГО — 5 ч",
    ]


def test_a_year_without_confirmed_hours_has_no_summary(login_as, person):
    entry(person, OrganizationFactory(), "4", day=date(2025, 3, 1), status=P)
    assert login_as(person).get("/volunteer/book/2025/").status_code == 404


# --- the DOBRO.RF export ---------------------------------------------------------------


def test_the_export_is_for_my_confirmed_hours_in_date_order_with_decimal_commas(login_as, person):
    organization = OrganizationFactory(name="Фонд «Опора»", inn="2452000000")
    entry(person, organization, "1.5", day=date(2025, 6, 2), description="Сбор вещей")
    entry(person, organization, "3", day=date(2025, 6, 1), description="Раздача обедов")
    entry(person, organization, "9", day=date(2025, 6, 3), status=P)
    entry(volunteer(), organization, "9", day=date(2025, 6, 3))
    response = login_as(person).get("/volunteer/book/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Фамилия"
    assert [row[5:] for row in rows[1:]] == [
        ["Раздача обедов", "Фонд «Опора»", "2452000000", "01.06.2025", "3"],
        ["Сбор вещей", "Фонд «Опора»", "2452000000", "02.06.2025", "1,5"],
    ]
    assert rows[1][:5] == ["Волонтёрова", "Вера", "Павловна", "17.05.1990", person.email]


def test_the_xlsx_export_keeps_hours_as_numbers(login_as, person):
    entry(person, OrganizationFactory(), "2.25", day=date(2025, 6, 1))
    response = login_as(person).get("/volunteer/book/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=10).value == 2.25
    assert sheet.cell(row=2, column=9).value == "01.06.2025"


def test_an_export_in_another_format_is_a_404(login_as, person):
    assert login_as(person).get("/volunteer/book/export.pdf").status_code == 404


def test_an_export_without_a_profile_leaves_the_birth_date_empty(login_as):
    from dobry.accounts.tests.factories import UserFactory

    newcomer = UserFactory(last_name="Новикова")
    entry(newcomer, OrganizationFactory(), "1")
    response = login_as(newcomer).get("/volunteer/book/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert (rows[1][0], rows[1][3]) == ("Новикова", "")
