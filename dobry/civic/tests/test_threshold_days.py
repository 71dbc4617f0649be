"""The support threshold and the resource centre's day to answer, at the boundaries of the
city's day (Asia/Krasnoyarsk, UTC+7): the day is the city's local date, not UTC's; the
answer is overdue from the city's midnight after its day, on the model, the queryset, the
API, the page and the coordinators' desk alike."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.test import Client

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.civic.models import Initiative
from dobry.civic.selectors import awaiting_response
from dobry.civic.services.initiatives import centre_respond
from dobry.civic.services.people import support_add, support_remove
from dobry.civic.tests.factories import InitiativeFactory, coordinator
from dobry.communications.models import Notification
from dobry.core.audit import AuditEntry
from dobry.core.clock import local_moment

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 10)


@pytest.fixture
def small_threshold(settings):
    settings.DOBRY_INITIATIVE_SUPPORT_THRESHOLD = 2
    settings.DOBRY_INITIATIVE_RESPONSE_DAYS = 14


def _reach(initiative):
    for _ in range(2):
        support_add(actor=UserFactory(), initiative=initiative)
    initiative.refresh_from_db()
    return initiative


def test_the_citys_evening_is_still_its_day_though_utc_says_so_too(freeze_now, small_threshold):
    freeze_now(local_moment(DAY, time(23, 59)))  # 16:59 UTC, the same date
    initiative = _reach(InitiativeFactory())
    assert initiative.response_due == DAY + timedelta(days=14)


def test_after_the_citys_midnight_the_day_is_the_next_while_utc_is_still_yesterday(
    freeze_now, small_threshold
):
    moment = local_moment(DAY + timedelta(days=1), time(0, 30))
    assert moment.astimezone(UTC).date() == DAY  # UTC is still on the tenth
    freeze_now(moment)
    initiative = _reach(InitiativeFactory())
    assert initiative.response_due == DAY + timedelta(days=15)
    assert initiative.threshold_reached_at == moment


def test_one_support_short_of_the_threshold_marks_nothing(freeze_now, small_threshold):
    freeze_now(local_moment(DAY, time(12, 0)))
    initiative = InitiativeFactory()
    support_add(actor=UserFactory(), initiative=initiative)
    initiative.refresh_from_db()
    assert (initiative.threshold_reached_at, initiative.response_due) == (None, None)
    assert not AuditEntry.objects.filter(action="civic.threshold_reached").exists()
    assert not initiative.response_overdue


def test_the_threshold_stays_reached_and_its_day_stays_when_supports_fall_and_rise_again(
    freeze_now, small_threshold
):
    freeze_now(local_moment(DAY, time(12, 0)))
    coordinator()
    initiative = InitiativeFactory()
    first = UserFactory()
    support_add(actor=first, initiative=initiative)
    support_add(actor=UserFactory(), initiative=initiative)
    support_remove(actor=first, initiative=initiative)
    freeze_now(local_moment(DAY + timedelta(days=3), time(12, 0)))
    support_add(actor=first, initiative=initiative)
    initiative.refresh_from_db()
    assert initiative.response_due == DAY + timedelta(days=14)
    assert initiative.threshold_reached_at == local_moment(DAY, time(12, 0))
    assert Notification.objects.filter(kind="initiative_threshold").count() == 1
    logged = AuditEntry.objects.get(action="civic.threshold_reached")
    assert logged.data == {"count": 2}


def test_inactive_coordinators_and_residents_are_not_told(freeze_now, small_threshold):
    freeze_now(local_moment(DAY, time(12, 0)))
    active, retired = coordinator(), UserFactory(is_coordinator=True, is_active=False)
    _reach(InitiativeFactory())
    told = set(
        Notification.objects.filter(kind="initiative_threshold").values_list("user", flat=True)
    )
    assert active.pk in told
    assert retired.pk not in told


@pytest.fixture
def due_today():
    return InitiativeFactory(
        status=Initiative.Status.GATHERING,
        threshold_reached_at=local_moment(DAY - timedelta(days=14), time(12, 0)),
        response_due=DAY,
    )


def _overdue_everywhere(initiative):
    staff = coordinator()
    initiative.refresh_from_db()
    api = Client().get(f"/api/v1/initiatives/{initiative.pk}").json()["response_overdue"]
    listed = Client().get("/api/v1/initiatives").json()["items"][0]["response_overdue"]
    in_queryset = Initiative.objects.response_overdue().filter(pk=initiative.pk).exists()
    desk = [i.pk for i in awaiting_response()]
    assert initiative.pk in desk
    page = Client()
    page.force_login(staff)
    assert page.get("/initiatives/moderation/").status_code == 200
    found = {initiative.response_overdue, api, listed, in_queryset}
    assert len(found) == 1, found
    return found.pop()


def test_on_its_last_day_late_in_the_evening_the_answer_is_not_yet_overdue(freeze_now, due_today):
    freeze_now(local_moment(DAY, time(23, 59, 59)))
    assert _overdue_everywhere(due_today) is False


def test_at_the_citys_midnight_after_its_day_the_answer_is_overdue(freeze_now, due_today):
    moment = local_moment(DAY + timedelta(days=1), time(0, 0))
    assert moment.astimezone(UTC).date() == DAY  # in UTC it is still the last day
    freeze_now(moment)
    assert _overdue_everywhere(due_today) is True


def test_in_utc_terms_the_last_day_has_not_ended_but_the_city_says_late(freeze_now, due_today):
    freeze_now(datetime(2026, 3, 10, 20, 0, tzinfo=UTC))  # 03:00 on the 11th in the city
    assert _overdue_everywhere(due_today) is True


def test_an_answer_ends_the_overdue_flag_and_leaves_the_desk(freeze_now, due_today):
    freeze_now(local_moment(DAY + timedelta(days=5), time(9, 0)))
    assert _overdue_everywhere(due_today) is True
    centre_respond(actor=coordinator(), initiative=due_today, response="Консультация")
    due_today.refresh_from_db()
    assert not due_today.response_overdue
    assert not Initiative.objects.response_overdue().exists()
    assert list(awaiting_response()) == []


def test_the_api_response_due_is_the_citys_date(freeze_now, small_threshold):
    moment = local_moment(DAY + timedelta(days=1), time(0, 30))
    freeze_now(moment)
    initiative = InitiativeFactory()
    for _ in range(2):
        response = bearer(UserFactory()).post(f"/api/v1/initiatives/{initiative.pk}/support")
        assert response.status_code == 201
    body = response.json()
    assert body["response_due"] == (DAY + timedelta(days=15)).isoformat()
    assert body["threshold_reached_at"] is not None
    assert body["support_count"] == 2


def test_the_desk_orders_by_the_day_and_the_page_shows_the_answer_day(freeze_now):
    freeze_now(local_moment(DAY, time(12, 0)))
    later = InitiativeFactory(title="Позже", threshold_reached_at=local_moment(DAY, time(9, 0)),
                              response_due=DAY + timedelta(days=3))  # fmt: skip
    sooner = InitiativeFactory(title="Раньше", threshold_reached_at=local_moment(DAY, time(9, 0)),
                               response_due=DAY + timedelta(days=1))  # fmt: skip
    InitiativeFactory(title="Без порога")
    assert [i.title for i in awaiting_response()] == ["Раньше", "Позже"]
    page = Client()
    page.force_login(coordinator())
    text = page.get("/initiatives/moderation/").content.decode()
    assert text.index("Раньше") < text.index("Позже")
    assert "Без порога" not in text
    assert later.response_overdue is False
    assert sooner.response_overdue is False
