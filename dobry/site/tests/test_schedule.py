import io
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from dobry.core.logging import TaskLogLevelFilter, is_task_logger
from dobry.core.models import ScheduledRun
from dobry.core.schedule import Job, enqueue_due
from dobry.site.schedule import JOBS


@pytest.mark.django_db
def test_each_job_is_enqueued_once_per_slot():
    now = datetime(2026, 11, 26, 10, 15, tzinfo=UTC)
    first = enqueue_due(JOBS, now)
    assert set(first) == {
        "retry_failed_emails",
        "tend_mailings",
        "retry_telegram",
        "tend_channel_posts",
        "read_bounces",
        "prune_task_results",
        "take_over_abandoned_tasks",
        "sweep_orphan_files",
        "expire_waitlist_offers",
        "send_shift_reminders",
        "send_weekly_digests",
        "remind_group_tasks",
        "expire_help_offers",
        "minimise_closed_requests",
        "remind_grant_reviewers",
        "remind_grant_reports",
        "remind_grant_calls",
        "remind_initiative_responses",
        "close_due_votes",
        "store_kpi_snapshots",
        "warm_reports",
        "publish_due_news",
    }
    # only the every-minute jobs (mailings, Telegram, channels, leases) have a new slot a
    # minute later
    assert enqueue_due(JOBS, now + timedelta(minutes=1)) == [
        "tend_mailings",
        "retry_telegram",
        "tend_channel_posts",
        "take_over_abandoned_tasks",
        "close_due_votes",
    ]
    assert enqueue_due(JOBS, now + timedelta(hours=1)) == [
        "retry_failed_emails",
        "tend_mailings",
        "retry_telegram",
        "tend_channel_posts",
        "read_bounces",
        "take_over_abandoned_tasks",
        "expire_waitlist_offers",
        "send_shift_reminders",
        "expire_help_offers",
        "close_due_votes",
        "warm_reports",
        "publish_due_news",
    ]
    assert ScheduledRun.objects.filter(job="retry_failed_emails").count() == 2


def test_slots_are_aligned_to_the_period():
    job = Job("x", timedelta(hours=1), task=None)
    assert job.slot(datetime(2026, 1, 1, 10, 59, tzinfo=UTC)) == datetime(
        2026, 1, 1, 10, tzinfo=UTC
    )


class FakeTask:
    def __init__(self, failure: Exception | None = None) -> None:
        self.failure = failure
        self.enqueued = 0

    def enqueue(self) -> None:
        if self.failure:
            raise self.failure
        self.enqueued += 1


@pytest.fixture
def console():
    """The console as `make run` shows it: a stream handler with the settings' filter on
    the scheduler's logger (the same filter settings.LOGGING puts on the console)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(TaskLogLevelFilter())
    scheduler_logger = logging.getLogger("dobry.core.schedule")
    scheduler_logger.addHandler(handler)
    yield stream
    scheduler_logger.removeHandler(handler)


def run_scheduler_once(monkeypatch, *jobs: Job) -> str:
    monkeypatch.setattr("dobry.site.management.commands.run_scheduler.JOBS", jobs)
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_scheduler_prints_no_line_per_job_at_warning(monkeypatch, settings, console):
    settings.DOBRY_TASK_LOG_LEVEL = "WARNING"
    task = FakeTask()
    assert run_scheduler_once(monkeypatch, Job("digest", timedelta(hours=1), task)) == ""
    assert console.getvalue() == ""
    assert task.enqueued == 1
    assert ScheduledRun.objects.filter(job="digest").count() == 1


@pytest.mark.django_db
def test_the_scheduler_logs_each_job_enqueued_at_info(monkeypatch, settings, console):
    settings.DOBRY_TASK_LOG_LEVEL = "INFO"
    run_scheduler_once(monkeypatch, Job("digest", timedelta(hours=1), FakeTask()))
    assert console.getvalue() == "enqueued digest\n"


@pytest.mark.django_db
def test_a_job_that_cannot_be_enqueued_is_shown_at_warning_and_the_others_still_run(
    monkeypatch, settings, console
):
    settings.DOBRY_TASK_LOG_LEVEL = "WARNING"
    good = FakeTask()
    run_scheduler_once(
        monkeypatch,
        Job("broken", timedelta(hours=1), FakeTask(RuntimeError("queue table is missing"))),
        Job("digest", timedelta(hours=1), good),
    )
    shown = console.getvalue()
    assert "could not enqueue broken" in shown
    assert "RuntimeError: queue table is missing" in shown
    assert "digest" not in shown
    assert good.enqueued == 1
    # The failed slot is not recorded, so the next tick tries the job again.
    assert list(ScheduledRun.objects.values_list("job", flat=True)) == ["digest"]


def test_the_scheduler_logger_is_one_the_task_log_level_governs():
    assert is_task_logger("dobry.core.schedule")
    assert is_task_logger("django_tasks_db.management")
    assert not is_task_logger("dobry.core")
    assert not is_task_logger("django_tasks_extra")


def test_the_operators_guide_lists_every_job():
    guide = (Path(settings.BASE_DIR) / "docs" / "operations.md").read_text()
    assert [job.name for job in JOBS if f"| `{job.name}` |" not in guide] == []


DRILL_TASK = FakeTask()
DRILL_JOBS = (Job("drill_tick", timedelta(seconds=2), DRILL_TASK),)


@pytest.mark.django_db
def test_the_scheduler_runs_another_list_of_jobs_when_named():
    """A drill runs two schedulers on a job of a two-second period, never the site's."""
    before = DRILL_TASK.enqueued
    call_command("run_scheduler", "--once", "--jobs", f"{__name__}.DRILL_JOBS")
    assert DRILL_TASK.enqueued == before + 1
    assert list(ScheduledRun.objects.values_list("job", flat=True)) == ["drill_tick"]


def test_a_list_of_jobs_that_does_not_exist_is_refused():
    with pytest.raises(CommandError, match="--jobs"):
        call_command("run_scheduler", "--once", "--jobs", "dobry.site.schedule.NO_SUCH_JOBS")
