"""The task worker's part of mailings: start a mailing whose time has come, send it with
several workers side by side, and a periodic job that restarts what a dead worker left."""

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from dobry.communications.mailings import delivery
from dobry.communications.models import Mailing


@task()
def send_mailing(mailing_id: int) -> dict[str, int]:
    """One worker's turn on a mailing (`delivery.run`)."""
    outcome = delivery.run(mailing_id)
    return {
        "sent": outcome.sent,
        "retried": outcome.retried,
        "failed": outcome.failed,
        "suppressed": outcome.suppressed,
    }


def enqueue_senders(mailing_id: int) -> None:
    for _worker in range(settings.DOBRY_MAILING_WORKERS):
        send_mailing.enqueue(mailing_id)


@task()
def start_mailing(mailing_id: int) -> str:
    """Start a scheduled mailing whose time has come (a no-op otherwise)."""
    from dobry.communications.mailings import services  # services enqueue this task

    return services.mailing_start(mailing_id)


@task()
def tend_mailings() -> dict[str, int]:
    """Periodic: start the scheduled mailings whose time has come; give a worker to each
    sending mailing that has rows to claim (retries now due, or the rows of a worker that
    died, once its lease expired — the task backend does not requeue a dead worker's
    task); mark sent those with nothing left."""
    from dobry.communications.mailings import services

    started = 0
    for pk in Mailing.objects.filter(
        status=Mailing.Status.SCHEDULED, scheduled_at__lte=timezone.now()
    ).values_list("pk", flat=True):
        if services.mailing_start(pk) == Mailing.Status.SENDING:
            started += 1
    resumed = finished = 0
    for pk in Mailing.objects.filter(status=Mailing.Status.SENDING).values_list("pk", flat=True):
        if delivery.needs_worker(pk):
            send_mailing.enqueue(pk)
            resumed += 1
        elif delivery.finish_if_done(pk):
            finished += 1
    return {"started": started, "resumed": resumed, "finished": finished}
