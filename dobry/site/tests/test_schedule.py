from datetime import UTC, datetime, timedelta

import pytest

from dobry.core.models import ScheduledRun
from dobry.core.schedule import Job, enqueue_due
from dobry.site.schedule import JOBS


@pytest.mark.django_db
def test_each_job_is_enqueued_once_per_slot():
    now = datetime(2026, 11, 26, 10, 15, tzinfo=UTC)
    first = enqueue_due(JOBS, now)
    assert set(first) == {
        "retry_failed_emails",
        "prune_task_results",
        "expire_waitlist_offers",
        "send_shift_reminders",
        "send_weekly_digests",
        "remind_group_tasks",
        "expire_help_offers",
        "minimise_closed_requests",
        "remind_grant_reviewers",
        "store_kpi_snapshots",
        "warm_reports",
    }
    assert enqueue_due(JOBS, now + timedelta(minutes=1)) == []
    assert enqueue_due(JOBS, now + timedelta(hours=1)) == [
        "retry_failed_emails",
        "expire_waitlist_offers",
        "send_shift_reminders",
        "expire_help_offers",
        "warm_reports",
    ]
    assert ScheduledRun.objects.filter(job="retry_failed_emails").count() == 2


def test_slots_are_aligned_to_the_period():
    job = Job("x", timedelta(hours=1), task=None)
    assert job.slot(datetime(2026, 1, 1, 10, 59, tzinfo=UTC)) == datetime(
        2026, 1, 1, 10, tzinfo=UTC
    )
