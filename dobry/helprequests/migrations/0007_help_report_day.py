# A help report keeps the city's day the help was given (the record book's entry is dated by
# it, not by the day the request was closed). Existing reports get the city's date of the
# moment they were written.

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models


def day_of_report(apps, schema_editor):
    HelpReport = apps.get_model("helprequests", "HelpReport")
    city = ZoneInfo(settings.TIME_ZONE)
    for report in HelpReport.objects.filter(day__isnull=True).iterator():
        report.day = report.created_at.astimezone(city).date()
        report.save(update_fields=["day"])


class Migration(migrations.Migration):
    dependencies = [
        ("helprequests", "0006_health_consent_scan"),
    ]

    operations = [
        migrations.AddField(
            model_name="helpreport",
            name="day",
            field=models.DateField(null=True, verbose_name="день помощи"),
        ),
        migrations.RunPython(day_of_report, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="helpreport",
            name="day",
            field=models.DateField(verbose_name="день помощи"),
        ),
    ]
