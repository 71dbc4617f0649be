"""What staff enter for the reports — targets, reach figures, infrastructure tags, snapshot
recomputation — through the services and the pages, with the refusals and bad input."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from dobry.core.clock import city_zone
from dobry.core.errors import DomainError
from dobry.core.models import AuditEntry
from dobry.events.models import Event
from dobry.events.tests.factories import EventFactory
from dobry.reports import services
from dobry.reports.models import ReachFigure, Snapshot, Target

pytestmark = pytest.mark.django_db


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=city_zone())


def reach(official, **overrides) -> ReachFigure:
    values = {
        "day": date(2025, 4, 1),
        "channel": ReachFigure.Channel.values[0],
        "title": "Эфир о донорстве",
        "source": "справка редакции",
        "people": 1200,
    }
    values.update(overrides)
    return services.reach_add(actor=official, **values)


@pytest.mark.parametrize(
    ("indicator", "year", "value", "message"),
    [
        ("nonsense", 2025, Decimal(1), "Неизвестный показатель."),
        ("programmes", 1990, Decimal(1), "Год — от 1991 до 2100."),
        ("programmes", 2101, Decimal(1), "Год — от 1991 до 2100."),
        ("programmes", 2025, Decimal(-1), "Цель не может быть отрицательной."),
    ],
)
def test_a_target_refuses_what_cannot_be_a_target(official, indicator, year, value, message):
    with pytest.raises(DomainError) as refused:
        services.target_set(actor=official, indicator=indicator, year=year, value=value)
    assert refused.value.message == message
    assert not Target.objects.exists()


def test_a_target_is_replaced_then_removed_with_an_audit_entry_each_time(official):
    services.target_set(actor=official, indicator="programmes", year=2025, value=Decimal(3))
    services.target_set(actor=official, indicator="programmes", year=2025, value=Decimal(5))
    assert Target.objects.get(indicator="programmes", year=2025).value == 5
    assert (
        services.target_set(actor=official, indicator="programmes", year=2025, value=None) is None
    )
    assert not Target.objects.exists()
    assert AuditEntry.objects.filter(action="report.target").count() == 2
    assert AuditEntry.objects.filter(action="report.target_remove").count() == 1
    # removing what is not there changes nothing and logs nothing
    services.target_set(actor=official, indicator="programmes", year=2025, value=None)
    assert AuditEntry.objects.filter(action="report.target_remove").count() == 1


def test_a_cleared_target_field_removes_the_target_on_the_page(login_as, coordinator):
    staff = login_as(coordinator)
    staff.post("/reports/targets/", {"year": "2025", "programmes": "4"})
    page = staff.post("/reports/targets/", {"year": "2025", "programmes": ""})
    assert page.status_code == 302
    assert page["Location"] == "/reports/targets/?year=2025"
    assert not Target.objects.filter(indicator="programmes").exists()


def test_a_negative_target_on_the_page_is_an_error_on_the_form(login_as, official):
    page = login_as(official).post("/reports/targets/", {"year": "2025", "programmes": "-3"})
    assert page.status_code == 200
    assert page.context["form"].errors
    assert not Target.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"channel": "pigeon"}, "channel"),
        ({"title": "   "}, "title"),
        ({"source": " "}, "source"),
        ({"people": 0}, "people"),
        ({"people": -5}, "people"),
    ],
)
def test_a_reach_figure_names_the_field_that_is_wrong(official, overrides, field):
    with pytest.raises(DomainError) as refused:
        reach(official, **overrides)
    assert list(refused.value.field_errors) == [field]
    assert not ReachFigure.objects.exists()


def test_a_reach_figure_is_stored_trimmed_and_audited(official):
    figure = reach(official, title="  Эфир  ", source=" справка ")
    assert (figure.title, figure.source, figure.people) == ("Эфир", "справка", 1200)
    entry = AuditEntry.objects.get(action="report.reach_add")
    assert entry.data == {"people": 1200}


def test_staff_delete_a_reach_figure_and_others_cannot(client, login_as, official, outsider):
    figure = reach(official)
    url = f"/reports/reach/{figure.pk}/delete/"
    assert client.post(url).status_code == 302  # to the login page
    assert login_as(outsider).post(url).status_code == 403
    staff = login_as(official)
    assert staff.get(url).status_code == 405
    assert ReachFigure.objects.filter(pk=figure.pk).exists()
    assert staff.post(url)["Location"] == "/reports/reach/"
    assert not ReachFigure.objects.exists()
    assert AuditEntry.objects.filter(action="report.reach_delete").count() == 1
    assert staff.post(url).status_code == 404


def test_the_reach_page_lists_the_figures(login_as, coordinator, official):
    reach(official, title="Эфир о донорстве")
    page = login_as(coordinator).get("/reports/reach/?page=999")
    assert page.status_code == 200
    assert "Эфир о донорстве" in page.content.decode()


def test_the_infrastructure_list_holds_only_published_infrastructure_kinds_of_the_period(
    login_as, official
):
    seminar = EventFactory(
        kind=Event.Kind.SEMINAR, title="Семинар для НКО", starts_at=local(2025, 3, 1, 10)
    )
    EventFactory(kind=Event.Kind.VOLUNTEER_ACTION, starts_at=local(2025, 3, 1, 10))
    EventFactory(kind=Event.Kind.FORUM, status=Event.Status.DRAFT, starts_at=local(2025, 3, 1, 10))
    EventFactory(kind=Event.Kind.FORUM, starts_at=local(2024, 12, 31, 23))
    EventFactory(kind=Event.Kind.WEBINAR, starts_at=local(2026, 1, 1, 0))
    page = login_as(official).get("/reports/infrastructure/?kind=year&year=2025")
    assert [event.pk for event in page.context["page"]] == [seminar.pk]


def test_the_infrastructure_list_with_a_bad_period_says_so(login_as, official):
    page = login_as(official).get("/reports/infrastructure/?kind=custom&from=вчера", follow=True)
    assert page.status_code == 200
    assert [str(m) for m in page.context["messages"]]


def test_untagging_infrastructure_takes_a_value_other_than_one(login_as, official, outsider):
    event = EventFactory(kind=Event.Kind.SEMINAR, infrastructure=True)
    url = f"/reports/infrastructure/{event.pk}/"
    assert login_as(outsider).post(url, {"value": "0"}).status_code == 403
    answer = login_as(official).post(url, {"value": "0"})
    assert answer["Location"] == "/reports/infrastructure/"
    event.refresh_from_db()
    assert event.infrastructure is False
    assert AuditEntry.objects.get(action="event.infrastructure").data == {"infrastructure": False}
    assert login_as(official).post("/reports/infrastructure/999999/").status_code == 404


def test_recomputing_without_a_year_is_refused_plainly(login_as, official):
    page = login_as(official).post("/reports/snapshots/", {"year": ""}, follow=True)
    assert page.status_code == 200
    assert "Укажите год." in [str(m) for m in page.context["messages"]]
    assert not AuditEntry.objects.filter(action="report.snapshots_recompute").exists()


def test_only_staff_recompute_snapshots(client, login_as, outsider):
    assert client.post("/reports/snapshots/", {"year": "2025"}).status_code == 302
    assert login_as(outsider).post("/reports/snapshots/", {"year": "2025"}).status_code == 403
    assert not Snapshot.objects.exists()
