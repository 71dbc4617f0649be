"""Volunteers' accessibility needs are health data (152-ФЗ art. 10): encrypted at rest.

The plain column is renamed, the encrypted one added, the values copied (empty ones become
NULL), and the plain column dropped."""

import encrypted_fields.fields
from django.db import migrations


def encrypt_needs(apps, schema_editor):
    VolunteerProfile = apps.get_model("volunteering", "VolunteerProfile")
    for profile in VolunteerProfile.objects.exclude(accessibility_needs_plain="").iterator():
        profile.accessibility_needs = profile.accessibility_needs_plain
        profile.save(update_fields=["accessibility_needs"])


def decrypt_needs(apps, schema_editor):
    VolunteerProfile = apps.get_model("volunteering", "VolunteerProfile")
    for profile in VolunteerProfile.objects.exclude(accessibility_needs=None).iterator():
        profile.accessibility_needs_plain = profile.accessibility_needs
        profile.save(update_fields=["accessibility_needs_plain"])


class Migration(migrations.Migration):
    dependencies = [
        ("volunteering", "0003_hours_index_covers_the_sums"),
    ]

    operations = [
        migrations.RenameField(
            model_name="volunteerprofile",
            old_name="accessibility_needs",
            new_name="accessibility_needs_plain",
        ),
        migrations.AddField(
            model_name="volunteerprofile",
            name="accessibility_needs",
            field=encrypted_fields.fields.EncryptedTextField(
                blank=True,
                help_text=(
                    "Например: нужен пандус, сопровождающий, крупный шрифт. Это сведения о "
                    "здоровье: их принимают только с письменным согласием и видят только "
                    "организаторы ваших смен."
                ),
                null=True,
                verbose_name="что нужно для моего участия",
            ),
        ),
        migrations.RunPython(encrypt_needs, decrypt_needs),
        migrations.RemoveField(model_name="volunteerprofile", name="accessibility_needs_plain"),
    ]
