from django_tasks import task

from dobry.grants.services.agreements import remind_report_deadlines
from dobry.grants.services.reviews import remind_reviewers


@task()
def remind_grant_reviewers() -> int:
    return remind_reviewers()


@task()
def remind_grant_reports() -> int:
    return remind_report_deadlines()
