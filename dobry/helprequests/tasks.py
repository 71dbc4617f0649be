from django_tasks import task

from dobry.helprequests.services import offers_expire, requests_minimise


@task()
def expire_help_offers() -> int:
    return offers_expire()


@task()
def minimise_closed_requests() -> int:
    return requests_minimise()
