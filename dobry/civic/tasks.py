from django_tasks import task

from dobry.civic.services.reminders import remind_responses


@task()
def remind_initiative_responses() -> int:
    return remind_responses()
