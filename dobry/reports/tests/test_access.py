"""Every reports page and action as each role: anonymous visitors are sent to log in (the
open data and the public report excepted), residents and members of organisations are
refused with the reason, officials, coordinators and platform admins are let in; a refused
write changes nothing. Bad input is a message or a 4xx, never a 500."""

from datetime import datetime
from decimal import Decimal

import pytest

from dobry.core.clock import city_zone
from dobry.core.models import AuditEntry
from dobry.events.models import Event
from dobry.events.tests.factories import EventFactory
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory
from dobry.reports import permissions, services
from dobry.reports.models import ReachFigure, Snapshot, Target

pytestmark = pytest.mark.django_db
REFUSAL = "Отчёты видят сотрудники администрации и координаторы ресурсного центра."

PUBLIC = ["/reports/public/", "/reports/kpi.csv", "/api/v1/kpi"]
STAFF_PAGES = [
    "/reports/",
    "/reports/indicators.xlsx",
    "/reports/passport.docx",
    "/reports/targets/",
    "/reports/reach/",
    "/reports/infrastructure/",
]
STAFF = ["official", "coordinator", "admin_user"]
NOT_STAFF = ["resident", "org_editor"]


@pytest.fixture
def org_editor(db):
    return MembershipFactory(role=Membership.Role.EDITOR).user


@pytest.fixture
def people(resident, org_editor, official, coordinator, admin_user):
    return {
        "resident": resident,
        "org_editor": org_editor,
        "official": official,
        "coordinator": coordinator,
        "admin_user": admin_user,
    }


@pytest.fixture
def records(official):
    """A reach figure and an event to act on, both of 2025."""
    figure = services.reach_add(
        actor=official,
        day=datetime(2025, 4, 1, tzinfo=city_zone()).date(),
        channel="media",
        title="Эфир",
        source="справка редакции",
        people=100,
    )
    event = EventFactory(
        kind=Event.Kind.SEMINAR, starts_at=datetime(2025, 4, 2, 12, tzinfo=city_zone())
    )
    return figure, event


def writes(figure: ReachFigure, event: Event) -> list[tuple[str, dict[str, str]]]:
    return [
        ("/reports/targets/", {"year": "2025", "programmes": "7"}),
        (
            "/reports/reach/",
            {
                "date": "2025-05-01",
                "channel": "social",
                "title": "Пост",
                "source": "ВК",
                "people": "5",
            },
        ),
        (f"/reports/reach/{figure.pk}/delete/", {}),
        (f"/reports/infrastructure/{event.pk}/", {"value": "1"}),
        ("/reports/snapshots/", {"year": "2025"}),
    ]


def state(event: Event) -> tuple:
    event.refresh_from_db()
    return (
        Target.objects.count(),
        ReachFigure.objects.count(),
        event.infrastructure,
        Snapshot.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("url", PUBLIC)
@pytest.mark.parametrize("who", [None, *NOT_STAFF, *STAFF])
def test_the_public_report_and_open_data_are_for_everyone(client, login_as, people, url, who):
    reader = login_as(people[who]) if who else client
    assert reader.get(url, {"year": "2025"} if "api" not in url else {}).status_code == 200


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/accounts/login/?next={url}")


@pytest.mark.parametrize("url", STAFF_PAGES)
@pytest.mark.parametrize("who", NOT_STAFF)
def test_residents_and_organisations_are_refused_with_the_reason(login_as, people, url, who):
    response = login_as(people[who]).get(url)
    assert response.status_code == 403
    assert REFUSAL in response.content.decode()


@pytest.mark.parametrize("url", STAFF_PAGES)
@pytest.mark.parametrize("who", STAFF)
def test_staff_open_every_page(login_as, people, url, who):
    assert login_as(people[who]).get(url).status_code == 200


@pytest.mark.parametrize("who", [None, *NOT_STAFF])
def test_a_refused_write_changes_nothing(client, login_as, people, records, who):
    figure, event = records
    writer = login_as(people[who]) if who else client
    before = state(event)
    for url, data in writes(figure, event):
        response = writer.post(url, data)
        assert response.status_code == (403 if who else 302), url
        if not who:
            assert response["Location"].startswith("/accounts/login/")
    assert state(event) == before


@pytest.mark.parametrize("who", STAFF)
def test_each_staff_role_writes(login_as, people, records, who):
    figure, event = records
    staff = login_as(people[who])
    audited = AuditEntry.objects.filter(actor=people[who]).count()
    for url, data in writes(figure, event):
        assert staff.post(url, data).status_code == 302, url
    event.refresh_from_db()
    assert Target.objects.get(indicator="programmes", year=2025).value == 7
    assert list(ReachFigure.objects.values_list("title", flat=True)) == ["Пост"]
    assert event.infrastructure is True
    assert Snapshot.objects.filter(month__year=2025).count() == 12 * 6
    assert AuditEntry.objects.filter(actor=people[who]).count() == audited + 5


@pytest.mark.parametrize(
    "url",
    [
        "/reports/snapshots/",
        "/reports/reach/1/delete/",
        "/reports/infrastructure/1/",
    ],
)
def test_actions_are_posted_not_opened(login_as, official, url):
    assert login_as(official).get(url).status_code == 405


def test_the_permissions_say_who_edits_report_data(resident, official, coordinator, admin_user):
    for user in (official, coordinator, admin_user):
        assert permissions.can_edit_report_data(user)
    refused = permissions.can_edit_report_data(resident)
    assert not refused
    assert str(refused.reason) == REFUSAL


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("pk", ["999999", "9" * 19])
def test_acting_on_what_does_not_exist_is_a_404(login_as, official, pk):
    staff = login_as(official)
    assert staff.post(f"/reports/reach/{pk}/delete/").status_code == 404
    assert staff.post(f"/reports/infrastructure/{pk}/", {"value": "1"}).status_code == 404


def test_an_id_too_long_for_the_database_is_not_a_page(login_as, official):
    assert login_as(official).post(f"/reports/reach/{'9' * 30}/delete/").status_code == 404


def test_a_year_the_service_refuses_is_shown_on_the_targets_form(login_as, official):
    page = login_as(official).post("/reports/targets/", {"year": "1990", "programmes": "3"})
    assert page.status_code == 200
    assert "Год — от 1991 до 2100." in page.content.decode()
    assert not Target.objects.exists()


@pytest.mark.parametrize("value", ["три", "12345678901.5", "0.001", "Infinity", "NaN", "١٢", "-1"])
def test_a_target_that_is_not_an_amount_is_a_form_error(login_as, official, value):
    page = login_as(official).post("/reports/targets/", {"year": "2025", "programmes": value})
    assert page.status_code == 200
    assert "programmes" in page.context["form"].errors
    assert not Target.objects.exists()


def test_a_target_with_two_decimals_is_kept_exactly(login_as, official):
    answer = login_as(official).post(
        "/reports/targets/", {"year": "2025", "informed_share": "12.25"}
    )
    assert answer.status_code == 302
    assert Target.objects.get().value == Decimal("12.25")


def test_a_reach_of_nobody_is_refused_by_the_service_on_the_form(login_as, official):
    page = login_as(official).post(
        "/reports/reach/",
        {
            "date": "2025-05-01",
            "channel": "media",
            "title": "Эфир",
            "source": "справка",
            "people": "0",
        },
    )
    assert page.status_code == 200
    assert page.context["form"].errors["people"] == ["Охват — положительное число."]
    assert not ReachFigure.objects.exists()


@pytest.mark.parametrize("people", ["1" + "0" * 20, "-1", "1.5", "٣"])
def test_a_reach_beyond_what_can_be_stored_is_a_form_error(login_as, official, people):
    page = login_as(official).post(
        "/reports/reach/",
        {
            "date": "2025-05-01",
            "channel": "media",
            "title": "Эфир",
            "source": "справка",
            "people": people,
        },
    )
    assert page.status_code == 200
    assert "people" in page.context["form"].errors


def test_deleting_a_reach_figure_says_so_and_leaves_an_audit_entry(login_as, official, records):
    figure, _event = records
    page = login_as(official).post(f"/reports/reach/{figure.pk}/delete/", follow=True)
    assert page.redirect_chain[-1][0] == "/reports/reach/"
    assert "Запись об охвате удалена." in [str(m) for m in page.context["messages"]]
    assert not ReachFigure.objects.exists()
    assert AuditEntry.objects.filter(action="report.reach_delete").count() == 1


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ({"kind": "quarter", "year": "2025", "quarter": "5"}, "Неверный период"),
        ({"kind": "month", "year": "2025", "month": "0"}, "Неверный период"),
        ({"kind": "custom", "from": "2025-13-01"}, "Неверный период"),
        (
            {"kind": "custom", "from": "2025-06-01", "to": "2025-05-01"},
            "Конец периода раньше начала.",
        ),
        ({"kind": "custom", "from": "1000-01-01", "to": "2025-05-01"}, "Неверный период"),
    ],
)
@pytest.mark.parametrize("url", ["/reports/", "/reports/public/", "/reports/infrastructure/"])
def test_a_bad_period_on_any_page_falls_back_to_last_year_saying_why(
    login_as, official, url, query, problem
):
    page = login_as(official).get(url, query)
    assert page.status_code == 200
    assert problem in page.content.decode()
    assert page.context["period"].kind == "year"


@pytest.mark.parametrize(
    "query",
    ["from=2025-06-01&to=2025-05-01", "kind=quarter&quarter=0", "kind=year&year=-5"],
)
def test_a_bad_period_of_the_open_data_csv_is_a_400(client, query):
    response = client.get(f"/reports/kpi.csv?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize("url", ["/reports/", "/reports/public/", "/reports/kpi.csv"])
def test_a_nul_character_in_a_parameter_is_a_400(login_as, official, url):
    assert login_as(official).get(url, {"year": "2025\x00"}).status_code == 400


@pytest.mark.parametrize(
    "params",
    [{"from": "2025-06-01", "to": "2025-05-01"}, {"from": "2025-02-30"}, {"to": "вчера"}],
)
def test_a_bad_period_of_the_open_data_api_is_a_422(client, params):
    assert client.get("/api/v1/kpi", params).status_code == 422
