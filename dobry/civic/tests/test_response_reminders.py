"""The coordinators' reminders of the centre's public answer: once when it is due within
three days, once more when it is overdue — on the city's local dates —, never for an
answered initiative or one below the threshold, never twice, even from two schedulers."""

import time as clock
from datetime import UTC, date, datetime, time, timedelta

import pytest

from dobry.accounts.tests.factories import UserFactory
from dobry.civic.models import Initiative
from dobry.civic.services import reminders
from dobry.civic.services.initiatives import centre_respond
from dobry.civic.services.reminders import remind_responses
from dobry.civic.tests.factories import InitiativeFactory, coordinator
from dobry.communications.models import Notification
from dobry.core.clock import local_moment
from dobry.core.tests.threads import at_once

pytestmark = pytest.mark.django_db
DUE = date(2026, 3, 20)


def _waiting(due: date = DUE, **fields) -> Initiative:
    return InitiativeFactory(
        threshold_reached_at=datetime(2026, 3, 6, tzinfo=UTC), response_due=due, **fields
    )


def _at(day: date, hour: int = 12) -> datetime:
    return local_moment(day, time(hour))


def _notices(**params) -> list[Notification]:
    found = Notification.objects.filter(kind="initiative_response_due").order_by("pk")
    return [n for n in found if all(n.params.get(k) == v for k, v in params.items())]


@pytest.fixture
def staff():
    return [coordinator(), coordinator()]


def test_three_days_before_each_coordinator_is_reminded_once(staff):
    _waiting()
    assert remind_responses(now=_at(DUE - timedelta(days=4))) == 0
    assert remind_responses(now=_at(DUE - timedelta(days=3))) == 1
    assert {n.user for n in _notices(late=False)} == set(staff)
    assert remind_responses(now=_at(DUE - timedelta(days=1))) == 0
    assert remind_responses(now=_at(DUE)) == 0
    assert len(_notices()) == 2


def test_overdue_from_the_citys_midnight_after_the_day_once(staff):
    _waiting()
    remind_responses(now=_at(DUE))
    last_evening = _at(DUE, 23)  # 16:00 UTC, still the twentieth in the city
    assert remind_responses(now=last_evening) == 0
    after_midnight = local_moment(DUE + timedelta(days=1), time(0, 30))
    assert after_midnight.astimezone(UTC).date() == DUE  # UTC is still on the twentieth
    assert remind_responses(now=after_midnight) == 1
    assert len(_notices(late=True)) == len(staff)
    assert remind_responses(now=after_midnight + timedelta(days=5)) == 0


def test_a_first_run_after_the_day_sends_only_the_overdue_notice(staff):
    _waiting()
    assert remind_responses(now=_at(DUE + timedelta(days=2))) == 1
    assert _notices(late=False) == []
    assert len(_notices(late=True)) == len(staff)


def test_an_answered_initiative_or_one_below_the_threshold_is_left_alone(staff):
    answered = _waiting()
    centre_respond(actor=staff[0], initiative=answered, response="Приглашаем на консультацию.")
    InitiativeFactory()  # no threshold, no day
    assert remind_responses(now=_at(DUE - timedelta(days=2))) == 0
    assert remind_responses(now=_at(DUE + timedelta(days=2))) == 0
    assert _notices() == []


def test_an_inactive_coordinator_or_a_resident_is_not_told(staff):
    gone = coordinator()
    gone.is_active = False
    gone.save()
    resident = UserFactory()
    _waiting()
    remind_responses(now=_at(DUE))
    told = {n.user for n in _notices()}
    assert gone not in told
    assert resident not in told
    assert told == set(staff)


def test_the_notice_names_the_initiative_and_its_day(staff):
    initiative = _waiting(title="Скамейки у озера")
    remind_responses(now=_at(DUE + timedelta(days=1)))
    notice = _notices(late=True)[0]
    assert "Скамейки у озера" in notice.title
    assert "20 марта" in notice.body
    assert notice.url == initiative.get_absolute_url()


def _slow_notices(monkeypatch):
    """Writing the notices is slowed, as on a busy server, so that both runs have read the
    initiative as unsent before either commits."""
    sent = reminders._notify

    def slow(*args, **kwargs):
        clock.sleep(0.3)
        sent(*args, **kwargs)

    monkeypatch.setattr(reminders, "_notify", slow)


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("concurrency")
def test_two_schedulers_at_once_send_each_notice_once(monkeypatch):
    coordinator()
    _waiting()
    _slow_notices(monkeypatch)
    counts, raised = at_once(lambda _n: remind_responses(now=_at(DUE)), range(2))
    assert raised == []
    assert sorted(counts) == [0, 1]
    assert len(_notices()) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("concurrency")
def test_negative_control_without_the_claim_both_schedulers_send(monkeypatch):
    coordinator()
    _waiting()
    _slow_notices(monkeypatch)
    monkeypatch.setattr(reminders, "_claim", lambda *_args: True)
    counts, raised = at_once(lambda _n: remind_responses(now=_at(DUE)), range(2))
    assert raised == []
    assert counts == [1, 1]
    assert len(_notices()) == 2
