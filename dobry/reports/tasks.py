from django_tasks import task

from dobry.reports.services import snapshots_due


@task()
def store_kpi_snapshots() -> int:
    return snapshots_due()
