"""Reports of a signed agreement for the tests of a grant's reports."""

from django.core.files.uploadedfile import SimpleUploadedFile

from dobry.grants.models import Agreement, GrantReport, ReportDue
from dobry.grants.services import reports
from dobry.grants.tests.agreements import grantee_of

RECEIPT = b"%PDF-1.4 receipt"


def receipt(name: str = "chek.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, RECEIPT, content_type="application/pdf")


def filled(report: GrantReport) -> dict:
    """Every field a submission needs, as a grantee sends it."""
    content = reports.current_version(report).content
    return {
        "activities": [{"done": True, "note": "Проведено"} for _row in content["activities"]],
        "indicators": [{"achieved": "42"} for _row in content["indicators"]],
        "spending": [{"line": row["line"], "spent": row["amount"]} for row in content["spending"]],
        "publications": [{"title": "Газета", "url": "https://example.org/news/1"}],
        "participants": 40,
        "recipients": 12,
    }


def submitted_report(agreement: Agreement, kind: str = ReportDue.Kind.FINAL) -> GrantReport:
    grantee = grantee_of(agreement.application)
    report = reports.report_open(actor=grantee, agreement=agreement, kind=kind)
    reports.report_save(actor=grantee, report=report, data=filled(report))
    return reports.report_submit(actor=grantee, report=report)
