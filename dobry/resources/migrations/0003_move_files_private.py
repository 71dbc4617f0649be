"""Move consultation attachments and library files from the public media folder to the
private storage under random names (see dobry/core/files.py). A fresh database has no rows,
so this is a no-op there."""

from django.db import migrations

from dobry.core.files import move_to_private_storage


def forwards(apps, schema_editor):
    move_to_private_storage(
        apps.get_model("resources", "ConsultationMessage"),
        "attachment",
        name_field="attachment_name",
    )
    move_to_private_storage(
        apps.get_model("resources", "LibraryFile"), "file", name_field="original_name"
    )


class Migration(migrations.Migration):
    dependencies = [("resources", "0002_private_files")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
