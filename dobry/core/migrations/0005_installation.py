from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations, models


def derive_uid_domain(apps, schema_editor):
    """The site's host at the first `migrate` (without its port), or DOBRY_UID_DOMAIN: kept
    from then on whatever address the site later has."""
    Installation = apps.get_model("core", "Installation")
    domain = settings.DOBRY_UID_DOMAIN or urlsplit(str(settings.DOBRY_SITE_URL)).hostname
    Installation.objects.get_or_create(pk=1, defaults={"uid_domain": domain or "localhost"})


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_object_names_not_copied")]

    operations = [
        migrations.CreateModel(
            name="Installation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uid_domain", models.CharField(max_length=253)),
            ],
            options={"verbose_name": "установка платформы"},
        ),
        migrations.RunPython(derive_uid_domain, migrations.RunPython.noop),
    ]
