from django_tasks import task

from dobry.opportunities.services.follows import remind_opportunity_deadlines


@task()
def remind_grant_calls() -> int:
    return remind_opportunity_deadlines()
