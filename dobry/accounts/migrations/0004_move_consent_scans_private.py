"""Move scans of paper consents from the media folder to the private storage under new
random names (see dobry/core/files.py). A fresh database has none, so this is a no-op there."""

from django.db import migrations

from dobry.core.files import move_to_private_storage


def forwards(apps, schema_editor):
    move_to_private_storage(apps.get_model("accounts", "ConsentRecord"), "scan")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_consent_scan_private")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
