"""Delivery that survives faults: rows before SMTP, claims that never overlap, leases
taken over, retries with backoff, suppression decided at sending, and «sent» only when
nothing is left."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from dobry.accounts.models import ConsentRecord
from dobry.communications.mailings import delivery, services
from dobry.communications.models import Delivery, Mailing
from dobry.communications.tests.mailing_factories import contact, mailing, scheduled, subscriber

pytestmark = pytest.mark.django_db
S = Delivery.State


@pytest.fixture(autouse=True)
def _mailing_settings(settings):
    settings.DOBRY_MAILING_RATE = 0
    settings.DOBRY_MAILING_WORKERS = 1
    settings.DOBRY_MAILING_BATCH = 10
    settings.DOBRY_MAILING_RETRY_SECONDS = 60
    settings.DOBRY_MAILING_MAX_ATTEMPTS = 3


class FlakySMTP:
    """A connection whose send fails with the errors given, in turn, then succeeds."""

    def __init__(self, errors=()):
        self.errors = list(errors)
        self.sent: list[str] = []

    def open(self):
        return None

    def close(self):
        return None

    def send_messages(self, messages):
        if self.errors:
            raise self.errors.pop(0)
        self.sent.extend(m.to[0] for m in messages)
        return len(messages)


def start(m: Mailing) -> None:
    """Start without the immediate task backend sending at once."""
    m.status = Mailing.Status.SCHEDULED
    m.scheduled_at = timezone.now()
    m.save()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "enqueue_senders", lambda pk: None)
        assert services.mailing_start(m.pk) == Mailing.Status.SENDING


def test_only_consenting_accounts_and_confirmed_contacts_get_a_row_each_once():
    users = [subscriber() for _ in range(3)]
    subscriber(is_active=False)
    from dobry.accounts.tests.factories import UserFactory

    UserFactory()  # no consent to mailings
    contact("friend@example.org")
    contact("waiting@example.org", confirmed=False)
    contact(users[0].email.upper())  # the same person as an account: once
    m = mailing()
    start(m)
    emails = sorted(m.deliveries.values_list("email", flat=True))
    assert emails == sorted([u.email for u in users] + ["friend@example.org"])
    assert set(m.deliveries.values_list("state", flat=True)) == {S.QUEUED}
    assert mail.outbox == []


def test_the_worker_sends_every_row_once_and_then_the_mailing_is_sent():
    for _ in range(25):
        subscriber()
    m = scheduled()
    services.mailing_start(m.pk)  # the immediate backend runs the worker at once
    m.refresh_from_db()
    assert m.status == Mailing.Status.SENT
    assert len(mail.outbox) == 25
    assert len({message.to[0] for message in mail.outbox}) == 25
    assert delivery.counts(m)[S.SENT] == 25
    message = mail.outbox[0]
    assert message.extra_headers["X-Dobry-Key"].startswith("mailing:")
    assert "List-Unsubscribe" in message.extra_headers
    assert "согласились получать рассылку" in message.body


def test_a_withdrawn_consent_between_start_and_sending_suppresses_the_row():
    keep, leave = subscriber(), subscriber()
    m = mailing()
    start(m)
    ConsentRecord.objects.filter(user=leave).update(withdrawn_at=timezone.now())
    smtp = FlakySMTP()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(delivery, "get_connection", lambda **kw: smtp)
        delivery.run(m.pk)
    assert smtp.sent == [keep.email]
    assert m.deliveries.get(email=leave.email).state == S.SUPPRESSED


def test_a_transient_error_retries_with_doubling_backoff_then_fails(freeze_now):
    now = timezone.now()
    freeze_now(now)
    subscriber()
    m = mailing()
    start(m)
    busy = smtplib.SMTPResponseException(451, b"try later")
    smtp = FlakySMTP([busy, busy, busy])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(delivery, "get_connection", lambda **kw: smtp)
        delivery.run(m.pk)
        row = m.deliveries.get()
        assert (row.state, row.attempts) == (S.QUEUED, 1)
        assert row.next_attempt_at == now + timedelta(seconds=60)
        assert "451" in row.last_error
        delivery.run(m.pk)  # not due yet: nothing happens
        assert m.deliveries.get().attempts == 1
        freeze_now(now + timedelta(seconds=61))
        delivery.run(m.pk)
        row = m.deliveries.get()
        assert (row.state, row.attempts) == (S.QUEUED, 2)
        assert row.next_attempt_at == now + timedelta(seconds=61 + 120)
        freeze_now(now + timedelta(seconds=61 + 121))
        delivery.run(m.pk)
    row = m.deliveries.get()
    assert (row.state, row.attempts) == (S.FAILED, 3)
    assert smtp.sent == []
    m.refresh_from_db()
    assert m.status == Mailing.Status.SENT  # nothing left queued or sending


def test_a_transient_error_then_success_is_sent_once(freeze_now):
    now = timezone.now()
    freeze_now(now)
    user = subscriber()
    m = mailing()
    start(m)
    smtp = FlakySMTP([smtplib.SMTPServerDisconnected("gone")])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(delivery, "get_connection", lambda **kw: smtp)
        delivery.run(m.pk)
        m.refresh_from_db()
        assert m.status == Mailing.Status.SENDING  # a row is still queued
        # a server that answers again at once is no outage: the letter is charged its try
        assert m.deliveries.get().attempts == 1
        freeze_now(now + timedelta(minutes=5))
        delivery.run(m.pk)
    assert smtp.sent == [user.email]
    m.refresh_from_db()
    assert m.status == Mailing.Status.SENT


def test_a_permanent_error_fails_at_once():
    subscriber()
    m = mailing()
    start(m)
    smtp = FlakySMTP([smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"no such user")})])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(delivery, "get_connection", lambda **kw: smtp)
        delivery.run(m.pk)
    row = m.deliveries.get()
    assert (row.state, row.attempts) == (S.FAILED, 1)


def test_rows_of_a_dead_worker_are_taken_over_after_the_lease(freeze_now, settings):
    now = timezone.now()
    freeze_now(now)
    settings.DOBRY_MAILING_LEASE_SECONDS = 30
    for _ in range(5):
        subscriber()
    m = mailing()
    start(m)
    dead = delivery.claim_batch(m.pk, "dead-worker")
    assert len(dead) == 5
    assert delivery.claim_batch(m.pk, "second") == []  # held under a live lease
    assert not delivery.needs_worker(m.pk)
    assert not delivery.finish_if_done(m.pk)
    freeze_now(now + timedelta(seconds=31))
    assert delivery.needs_worker(m.pk)
    taken = delivery.claim_batch(m.pk, "second")
    assert sorted(r.pk for r in taken) == sorted(r.pk for r in dead)
    assert {r.attempts for r in taken} == {2}
    # the first worker wakes up late: its marks touch nothing it no longer holds
    assert Delivery.objects.filter(claimed_by="dead-worker").count() == 0
    assert delivery.heartbeat("dead-worker") == 0


def test_the_heartbeat_keeps_the_lease(freeze_now, settings):
    now = timezone.now()
    freeze_now(now)
    settings.DOBRY_MAILING_LEASE_SECONDS = 30
    subscriber()
    m = mailing()
    start(m)
    delivery.claim_batch(m.pk, "busy")
    freeze_now(now + timedelta(seconds=25))
    assert delivery.heartbeat("busy") == 1
    freeze_now(now + timedelta(seconds=50))
    assert delivery.claim_batch(m.pk, "other") == []


def test_the_periodic_job_resumes_a_stalled_mailing_and_finishes_it(freeze_now, settings):
    from dobry.communications.mailings.tasks import tend_mailings

    now = timezone.now()
    freeze_now(now)
    settings.DOBRY_MAILING_LEASE_SECONDS = 30
    for _ in range(3):
        subscriber()
    m = mailing()
    start(m)
    delivery.claim_batch(m.pk, "dead-worker")
    assert tend_mailings.call() == {"started": 0, "resumed": 0, "finished": 0}
    freeze_now(now + timedelta(seconds=31))
    assert tend_mailings.call()["resumed"] == 1  # the immediate backend sends at once
    m.refresh_from_db()
    assert m.status == Mailing.Status.SENT
    assert len(mail.outbox) == 3


def test_a_scheduled_mailing_starts_when_its_time_comes(freeze_now):
    from dobry.communications.mailings.tasks import tend_mailings

    now = timezone.now()
    freeze_now(now)
    subscriber()
    m = mailing(status=Mailing.Status.SCHEDULED, scheduled_at=now + timedelta(hours=2))
    assert tend_mailings.call()["started"] == 0
    freeze_now(now + timedelta(hours=2, minutes=1))
    assert tend_mailings.call()["started"] == 1
    m.refresh_from_db()
    assert m.status == Mailing.Status.SENT
    assert len(mail.outbox) == 1


def test_cancelling_while_sending_suppresses_what_is_queued(coordinator):
    for _ in range(4):
        subscriber()
    m = mailing()
    start(m)
    delivery.claim_batch(m.pk, "worker", size=1)
    services.mailing_cancel(actor=coordinator, mailing=m)
    counts = delivery.counts(m)
    assert counts[S.SUPPRESSED] == 3
    assert counts[S.SENDING] == 1
    assert delivery.run(m.pk).sent == 0


def test_the_throttle_spaces_the_messages(monkeypatch):
    clock = [100.0]
    slept: list[float] = []

    def sleep(seconds):
        slept.append(seconds)
        clock[0] += seconds

    monkeypatch.setattr(delivery.time, "sleep", sleep)
    throttle = delivery.Throttle(4, clock=lambda: clock[0])
    for _ in range(5):
        throttle.wait()
    assert slept == [0.25] * 4
    off = delivery.Throttle(0)
    off.wait()
    assert len(slept) == 4


def test_the_progress_counts_every_state_in_one_query(django_assert_num_queries):
    for _ in range(3):
        subscriber()
    m = mailing()
    start(m)
    with django_assert_num_queries(1):
        counts = delivery.counts(m)
    assert counts == {
        S.QUEUED: 3,
        S.SENDING: 0,
        S.SENT: 0,
        S.FAILED: 0,
        S.SUPPRESSED: 0,
        "bounced": 0,
        "complained": 0,
        "unsubscribed": 0,
    }


def test_backoff_doubles_up_to_a_day(settings):
    settings.DOBRY_MAILING_RETRY_SECONDS = 60
    assert [delivery.backoff(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]
    assert delivery.backoff(30).total_seconds() == 86400


def test_a_long_batch_renews_its_lease_every_third_of_it(settings, monkeypatch):
    settings.DOBRY_MAILING_LEASE_SECONDS = 30
    renewed: list[str] = []
    monkeypatch.setattr(delivery, "heartbeat", renewed.append)
    now = [100.0]
    keeper = delivery.LeaseKeeper("claim", clock=lambda: now[0])
    for moment in (100.0, 109.9, 110.0, 115.0, 119.9, 120.0):
        now[0] = moment
        keeper.renew_if_due()
    assert renewed == ["claim", "claim"]  # at 110 and at 120: every 10 s of a 30 s lease


def test_refused_addresses_are_suppressed_before_anything_is_sent(monkeypatch):
    reader = subscriber()
    m = mailing()
    start(m)
    ConsentRecord.objects.filter(user=reader).update(withdrawn_at=timezone.now())
    rows = delivery.claim_batch(m.pk, "claim")
    assert delivery.suppress_refused(rows, "claim") == {rows[0].pk}
    assert Delivery.objects.get().state == S.SUPPRESSED
    smtp = FlakySMTP()
    outcome = delivery.send_batch(rows, "claim", smtp, delivery.Throttle(0), _prepared(m))
    assert (outcome.suppressed, outcome.sent, smtp.sent) == (1, 0, [])


def _prepared(m: Mailing) -> delivery.Prepared:
    from dobry.communications.mailings import compose
    from dobry.communications.tasks import sender

    return delivery.Prepared(m, compose.render(m), sender())


class DownSMTP(FlakySMTP):
    """A mail server that refuses connections while `down`, and a connection that drops
    after `drop_after` messages (the server going away in the middle of a batch)."""

    def __init__(self, drop_after=None):
        super().__init__()
        self.down = False
        self.drop_after = drop_after

    def open(self):
        if self.down:
            raise ConnectionRefusedError(111, "Connection refused")

    def send_messages(self, messages):
        if self.down:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        if self.drop_after is not None and len(self.sent) >= self.drop_after:
            self.down = True
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def test_a_mail_server_down_for_hours_costs_no_letter_an_attempt(freeze_now):
    """The backoff's five attempts end after 15 minutes; an outage longer than that must
    not fail letters: while the server cannot be reached, no row is claimed."""
    now = timezone.now()
    freeze_now(now)
    people = [subscriber() for _ in range(4)]
    m = mailing()
    start(m)
    smtp = DownSMTP()
    smtp.down = True
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(delivery, "get_connection", lambda **kw: smtp)
        for minute in range(0, 180, 7):  # the periodic job, for three hours
            freeze_now(now + timedelta(minutes=minute))
            delivery.run(m.pk)
        assert set(m.deliveries.values_list("state", "attempts")) == {(S.QUEUED, 0)}
        assert delivery.needs_worker(m.pk)
        smtp.down = False
        freeze_now(now + timedelta(hours=3, minutes=1))
        delivery.run(m.pk)
    assert sorted(smtp.sent) == sorted(p.email for p in people)
    assert set(m.deliveries.values_list("state", "attempts")) == {(S.SENT, 1)}
    m.refresh_from_db()
    assert m.status == Mailing.Status.SENT


def test_a_server_gone_in_the_middle_of_a_batch_gives_the_rest_back_uncharged(freeze_now):
    now = timezone.now()
    freeze_now(now)
    for _ in range(5):
        subscriber()
    m = mailing()
    start(m)
    smtp = DownSMTP(drop_after=2)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(delivery, "get_connection", lambda **kw: smtp)
        outcome = delivery.run(m.pk)
    assert outcome.sent == 2
    waiting = m.deliveries.exclude(state=S.SENT)
    assert waiting.count() == 3
    assert set(waiting.values_list("state", "attempts", "claimed_by")) == {(S.QUEUED, 0, "")}
    assert {row.next_attempt_at for row in waiting} == {now + timedelta(seconds=60)}
    assert "SMTPServerDisconnected" in waiting.first().last_error
