"""The indicator sheets of the KPI workbook, row by row, on a small known year: the
records behind each indicator, and counts only where the indicator counts people."""

from datetime import date, datetime

import pytest

from dobry.core.clock import city_zone
from dobry.events.tests.factories import EventFactory
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.tests.factories import HelpRequestFactory
from dobry.reports import exports
from dobry.reports.models import ReachFigure
from dobry.reports.periods import year
from dobry.resources.models import Meeting, ProjectGroup

pytestmark = pytest.mark.django_db


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=city_zone())


@pytest.fixture
def sheets(settings) -> dict[str, tuple]:
    settings.DOBRY_POPULATION = 1000
    EventFactory(infrastructure=True, starts_at=local(2025, 3, 10, 18), title="Семинар для НКО")
    EventFactory(infrastructure=False, starts_at=local(2025, 4, 1, 12), title="Субботник")
    group = ProjectGroup.objects.create(title="Городские праздники")
    Meeting.objects.create(group=group, starts_at=local(2025, 6, 1, 17), agenda="План")
    ReachFigure.objects.create(
        date=date(2025, 3, 1), channel="media", title="Газета", source="тираж", people=150
    )
    for phone in ("+79130000001", "+79130000002"):
        HelpRequestFactory(
            status=HelpRequest.Status.DONE, recipient_phone=phone, closed_at=local(2025, 2, 1, 9)
        )
    return {title: (header, rows) for title, header, rows in exports.workbook_sheets(year(2025))}


def test_the_events_sheet_lists_infrastructure_events_and_group_meetings(sheets):
    header, rows = sheets["1. Мероприятия инфраструктуры"]
    assert header == ["Дата", "Мероприятие", "Организатор"]
    assert [row[:2] for row in rows] == [
        [date(2025, 3, 10), "Семинар для НКО"],
        [date(2025, 6, 1), "Городские праздники"],
    ]
    assert rows[1][2] == "встреча проектной группы"


def test_the_reach_sheet_lists_each_publication_then_the_people_on_the_platform(sheets):
    header, rows = sheets["2. Информированность"]
    assert header == ["Дата", "Канал", "Публикация", "Источник", "Охват"]
    assert rows[0] == [date(2025, 3, 1), "СМИ", "Газета", "тираж", 150]
    assert rows[1][:4] == ["", "", "люди на платформе", ""]
    assert rows[2] == ["", "", "получатели рассылок вне платформы", "", 0]
    assert len(rows) == 3


def test_the_involvement_sheet_names_each_part(sheets):
    header, rows = sheets["3. Вовлечённость жителей"]
    assert header == ["Составляющая", "Значение"]
    assert ["население", 1000] in rows


def test_the_helped_sheet_counts_requests_done_by_kind_and_never_names_people(sheets):
    _header, rows = sheets["6. Получившие помощь"]
    helped = dict(rows)
    assert helped["выполнено просьб: Доставка продуктов и лекарств"] == 2
    assert helped["получатели помощи по просьбам"] == 2
    assert helped["уникальных получателей"] == 2
    assert not any("+7913" in str(cell) for row in rows for cell in row)
