"""The application's tables and the commission's lists take as many rows as needed: added
and removed in the page with JavaScript, and without it by the «Добавить строку» /
«Удалить строку» buttons, which keep everything typed (issue 11 §6: three fixed rows).
Budget totals and the required marks are on the page as saved."""

from decimal import Decimal

import pytest

from dobry.core import rows
from dobry.grants.models import Meeting
from dobry.grants.services import applications
from dobry.grants.tests.factories import (
    applicant_organization,
    close_applications,
    decide,
    open_competition,
    scored_applications,
)

pytestmark = pytest.mark.django_db
NBSP = "\xa0"


@pytest.fixture
def draft(official):
    competition = open_competition(official, max_grant=Decimal(300_000))
    organization, leader = applicant_organization()
    application = applications.application_create(
        user=leader, competition=competition, organization=organization
    )
    return application, leader


def _edit(application) -> str:
    return f"/grants/applications/{application.pk}/edit/"


def test_a_new_draft_shows_one_row_per_table_and_named_buttons(login_as, draft):
    application, leader = draft
    page = login_as(leader).get(_edit(application)).content.decode()
    assert 'id="calendar-0-title"' in page
    assert 'id="calendar-1-title"' not in page
    for name in ("Календарный план", "Результаты и показатели", "Бюджет"):
        assert f'Добавить строку<span class="visually-hidden"> ({name})</span>' in page
    assert 'name="remove_row" value="budget-0"' in page
    assert 'id="calendar-__prefix__-title"' in page  # the row the script copies
    assert "static/js/rows.js" in page or "js/rows" in page


def test_required_fields_are_marked_and_explained(login_as, draft):
    application, leader = draft
    page = login_as(leader).get(_edit(application)).content.decode()
    assert "Поля со знаком * нужно заполнить, чтобы подать заявку" in page
    assert '<label class="field-required" for="id_title">' in page
    assert 'aria-required="true"' in page
    assert 'name="partners"' in page
    start = page.index('name="partners"')
    assert "aria-required" not in page[start : page.index(">", start)]
    start = page.index('name="summary"')
    assert 'aria-required="true"' in page[start : page.index(">", start)]
    title = page[page.index('id="calendar-0-title"') : page.index('id="calendar-0-title"') + 200]
    assert 'required aria-required="true"' in title
    source = page.index('id="budget-0-cofinancing_source"')
    assert "aria-required" not in page[source : page.index(">", source)]


def test_adding_a_row_without_javascript_keeps_what_was_typed(login_as, draft):
    application, leader = draft
    client = login_as(leader)
    response = client.post(
        _edit(application),
        {
            "title": "Скамейки",
            "summary": "Ставим скамейки.",
            "calendar-0-title": "Закупка",
            "calendar-0-starts_on": "2027-05-01",
            "calendar-0-ends_on": "",
            "add_row": "calendar",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?add=calendar#calendar-1-title")
    application.refresh_from_db()
    assert application.title == "Скамейки"
    assert application.content["summary"] == "Ставим скамейки."
    assert application.content["calendar"] == [
        {"title": "Закупка", "starts_on": "2027-05-01", "ends_on": ""}
    ]
    page = client.get(response["Location"]).content.decode()
    assert 'value="Закупка"' in page
    assert 'id="calendar-1-title" name="calendar-1-title" value="" required' in page
    new_row = page[page.index('id="calendar-1-title"') : page.index('id="calendar-1-title"') + 200]
    assert "autofocus" in new_row


def test_removing_a_row_without_javascript_drops_only_that_row(login_as, draft):
    application, leader = draft
    client = login_as(leader)
    response = client.post(
        _edit(application),
        {
            "title": "Скамейки",
            "budget-0-item": "Скамейки",
            "budget-0-quantity": "10",
            "budget-1-item": "Краска",
            "budget-1-quantity": "2",
            "budget-2-item": "Доставка",
            "remove_row": "budget-1",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert [row["item"] for row in application.content["budget"]] == ["Скамейки", "Доставка"]


def test_rows_posted_with_a_gap_are_all_kept(login_as, draft):
    application, leader = draft
    login_as(leader).post(
        _edit(application),
        {"indicators-0-name": "Участники", "indicators-3-name": "Встречи", "save": ""},
    )
    application.refresh_from_db()
    assert [row["name"] for row in application.content["indicators"]] == [
        "Участники",
        "Встречи",
    ]


@pytest.mark.parametrize(
    "extra", [{"add_row": "unknown"}, {"remove_row": "budget-99999"}, {"remove_row": "²"}]
)
def test_odd_row_buttons_just_save(login_as, draft, extra):
    application, leader = draft
    response = login_as(leader).post(_edit(application), {"title": "Скамейки", **extra})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.title == "Скамейки"


def test_budget_totals_and_the_limit_are_shown_as_saved(login_as, draft):
    application, leader = draft
    client = login_as(leader)
    client.post(
        _edit(application),
        {
            "budget-0-item": "Скамейки",
            "budget-0-quantity": "10",
            "budget-0-unit_cost": "15 000",
            "budget-0-requested": "150000",
            "budget-1-item": "Краска",
            "budget-1-quantity": "2",
            "budget-1-unit_cost": "2500,50",
            "budget-1-requested": "4000",
            "budget-1-cofinancing": "1001",
            "save": "",
        },
    )
    page = client.get(_edit(application)).content.decode()
    assert f'<span data-total="cost">155{NBSP}001,00</span> ₽' in page
    assert f'<span data-total="requested">154{NBSP}000,00</span> ₽ из 300{NBSP}000,00 ₽' in page
    assert f'<span data-total="cofinancing">1{NBSP}001,00</span>' in page
    assert 'data-state="within"' in page
    client.post(
        _edit(application),
        {"budget-0-item": "Скамейки", "budget-0-requested": "300000,01", "save": ""},
    )
    page = client.get(_edit(application)).content.decode()
    assert 'data-state="over"' in page
    assert "Запрошено больше максимального гранта конкурса." in page


def test_a_failed_submission_lists_the_rows_errors_in_the_summary(login_as, draft):
    application, leader = draft
    response = login_as(leader).post(
        _edit(application),
        {"title": "Скамейки", "budget-0-item": "Скамейки", "budget-0-requested": "x", "submit": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "data-error-summary" in page
    assert '<a href="#budget-0-requested">Бюджет, 1: Запрошено, ₽: Введите число' in page
    assert "Черновик не сохранён" in page  # «x» is no number: the draft keeps none


def test_a_failed_submission_lists_every_rows_errors_in_the_summary(login_as, draft):
    application, leader = draft
    response = login_as(leader).post(
        _edit(application),
        {
            "title": "Скамейки",
            "budget-0-item": "Скамейки",
            "budget-0-requested": "-1",
            "submit": "",
        },
    )
    page = response.content.decode()
    assert "data-error-summary" in page
    assert '<a href="#budget-0-requested">Бюджет, 1: Запрошено, ₽: Введите число' in page
    assert '<a href="#calendar-heading">Календарный план: Добавьте хотя бы одно' in page


def test_the_form_refuses_anonymous_outsiders_and_late_editing(client, login_as, outsider, draft):
    application, leader = draft
    assert client.post(_edit(application), {"add_row": "calendar"}).status_code == 302
    assert login_as(outsider).post(_edit(application), {"add_row": "calendar"}).status_code == 404
    close_applications(application.competition)
    assert login_as(leader).post(_edit(application), {"add_row": "calendar"}).status_code == 403


# --- the commission's lists -----------------------------------------------------------------


@pytest.fixture
def allocated(official):
    competition = open_competition(official, budget=Decimal(300_000))
    scored_applications(competition, official, [(9, 200_000)])
    close_applications(competition)
    from dobry.grants.services import decisions

    decisions.allocation_run(actor=official, competition=competition, final=True)
    return competition


def test_a_member_row_added_without_javascript_keeps_the_meeting_as_typed(
    login_as, official, allocated
):
    data = {
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "meeting-place": "Зал заседаний",
        "meeting-quorum": "2",
        "members-0-name": "Иванова Анна",
        "members-0-sector": "administration",
        "members-0-role": "chair",
        "add_row": "members",
    }
    response = login_as(official).post(f"/grants/{allocated.pk}/commission/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert not Meeting.objects.exists()
    assert "data-error-summary" not in page
    assert 'value="Зал заседаний"' in page
    assert 'value="Иванова Анна"' in page
    assert 'name="members-TOTAL_FORMS" value="2"' in page
    assert 'id="id_members-1-name"' in page


def test_a_member_row_removed_without_javascript_moves_the_next_up(login_as, official, allocated):
    data = {
        "members-TOTAL_FORMS": "3",
        "members-INITIAL_FORMS": "0",
        "members-0-name": "Первая",
        "members-1-name": "Вторая",
        "members-2-name": "Третья",
        "remove_row": "members-1",
    }
    page = login_as(official).post(f"/grants/{allocated.pk}/commission/", data).content.decode()
    assert 'name="members-TOTAL_FORMS" value="2"' in page
    assert 'name="members-1-name" value="Третья"' in page
    assert "Вторая" not in page


def test_the_commission_still_records_a_meeting_with_added_rows(login_as, official, allocated):
    data = {
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "0",
        "meeting-held_at": "2027-01-15T10:00",
        "meeting-quorum": "2",
        "members-0-name": "Первая",
        "members-0-sector": "nko",
        "members-0-role": "chair",
        "members-0-present": "on",
        "members-1-name": "Вторая",
        "members-1-sector": "business",
        "members-1-role": "member",
        "members-1-present": "on",
    }
    response = login_as(official).post(f"/grants/{allocated.pk}/commission/", data)
    assert response.status_code == 302
    assert list(Meeting.objects.get().members.values_list("name", flat=True)) == [
        "Первая",
        "Вторая",
    ]


def test_an_amendment_row_is_added_on_the_commission_page(login_as, official, allocated):
    from django.utils import timezone

    from dobry.grants.services import decisions

    decisions.meeting_create(
        actor=official,
        competition=allocated,
        held_at=timezone.now(),
        quorum=1,
        members=[{"name": "Иванова Анна", "sector": "administration"}],
    )
    client = login_as(official)
    page = client.get(f"/grants/{allocated.pk}/commission/").content.decode()
    assert f'formaction="/grants/{allocated.pk}/commission/"' in page
    data = {
        "amend-TOTAL_FORMS": "1",
        "amend-INITIAL_FORMS": "0",
        "amend-0-amount": "90000",
        "amend-0-reason": "Смета завышена",
        "add_row": "amend",
    }
    page = client.post(f"/grants/{allocated.pk}/commission/", data).content.decode()
    assert 'name="amend-TOTAL_FORMS" value="2"' in page
    assert "Смета завышена" in page
    assert "data-error-summary" not in page


def test_formset_data_reshapes_rows():
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data.update({"m-TOTAL_FORMS": "3", "m-0-a": "x", "m-1-a": "y", "m-2-a": "z", "other": "1"})
    added = rows.formset_data(data, rows.RowChange("m"))
    assert added["m-TOTAL_FORMS"] == "4"
    removed = rows.formset_data(data, rows.RowChange("m", 0))
    assert (removed["m-TOTAL_FORMS"], removed["m-0-a"], removed["m-1-a"]) == ("2", "y", "z")
    assert "m-2-a" not in removed
    assert removed["other"] == "1"
    assert rows.row_change({"remove_row": "m-٣"}, ["m"]) is None
    assert rows.row_change({"remove_row": "m-2"}, ["m"]) == rows.RowChange("m", 2)


def test_after_results_the_form_is_gone(login_as, official):
    competition = open_competition(official, budget=Decimal(300_000))
    scored_applications(competition, official, [(9, 200_000)])
    decide(competition, official)
    page = login_as(official).get(f"/grants/{competition.pk}/commission/").content.decode()
    assert "Добавить строку" not in page
