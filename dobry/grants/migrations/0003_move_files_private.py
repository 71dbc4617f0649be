"""Move uploaded competition rules, application attachments and signed protocols from the
public media folder to the private storage under random names (see dobry/core/files.py).
A fresh database has no rows, so this is a no-op there."""

from django.db import migrations

from dobry.core.files import move_to_private_storage


def forwards(apps, schema_editor):
    move_to_private_storage(
        apps.get_model("grants", "Competition"), "rules_document", name_field="rules_document_name"
    )
    move_to_private_storage(
        apps.get_model("grants", "Meeting"), "signed_protocol", name_field="signed_protocol_name"
    )
    moved = move_to_private_storage(
        apps.get_model("grants", "ApplicationAttachment"), "file", name_field="original_name"
    )
    if not moved:
        return
    # Submitted versions keep a frozen list of their attachments' stored names.
    ApplicationVersion = apps.get_model("grants", "ApplicationVersion")
    for version in ApplicationVersion.objects.exclude(attachments=[]).iterator():
        attachments = [
            {**item, "file": moved.get(item.get("file"), item.get("file"))}
            if isinstance(item, dict)
            else item
            for item in version.attachments
        ]
        if attachments != version.attachments:
            ApplicationVersion.objects.filter(pk=version.pk).update(attachments=attachments)


class Migration(migrations.Migration):
    dependencies = [("grants", "0002_private_files")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
