"""Delivery that survives faults.

Every (mailing, recipient) is a `Delivery` row written before anything goes to SMTP; its
state moves only by `DELIVERY_WORKFLOW` (`Workflow.update_rows`, many rows at a time). A
worker claims a batch of rows — `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, one
conditional UPDATE on SQLite (which writes one transaction at a time) — marking them
`sending` under its claim token with a lease; it renews the lease while it works (the
heartbeat) and marks each row `sent` right after the SMTP server accepted it. A worker
that dies leaves `sending` rows whose lease runs out; the next worker takes them over.
So a message is sent twice only when a worker dies between the server's acceptance and
that row's update: at most one duplicate per SMTP connection of a killed worker. A worker
sends over `DOBRY_MAILING_CONNECTIONS` connections at once on PostgreSQL (a thread each,
`_send_over_pool`): at most that many duplicates per killed worker.

A transient SMTP error (4xx, a dropped connection) puts the row back in the queue with a
doubling delay, up to DOBRY_MAILING_MAX_ATTEMPTS; a permanent one (5xx) fails it. A mail
server that cannot be reached is no letter's fault: a worker claims nothing until the
server answers, and a server gone in the middle of a batch gives the batch's unsent rows
back uncharged — so an outage of any length delays letters and fails none (the attempts
and their backoff, about 15 minutes in all, are for a letter the server keeps refusing).
A mailing is sent only when none of its rows is queued or sending.
"""

import logging
import os
import secrets
import smtplib
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from psycopg import pq

from dobry.communications.mailings import compose, policy
from dobry.communications.mailings.message import (
    Body,
    Recipient,
    Stamp,
    StampedEmail,
    envelope_address,
)
from dobry.communications.mailings.platform_limit import PlatformLimit
from dobry.communications.models import DELIVERY_WORKFLOW, MAILING_WORKFLOW, Delivery, Mailing
from dobry.communications.tasks import sender
from dobry.communications.unsubscribe import (
    MAILING_KIND,
    footer_text,
    html_link_place,
    link_html,
    token_url,
    unsubscribe_token,
)

logger = logging.getLogger(__name__)
S = Delivery.State


def claim_token() -> str:
    """Who claimed a batch: host, process and a random part (a new one per batch)."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{secrets.token_hex(6)}"


def _claimable(now: datetime) -> Q:
    due = Q(state=S.QUEUED) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    return due | Q(state=S.SENDING, lease_until__lt=now)


def lease() -> timedelta:
    return timedelta(seconds=settings.DOBRY_MAILING_LEASE_SECONDS)


def claim_batch(mailing_id: int, token: str, size: int | None = None) -> list[Delivery]:
    """Claim up to `size` rows of the mailing that are due or whose lease has expired;
    no two workers ever hold the same row."""
    size = size or settings.DOBRY_MAILING_BATCH
    now = timezone.now()
    candidates = (
        Delivery.objects.filter(mailing_id=mailing_id).filter(_claimable(now)).order_by("pk")
    )
    claim = {
        "claimed_by": token,
        "lease_until": now + lease(),
        "attempts": F("attempts") + 1,
    }
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            ids = list(
                candidates.select_for_update(skip_locked=True).values_list("pk", flat=True)[:size]
            )
            if ids:
                DELIVERY_WORKFLOW.update_rows(Delivery.objects.filter(pk__in=ids), "claim", **claim)
    else:
        # One statement, so atomic by itself: a row claimed by another worker since the
        # read no longer matches and is left to it.
        ids = list(candidates.values_list("pk", flat=True)[:size])
        if ids:
            claimable = Delivery.objects.filter(pk__in=ids).filter(_claimable(now))
            DELIVERY_WORKFLOW.update_rows(claimable, "claim", **claim)
    if not ids:
        return []
    return list(
        Delivery.objects.filter(pk__in=ids, claimed_by=token, state=S.SENDING).order_by("pk")
    )


def heartbeat(token: str) -> int:
    """Renew the lease of the rows this claim still holds."""
    return Delivery.objects.filter(claimed_by=token, state=S.SENDING).update(
        lease_until=timezone.now() + lease()
    )


def backoff(attempts: int) -> timedelta:
    """The wait before the next try: the first delay, doubled at each attempt, at most a
    day."""
    seconds = settings.DOBRY_MAILING_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, 86400))


def _transient(error: BaseException) -> bool:
    """Worth trying again: a 4xx answer, a dropped or refused connection, a timeout."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, (smtplib.SMTPServerDisconnected, OSError))


# The server cannot be reached or talked to at all (as opposed to refusing one letter).
_SERVER_UNREACHABLE = (
    OSError,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
)


class ServerUnavailable(Exception):
    """The mail server went away and does not answer again: the batch stops."""


def server_answers(smtp: Any) -> bool:
    """Whether the mail server can be reached: `smtp.open()` (a no-op on an open
    connection). False, with a warning in the log, when it refuses or times out."""
    try:
        smtp.open()
    except _SERVER_UNREACHABLE as error:
        logger.warning("the mail server does not answer: %s: %s", type(error).__name__, error)
        _reopen(smtp)
        return False
    return True


def give_back(ids: list[int], token: str, error: BaseException) -> int:
    """Return claimed rows to the queue without charging them the claim's attempt (the
    server, not the letter, failed), to be tried after DOBRY_MAILING_RETRY_SECONDS."""
    text = f"{type(error).__name__}: {error}"[:2000]
    return DELIVERY_WORKFLOW.update_rows(
        Delivery.objects.filter(pk__in=ids, claimed_by=token, state=S.SENDING),
        "retry",
        attempts=F("attempts") - 1,
        next_attempt_at=timezone.now() + timedelta(seconds=settings.DOBRY_MAILING_RETRY_SECONDS),
        claimed_by="",
        lease_until=None,
        last_error=text,
    )


def _record_error(row: Delivery, token: str, error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}"[:2000]
    mine = Delivery.objects.filter(pk=row.pk, claimed_by=token)
    if _transient(error) and row.attempts < settings.DOBRY_MAILING_MAX_ATTEMPTS:
        DELIVERY_WORKFLOW.update_rows(
            mine,
            "retry",
            next_attempt_at=timezone.now() + backoff(row.attempts),
            claimed_by="",
            lease_until=None,
            last_error=text,
        )
        return S.QUEUED
    DELIVERY_WORKFLOW.update_rows(mine, "fail", claimed_by="", lease_until=None, last_error=text)
    return S.FAILED


class Throttle:
    """At most `rate` messages a second from this worker (0: as fast as it goes), and,
    with a `platform` limit, within the provider's limit for the whole platform."""

    def __init__(
        self,
        rate: float,
        clock: Callable[[], float] = time.monotonic,
        platform: PlatformLimit | None = None,
    ) -> None:
        self.interval = 1 / rate if rate > 0 else 0.0
        self.clock = clock
        self.next_at = 0.0
        self.platform = platform if platform is not None and platform.per_minute else None

    def wait(self) -> None:
        if self.platform is not None:
            self.platform.wait()
        if not self.interval:
            return
        now = self.clock()
        if self.next_at > now:
            time.sleep(self.next_at - now)
            now = self.next_at
        self.next_at = now + self.interval


def worker_rate() -> float:
    """The throttle of one worker: the mailing's rate shared by its workers."""
    rate = settings.DOBRY_MAILING_RATE
    return rate / settings.DOBRY_MAILING_WORKERS if rate else 0.0


@dataclass
class Outcome:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    suppressed: int = 0
    server_gone: bool = False  # the mail server went away; the unsent rows were given back

    def add(self, other: "Outcome") -> None:
        for name in ("sent", "retried", "failed", "suppressed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.server_gone = self.server_gone or other.server_gone


def _nothing() -> None:
    return None


def _exchange(
    smtp: smtplib.SMTP, sender: str, to: str, data: bytes, before_data: Callable[[], None]
) -> None:
    """`smtplib.SMTP.sendmail` for one recipient, calling `before_data` between RCPT and
    DATA (the server accepts the message only at the end of DATA)."""
    smtp.ehlo_or_helo_if_needed()
    code, answer = smtp.mail(sender)
    if code != 250:
        _reset(smtp)
        raise smtplib.SMTPSenderRefused(code, answer, sender)
    code, answer = smtp.rcpt(to)
    if code not in (250, 251):
        _reset(smtp)
        raise smtplib.SMTPRecipientsRefused({to: (code, answer)})
    before_data()
    code, answer = smtp.data(data)
    if code != 250:
        _reset(smtp)
        raise smtplib.SMTPDataError(code, answer)


def _reset(smtp: smtplib.SMTP) -> None:
    try:
        smtp.rset()
    except smtplib.SMTPException:  # the connection is gone; the caller's error says why
        logger.debug("RSET failed", exc_info=True)


TOKEN_MARK, KEY_MARK = "DobryTokenMark", "DobryKeyMark"  # never in a token or a key


class Prepared:
    """A mailing's message for each recipient: the same subject, text and HTML, encoded
    once (`message.Stamp`), with the recipient's own unsubscribe link (visible, and in
    the List-Unsubscribe headers of `policy.message_headers`) and, when configured, the
    DKIM signature over it."""

    def __init__(self, mailing: Mailing, rendered: compose.Rendered, from_email: str) -> None:
        self.mailing = mailing
        self.rendered = rendered
        self.from_email = from_email
        html = None
        if rendered.html:
            html = Body("text/html", *html_link_place(rendered.html))
        self.envelope_from = envelope_address(from_email)
        self.stamp = Stamp(
            subject=rendered.subject,
            from_email=from_email,
            text=Body("text/plain", rendered.text),
            html=html,
        )

        # What differs per recipient, made once with marks put in for the key and the
        # unsubscribe token (the links and headers are the same around them).
        mark = Delivery(mailing=mailing, email="", key=KEY_MARK)
        self.headers = policy.message_headers(mailing, mark, TOKEN_MARK)
        url = token_url(TOKEN_MARK)
        self.text_footer = footer_text(url)
        self.html_link = link_html(url) if rendered.html else ""

    def message(self, row: Delivery, smtp: Any = None) -> StampedEmail:
        token = unsubscribe_token(row.email, kind=MAILING_KIND, delivery=row.key)
        recipient = Recipient(
            email=row.email,
            headers={
                name: value.replace(KEY_MARK, row.key).replace(TOKEN_MARK, token)
                for name, value in self.headers.items()
            },
            text_footer=self.text_footer.replace(TOKEN_MARK, token),
            html_link=self.html_link.replace(TOKEN_MARK, token),
        )
        return self.stamp.email(recipient, smtp)

    def send(self, smtp: Any, row: Delivery, before_data: Callable[[], None] = _nothing) -> None:
        """Hand one recipient's message to the server; raises when it was not accepted.
        `before_data` runs before the server can accept it: after MAIL and RCPT when the
        backend holds an `smtplib` connection, so what it waits for overlaps with them."""
        message = self.message(row, smtp)
        smtp.open()
        raw = getattr(smtp, "connection", None)
        if not isinstance(raw, smtplib.SMTP):  # the test backends
            before_data()
            if not smtp.send_messages([message]):
                raise smtplib.SMTPServerDisconnected("the message was not accepted")
            return
        _exchange(raw, self.envelope_from, envelope_address(row.email), message.data, before_data)


def suppress_refused(rows: list[Delivery], token: str) -> set[int]:
    """The claimed rows whose address may not be mailed now (`policy.mailable_addresses`:
    no consent, unconfirmed, suppressed or unsubscribed) go to `suppressed` at once.
    Returns their ids."""
    allowed = policy.mailable_addresses(row.email for row in rows)
    refused = {row.pk for row in rows if row.email.lower() not in allowed}
    if refused:
        mine = Delivery.objects.filter(pk__in=refused, claimed_by=token)
        DELIVERY_WORKFLOW.update_rows(mine, "suppress", claimed_by="", lease_until=None)
    return refused


class LeaseKeeper:
    """Renews the lease of a claim every third of its length while the worker sends, so
    a long batch is never taken over from a live worker."""

    def __init__(self, token: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.token = token
        self.clock = clock
        self.every = lease().total_seconds() / 3
        self.renew_at = clock() + self.every

    def due(self) -> bool:
        return self.clock() >= self.renew_at

    def renew_if_due(self) -> None:
        if self.due():
            heartbeat(self.token)
            self.renew_at = self.clock() + self.every


def mark_sent(row: Delivery, token: str) -> None:
    """The server accepted the row's message: it is sent (if this claim still holds it)."""
    DELIVERY_WORKFLOW.update_rows(
        Delivery.objects.filter(pk=row.pk, claimed_by=token),
        "send",
        sent_at=timezone.now(),
        claimed_by="",
        lease_until=None,
    )


class SentMarks:
    """Marks the accepted rows `sent`, each before the next message can be accepted — so
    a worker killed at any moment leaves at most one message sent and not marked.

    On PostgreSQL the UPDATE is sent without waiting for its answer (libpq's
    asynchronous query on the worker's own connection) and `settle` collects the answer
    just before the next DATA: the database's round trip overlaps the next message's MAIL
    and RCPT instead of adding to them. Elsewhere each row is marked at once. Nothing
    else may use the connection between `mark` and `settle`."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.pending = False
        self.pgconn = None
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            self.pgconn = connection.connection.pgconn
        # DELIVERY_WORKFLOW's «send», written by hand to be sent without waiting
        table, send = Delivery._meta.db_table, DELIVERY_WORKFLOW.move("send")
        sources = ", ".join(f"'{state}'" for state in sorted(send.sources))
        self.target = str(send.target)
        self.sql = (
            f"UPDATE {table} SET state = $1, sent_at = $2::timestamptz, claimed_by = '', "
            f"lease_until = NULL WHERE id = $3 AND claimed_by = $4 AND state IN ({sources})"
        ).encode()

    def mark(self, row: Delivery) -> None:
        if self.pgconn is None:
            mark_sent(row, self.token)
            return
        self.settle()
        now = timezone.now().isoformat()
        values = [self.target.encode(), now.encode(), str(row.pk).encode(), self.token.encode()]
        self.pgconn.send_query_params(self.sql, values)
        self.pending = True

    def settle(self) -> None:
        """Wait until the last row marked is written (raises if the UPDATE failed)."""
        if not self.pending or self.pgconn is None:
            return
        self.pending = False
        failure = ""
        while (result := self.pgconn.get_result()) is not None:
            if result.status != pq.ExecStatus.COMMAND_OK:
                failure = (result.error_message or b"").decode(errors="replace")
        if failure:
            raise DatabaseError(f"marking a delivery sent failed: {failure}")


def send_one(row: Delivery, token: str, smtp: Any, prepared: "Prepared", marks: SentMarks) -> str:
    """Send one claimed row and record what happened: its new state (`sent`, `queued`
    again for a transient error, or `failed`)."""
    try:
        prepared.send(smtp, row, before_data=marks.settle)
    except DatabaseError:
        raise
    except Exception as error:  # SMTP, socket and TLS errors vary
        marks.settle()
        _reopen(smtp)
        if isinstance(error, _SERVER_UNREACHABLE) and not server_answers(smtp):
            raise ServerUnavailable(error) from error
        return _record_error(row, token, error)
    marks.mark(row)
    return S.SENT


def send_batch(
    rows: list[Delivery], token: str, smtp: Any, throttle: Throttle, prepared: Prepared
) -> Outcome:
    """Send the claimed rows over one open connection, marking each as it goes: refused
    addresses first, then each row in turn under the throttle, the lease kept alive."""
    refused = suppress_refused(rows, token)
    outcome = Outcome(suppressed=len(refused))
    keeper = LeaseKeeper(token)
    marks = SentMarks(token)
    try:
        for index, row in enumerate(rows):
            if row.pk in refused:
                continue
            if keeper.due():
                marks.settle()
                keeper.renew_if_due()
            if throttle.platform is not None:
                marks.settle()  # the platform's count may be in the database
            throttle.wait()
            try:
                state = send_one(row, token, smtp, prepared, marks)
            except ServerUnavailable as down:
                unsent = [r.pk for r in rows[index:] if r.pk not in refused]
                give_back(unsent, token, down.__cause__ or down)
                outcome.server_gone = True
                break
            if state == S.SENT:
                outcome.sent += 1
            elif state == S.QUEUED:
                outcome.retried += 1
            else:
                outcome.failed += 1
    finally:
        marks.settle()
    return outcome


def _reopen(smtp: Any) -> None:
    try:
        smtp.close()
    except Exception:  # the connection is broken already
        logger.debug("closing a broken SMTP connection failed", exc_info=True)


def _commit_without_waiting(on: bool) -> None:
    """On PostgreSQL, the worker's commits (a claim, a row marked sent) do not wait for
    the disk: each is visible at once and survives the worker's death — only a crash of
    the database server itself could lose the last fraction of a second of them, and
    then those rows are sent again after their lease (a duplicate, never a loss). A
    commit that waits for the disk cost more than the SMTP exchange itself."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO " + ("OFF" if on else "DEFAULT"))


def run(mailing_id: int, *, max_batches: int | None = None) -> Outcome:
    """A worker's turn on a mailing: claim and send batches until nothing is claimable,
    then mark the mailing sent if nothing is left. Returns what it did.

    On PostgreSQL, outside a transaction (as the task worker runs it), the worker sends
    over `DOBRY_MAILING_CONNECTIONS` SMTP connections at once, each in its own thread with
    its own claims and database connection (`_send_over_pool`); elsewhere, or for a given
    number of batches, over one."""
    mailing = Mailing.objects.filter(pk=mailing_id).first()
    if mailing is None or mailing.status != Mailing.Status.SENDING:
        return Outcome()
    prepared = Prepared(mailing, compose.render(mailing), sender())
    connections = pool_size() if max_batches is None else 1
    if connections > 1:
        total = _send_over_pool(mailing_id, prepared, connections)
    else:
        total = _send_over_one_connection(mailing_id, prepared, worker_rate(), max_batches)
    finish_if_done(mailing_id)
    return total


def pool_size() -> int:
    """How many SMTP connections a worker sends over: the setting on PostgreSQL when not
    inside a transaction (threads see only what is committed); else one — SQLite writes
    one transaction at a time, so more connections would only wait for each other."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return 1
    return int(settings.DOBRY_MAILING_CONNECTIONS)


def _send_over_one_connection(
    mailing_id: int, prepared: Prepared, rate: float, max_batches: int | None = None
) -> Outcome:
    """Claim and send batches over one SMTP connection until nothing is claimable (or
    `max_batches`), the mailing is cancelled, or the mail server does not answer (then
    nothing more is claimed: the periodic job tries again)."""
    total = Outcome()
    throttle = Throttle(rate, platform=PlatformLimit())
    smtp = get_connection(fail_silently=False)
    batches = 0
    _commit_without_waiting(True)
    try:
        while max_batches is None or batches < max_batches:
            if not Mailing.objects.filter(pk=mailing_id, status=Mailing.Status.SENDING).exists():
                break  # cancelled meanwhile
            if not server_answers(smtp):
                break
            token = claim_token()
            rows = claim_batch(mailing_id, token)
            if not rows:
                break
            batches += 1
            outcome = send_batch(rows, token, smtp, throttle, prepared)
            total.add(outcome)
            if outcome.server_gone:
                break
    finally:
        _reopen(smtp)
        _commit_without_waiting(False)
    return total


def _send_over_pool(mailing_id: int, prepared: Prepared, connections: int) -> Outcome:
    """`connections` threads, each sending over its own SMTP connection and its own
    database connection with its own claims (`_send_over_one_connection`), the worker's
    rate shared between them. Each thread marks a message sent before its next one can be
    accepted (`SentMarks`), so a worker killed at any moment leaves at most one message
    sent and not marked per connection: at most `connections` duplicates per killed
    worker. The first error of a thread is raised after every thread has ended."""
    rate = worker_rate() / connections
    outcomes: list[Outcome] = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            outcomes.append(_send_over_one_connection(mailing_id, prepared, rate))
        except BaseException as error:  # raised in the worker's own thread below
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [
        threading.Thread(target=send, name=f"mailing-{mailing_id}-smtp-{index}")
        for index in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    total = Outcome()
    for outcome in outcomes:
        total.add(outcome)
    return total


def finish_if_done(mailing_id: int) -> bool:
    """Mark the mailing sent when no delivery of it is queued or sending."""
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().filter(pk=mailing_id).first()
        if mailing is None or mailing.status != Mailing.Status.SENDING:
            return False
        if mailing.deliveries.filter(state__in=(S.QUEUED, S.SENDING)).exists():
            return False
        MAILING_WORKFLOW.check(mailing.status, "finish")
        mailing.status = Mailing.Status.SENT
        mailing.finished_at = timezone.now()
        mailing.save(update_fields=["status", "finished_at", "updated_at"])
    return True


def needs_worker(mailing_id: int) -> bool:
    """Whether the mailing has rows to claim now and no worker holds a live lease on it
    (a worker at work always does, so the periodic job never piles workers up)."""
    now = timezone.now()
    rows = Delivery.objects.filter(mailing_id=mailing_id)
    if rows.filter(state=S.SENDING, lease_until__gte=now).exists():
        return False
    return rows.filter(_claimable(now)).exists()


def counts(mailing: Mailing) -> dict[str, int]:
    """How many deliveries of the mailing are in each state (every state named), and how
    many of them bounced, were complained about or led to an unsubscription — one query:
    the progress bar and the statistics."""
    found = mailing.deliveries.aggregate(
        **{state: Count("pk", filter=Q(state=state)) for state in S.values},
        bounced=Count("pk", filter=Q(bounced_at__isnull=False)),
        complained=Count("pk", filter=Q(complained_at__isnull=False)),
        unsubscribed=Count("pk", filter=Q(unsubscribed_at__isnull=False)),
    )
    return {name: value or 0 for name, value in found.items()}
