"""The periodic jobs of the whole site, declared in one place (`core.schedule` runs them)."""

from datetime import timedelta

from dobry.civic.tasks import close_due_votes, remind_initiative_responses
from dobry.communications.channels.tasks import tend_channel_posts
from dobry.communications.mailings.tasks import tend_mailings
from dobry.communications.news.tasks import publish_due_news
from dobry.communications.tasks import read_bounces, retry_failed_emails
from dobry.communications.telegram.tasks import retry_telegram
from dobry.core.schedule import Job
from dobry.core.tasks import prune_task_results, sweep_orphan_files, take_over_abandoned_tasks
from dobry.events.tasks import expire_waitlist_offers, send_shift_reminders, send_weekly_digests
from dobry.grants.tasks import remind_grant_reports, remind_grant_reviewers
from dobry.helprequests.tasks import expire_help_offers, minimise_closed_requests
from dobry.opportunities.tasks import remind_grant_calls
from dobry.reports.tasks import store_kpi_snapshots, warm_reports
from dobry.resources.tasks import remind_group_tasks

JOBS: tuple[Job, ...] = (
    Job("retry_failed_emails", timedelta(hours=1), retry_failed_emails),
    Job("tend_mailings", timedelta(minutes=1), tend_mailings),
    # Telegram messages whose retry_after has passed
    Job("retry_telegram", timedelta(minutes=1), retry_telegram),
    # posts to the city's channels whose retry_after has passed; dead workers' calls
    Job("tend_channel_posts", timedelta(minutes=1), tend_channel_posts),
    # the bounce mailbox, when one is configured (DOBRY_BOUNCE_MAILBOX_*)
    Job("read_bounces", timedelta(minutes=10), read_bounces),
    Job("prune_task_results", timedelta(days=1), prune_task_results),
    # the running tasks of workers silent for DOBRY_TASK_LEASE go back to the queue
    Job("take_over_abandoned_tasks", timedelta(minutes=1), take_over_abandoned_tasks),
    Job("sweep_orphan_files", timedelta(days=1), sweep_orphan_files),
    Job("expire_waitlist_offers", timedelta(minutes=10), expire_waitlist_offers),
    Job("send_shift_reminders", timedelta(minutes=30), send_shift_reminders),
    Job("send_weekly_digests", timedelta(hours=6), send_weekly_digests),
    Job("remind_group_tasks", timedelta(hours=3), remind_group_tasks),
    Job("expire_help_offers", timedelta(minutes=10), expire_help_offers),
    Job("minimise_closed_requests", timedelta(days=1), minimise_closed_requests),
    Job("remind_grant_reviewers", timedelta(hours=6), remind_grant_reviewers),
    # grantees 14 and 3 days before a report is due (each once)
    Job("remind_grant_reports", timedelta(hours=6), remind_grant_reports),
    # organisations following an external grant call: 14 and 3 days before it closes (once)
    Job("remind_grant_calls", timedelta(hours=6), remind_grant_calls),
    # coordinators: an initiative's public answer due within three days, then overdue (once)
    Job("remind_initiative_responses", timedelta(hours=6), remind_initiative_responses),
    # residents' votes whose closing moment has passed: tally published within a minute
    Job("close_due_votes", timedelta(minutes=1), close_due_votes),
    Job("store_kpi_snapshots", timedelta(days=1), store_kpi_snapshots),
    Job("warm_reports", timedelta(minutes=10), warm_reports),
    # scheduled news appear within five minutes of their time
    Job("publish_due_news", timedelta(minutes=5), publish_due_news),
)
