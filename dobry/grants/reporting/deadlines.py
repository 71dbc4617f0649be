"""When a report is late: submitted after its due day, or not submitted by it (the city's
dates)."""

from datetime import date

from dobry.grants.models import GrantReport, ReportDue


def is_late(report: GrantReport | None, due: ReportDue, today: date) -> bool:
    """A report (or its absence) for `due` on the city's `today`: a submitted or accepted
    one is late when its last submission came after the due day; a draft, a returned one
    or none at all once the due day has passed."""
    if report is not None and report.status in (
        GrantReport.Status.SUBMITTED,
        GrantReport.Status.ACCEPTED,
    ):
        return report.submitted_late
    return today > due.due_on
