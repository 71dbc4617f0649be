from django_tasks import task

from dobry.reports.services import reports_warm, snapshots_due


@task()
def store_kpi_snapshots() -> int:
    return snapshots_due()


@task()
def warm_reports() -> list[str]:
    return reports_warm()
