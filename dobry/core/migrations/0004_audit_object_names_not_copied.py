"""Audit entries no longer copy their object's name (it is read from the object when the
journal is shown): the names copied before — a consultation's subject, an application's
title, a person's name — are removed, so none outlives the object's minimising or erasure."""

from django.db import migrations, models


def forget_copied_names(apps, schema_editor):
    apps.get_model("core", "AuditEntry").objects.exclude(object_repr="").update(object_repr="")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_idempotent_request_user")]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="object_repr",
            field=models.CharField(blank=True, max_length=200, verbose_name="объект"),
        ),
        migrations.RunPython(forget_copied_names, migrations.RunPython.noop),
    ]
