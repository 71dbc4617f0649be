# Hours of help by a request written before they were their own source (volunteering 0006)
# became the volunteer's own «social» claim: source `claim`, area `social`, no origin, the
# request's summary as the description, confirmed (or pending, for a coordinator's own help)
# when the request was closed as done. Those rows are now what new ones are: help by the
# request (`help_request`), naming it. Only the source and the origin change: their day,
# hours and confirmation stay as the record book has shown them.
#
# Nothing linked such a row to its request, so it is found from the request's side: for each
# helper's report of a request closed as done, the helper's claim of the closing, in the
# programme's organisation when the request had one, written within the hour after the
# request closed (the closing wrote it in the same transaction), for no more hours than the
# report gave (the day's 24 hours may have trimmed them), with the request's summary as
# its description — or none, when the helper's account was erased since (erasure empties
# the descriptions of a person's hours). One row per report, the earliest.

from datetime import timedelta

from django.db import migrations
from django.db.models import Q

LEGACY_SOURCE = "claim"
LEGACY_AREA = "social"
SOURCE = "help_request"
KIND = "help_request"  # the reference kind of a help request (dobry/site/references.py)
WRITTEN_WITHIN = timedelta(hours=1)


def legacy_help_hours(apps, schema_editor):
    HelpReport = apps.get_model("helprequests", "HelpReport")
    HoursEntry = apps.get_model("volunteering", "HoursEntry")
    reports = (
        HelpReport.objects.filter(request__status="done", request__closed_at__isnull=False)
        .select_related("request__programme")
        .order_by("pk")
    )
    for report in reports.iterator():
        help_request = report.request
        closed = help_request.closed_at
        legacy = HoursEntry.objects.filter(
            Q(description=help_request.summary) | Q(description="", user__erased_at__isnull=False),
            user_id=report.volunteer_id,
            source=LEGACY_SOURCE,
            area=LEGACY_AREA,
            origin_kind="",
            hours__lte=report.hours,
            created_at__gte=closed,
            created_at__lte=closed + WRITTEN_WITHIN,
        )
        if help_request.programme_id is not None:
            legacy = legacy.filter(organization_id=help_request.programme.organization_id)
        entry = legacy.order_by("created_at", "pk").first()
        if entry is not None:
            entry.source = SOURCE
            entry.origin_kind = KIND
            entry.origin_pk = help_request.pk
            entry.save(update_fields=["source", "origin_kind", "origin_pk"])


class Migration(migrations.Migration):
    dependencies = [
        ("helprequests", "0007_help_report_day"),
        ("volunteering", "0006_hours_from_help_requests"),
    ]

    operations = [
        migrations.RunPython(legacy_help_hours, migrations.RunPython.noop),
    ]
