"""The mail server down for an hour during a mailing (four times as long as a letter's
attempts and their backoff last): a mailing to RECIPIENTS people
starts while nothing answers on the SMTP port; a worker's turn comes every minute on a
controllable clock (`timezone.now` moved a minute at a time, as the scheduler's
`tend_mailings` would run it), and at minute DOWN_MINUTES a real SMTP server (aiosmtpd)
comes up on the port. Letters must wait (queued, no attempt charged while nothing
answers, none failed) and go once the server is back: each recipient exactly once, none
lost."""

import logging
from datetime import timedelta
from pathlib import Path
from unittest import mock

from bench.drills.cluster import Cluster

RECIPIENTS = 200
DOWN_MINUTES = 60
LAST_MINUTE = 90


def subscribers(count: int) -> None:
    from dobry.accounts.models import ConsentDocument, ConsentRecord, User

    users = User.objects.bulk_create(
        User(email=f"reader{n}@example.org", password="!") for n in range(count)
    )
    document = ConsentDocument.current(ConsentDocument.Kind.NEWSLETTER)
    ConsentRecord.objects.bulk_create(ConsentRecord(user=u, document=document) for u in users)


def run(cluster: Cluster, var_dir: Path) -> bool:
    from aiosmtpd.controller import Controller
    from django.conf import settings
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from dobry.communications.mailings import delivery, services
    from dobry.communications.models import Delivery, Mailing, Segment
    from dobry.communications.tests.smtp_sink import Counting

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    logging.getLogger("dobry.communications").setLevel(logging.ERROR)
    S = Delivery.State
    subscribers(RECIPIENTS)
    start = timezone.now()
    mailing = Mailing.objects.create(
        subject="Новости города",
        body_text="Здравствуйте! Новости недели.",
        segment=Segment.objects.create(name="Все"),
        status=Mailing.Status.SCHEDULED,
        scheduled_at=start,
    )
    services.mailing_start(mailing.pk)
    # the drill is the worker here, minute by minute: the tasks the start enqueued go
    DBTaskResult.objects.filter(task_path__contains="mailing").delete()
    handler = Counting()
    server = Controller(handler, hostname="127.0.0.1", port=int(settings.EMAIL_PORT))
    timeline = []
    sent_while_down = 0
    try:
        for minute in range(LAST_MINUTE + 1):
            if minute == DOWN_MINUTES:
                sent_while_down = handler.total
                server.start()
            with mock.patch(
                "django.utils.timezone.now", return_value=start + timedelta(minutes=minute)
            ):
                outcome = delivery.run(mailing.pk)
            states = delivery.counts(mailing)
            if outcome.sent or outcome.retried or outcome.failed:
                timeline.append(
                    f"min {minute}: sent {outcome.sent}, put back {outcome.retried}, "
                    f"failed {outcome.failed}"
                )
            mailing.refresh_from_db()
            if mailing.status == Mailing.Status.SENT:
                break
    finally:
        if minute >= DOWN_MINUTES:
            server.stop()
    rows = Delivery.objects.filter(mailing=mailing)
    twice = [address for address, n in handler.recipients.items() if n > 1]
    attempts = max(rows.values_list("attempts", flat=True))
    print("   " + "; ".join(timeline))
    print(
        f"   {RECIPIENTS} letters; server down minutes 0–{DOWN_MINUTES}; sent while down "
        f"{sent_while_down}; mailing {mailing.status} at minute {minute}; rows {states}; "
        f"server received {handler.total} ({len(handler.recipients)} addresses, "
        f"{len(twice)} twice); most attempts of a letter {attempts}"
    )
    ok = (
        sent_while_down == 0
        and mailing.status == Mailing.Status.SENT
        and rows.filter(state=S.SENT).count() == RECIPIENTS
        and handler.total == RECIPIENTS
        and len(handler.recipients) == RECIPIENTS
        and not twice
    )
    print(("PASS" if ok else "FAIL") + " mail_down: letters waited and went once, none lost")
    return ok
