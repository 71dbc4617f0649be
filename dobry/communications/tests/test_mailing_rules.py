"""The small rules the mailing worker lives by: which SMTP errors are worth another try,
the throttle of one worker (the mailing's rate shared by its workers), when a mailing
needs a worker, and claims that never overlap and never take a row that is done."""

import smtplib
from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.communications.mailings import delivery
from dobry.communications.mailings.platform_limit import PlatformLimit
from dobry.communications.models import Delivery, Mailing
from dobry.communications.tests.mailing_factories import mailing

pytestmark = pytest.mark.django_db
S = Delivery.State


@pytest.mark.parametrize(
    ("error", "again"),
    [
        (smtplib.SMTPRecipientsRefused({"a@x": (450, b"busy"), "b@x": (421, b"later")}), True),
        (smtplib.SMTPRecipientsRefused({"a@x": (450, b"busy"), "b@x": (550, b"no")}), False),
        (smtplib.SMTPRecipientsRefused({}), False),
        (smtplib.SMTPResponseException(421, b"closing"), True),
        (smtplib.SMTPDataError(452, b"storage"), True),
        (smtplib.SMTPSenderRefused(553, b"no", "x@y"), False),
        (smtplib.SMTPServerDisconnected("gone"), True),
        (ConnectionRefusedError(), True),
        (TimeoutError(), True),
        (ValueError("a bug"), False),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value),
)
def test_only_a_4xx_or_a_lost_connection_is_worth_another_try(error, again):
    assert delivery._transient(error) is again


@pytest.mark.parametrize(("rate", "workers", "each"), [(10, 2, 5.0), (0, 4, 0.0), (9, 3, 3.0)])
def test_a_worker_gets_its_share_of_the_mailings_rate(settings, rate, workers, each):
    settings.DOBRY_MAILING_RATE = rate
    settings.DOBRY_MAILING_WORKERS = workers
    assert delivery.worker_rate() == each


def test_a_throttle_of_zero_never_waits(monkeypatch):
    monkeypatch.setattr(delivery.time, "sleep", lambda _s: pytest.fail("slept"))
    throttle = delivery.Throttle(0, clock=lambda: 0.0)
    for _message in range(5):
        throttle.wait()


def test_a_throttle_sleeps_only_the_rest_of_the_interval(monkeypatch):
    now = [100.0]
    slept: list[float] = []
    monkeypatch.setattr(delivery.time, "sleep", slept.append)
    throttle = delivery.Throttle(4, clock=lambda: now[0])  # a message every 0.25 s
    throttle.wait()
    now[0] += 0.1
    throttle.wait()
    now[0] += 1.0  # a slow message: nothing to wait for
    throttle.wait()
    assert slept == [pytest.approx(0.15)]


def test_a_platform_limit_of_zero_is_no_limit():
    assert delivery.Throttle(0, platform=PlatformLimit(per_minute=0)).platform is None
    limited = delivery.Throttle(0, platform=PlatformLimit(per_minute=60))
    assert limited.platform is not None


def rows(m: Mailing, *states: str, **fields) -> list[Delivery]:
    first = Delivery.objects.filter(mailing=m).count()
    return [
        Delivery.objects.create(mailing=m, email=f"r{i}@example.org", state=state, **fields)
        for i, state in enumerate(states, start=first)
    ]


def test_a_mailing_with_nothing_to_claim_needs_no_worker():
    m = mailing(status=Mailing.Status.SENDING)
    assert not delivery.needs_worker(m.pk)
    rows(m, S.SENT, S.FAILED, S.SUPPRESSED)
    assert not delivery.needs_worker(m.pk)


def test_a_due_row_needs_a_worker_and_a_row_waiting_for_its_retry_does_not():
    m = mailing(status=Mailing.Status.SENDING)
    later = timezone.now() + timedelta(minutes=5)
    [waiting] = rows(m, S.QUEUED, next_attempt_at=later)
    assert not delivery.needs_worker(m.pk)
    Delivery.objects.filter(pk=waiting.pk).update(next_attempt_at=None)
    assert delivery.needs_worker(m.pk)


def test_a_live_lease_means_a_worker_is_at_it_and_an_expired_one_means_none_is():
    m = mailing(status=Mailing.Status.SENDING)
    now = timezone.now()
    rows(m, S.QUEUED)
    [held] = rows(m, S.SENDING, claimed_by="w1", lease_until=now + timedelta(minutes=1))
    assert not delivery.needs_worker(m.pk)
    Delivery.objects.filter(pk=held.pk).update(lease_until=now - timedelta(seconds=1))
    assert delivery.needs_worker(m.pk)


def test_two_claims_never_share_a_row_and_take_at_most_their_size(settings):
    settings.DOBRY_MAILING_LEASE_SECONDS = 60
    m = mailing(status=Mailing.Status.SENDING)
    rows(m, *[S.QUEUED] * 7)
    first = delivery.claim_batch(m.pk, "first", size=4)
    second = delivery.claim_batch(m.pk, "second", size=4)
    assert (len(first), len(second)) == (4, 3)
    assert not {row.pk for row in first} & {row.pk for row in second}
    assert delivery.claim_batch(m.pk, "third", size=4) == []
    claimed = Delivery.objects.filter(mailing=m)
    assert set(claimed.values_list("state", flat=True)) == {S.SENDING}
    assert set(claimed.values_list("attempts", flat=True)) == {1}


def test_a_claim_never_takes_a_row_that_is_done():
    m = mailing(status=Mailing.Status.SENDING)
    rows(m, S.SENT, S.FAILED, S.SUPPRESSED)
    assert delivery.claim_batch(m.pk, "token", size=10) == []
    assert sorted(Delivery.objects.values_list("state", flat=True)) == sorted(
        [S.SENT, S.FAILED, S.SUPPRESSED]
    )
