from django_tasks import task

from dobry.helprequests.services.offering import offers_expire
from dobry.helprequests.services.retention import requests_minimise


@task()
def expire_help_offers() -> int:
    return offers_expire()


@task()
def minimise_closed_requests() -> int:
    return requests_minimise()
