"""Reasons the platform gave itself were stored in the actor's language: an English page's
cancellation kept «Cancelled by the person who asked for help.». They become their Russian
source text, read in each reader's language (`HelpRequest.reason_text`)."""

from django.db import migrations

# English as it was stored -> the source text kept from now on.
SOURCES = {
    "Cancelled by the person who asked for help.": "Отменена тем, кто просил о помощи.",
    "Account deleted": "Учётная запись удалена",
}


def to_source(apps, schema_editor):
    HelpRequest = apps.get_model("helprequests", "HelpRequest")
    for stored, source in SOURCES.items():
        HelpRequest.objects.filter(reason=stored).update(reason=source)


class Migration(migrations.Migration):
    dependencies = [("helprequests", "0008_legacy_help_hours")]

    operations = [migrations.RunPython(to_source, migrations.RunPython.noop)]
