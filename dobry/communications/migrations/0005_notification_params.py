"""Notifications keep their kind and parameters and are rendered when read; the text of
the notifications made before stays as it was, as `stored_title`/`stored_body`."""

from django.db import migrations, models

# Kinds whose subject and body name nothing: their old rows become parameters (none), so
# they too read in the reader's language. Other old rows cannot be told back from their
# text and stay as they were.
WITHOUT_CONTEXT = ("help_volunteer_invite",)


def rows_of_kinds_without_context(apps, schema_editor):
    Notification = apps.get_model("communications", "Notification")
    Notification.objects.filter(kind__in=WITHOUT_CONTEXT, params__isnull=True).update(
        params={}, stored_title="", stored_body=""
    )


class Migration(migrations.Migration):
    dependencies = [("communications", "0004_news")]

    operations = [
        migrations.RenameField("notification", "title", "stored_title"),
        migrations.RenameField("notification", "body", "stored_body"),
        migrations.AlterField(
            model_name="notification",
            name="stored_title",
            field=models.CharField(blank=True, max_length=250, verbose_name="заголовок"),
        ),
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, null=True, verbose_name="параметры"),
        ),
        migrations.RunPython(rows_of_kinds_without_context, migrations.RunPython.noop),
    ]
