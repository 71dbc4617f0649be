from django_tasks import task

from dobry.civic.services.reminders import remind_responses
from dobry.civic.services.votes import votes_close_due


@task()
def remind_initiative_responses() -> int:
    return remind_responses()


@task()
def close_due_votes() -> int:
    return votes_close_due()
