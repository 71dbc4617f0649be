"""The coordinator who registered a request taken by phone is kept as `registered_by`, not
as its requester (a coordinator who registered a call used to become the person who asked:
they read the recipient's data without an audit entry, got the resident's messages and the
rating form)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def requester_to_registered_by(apps, schema_editor):
    """Requests taken by phone (relation «phone_call») whose requester is a coordinator or
    a platform admin: the staff form registers these for residents who have no account, so
    the staff member registered them and nobody asked through the platform. Others (a
    coordinator asking for themself or a relative) keep their requester."""
    HelpRequest = apps.get_model("helprequests", "HelpRequest")
    staff = HelpRequest.objects.filter(relation="phone_call").filter(
        models.Q(requester__is_coordinator=True) | models.Q(requester__is_superuser=True)
    )
    staff.update(registered_by_id=models.F("requester_id"), requester=None)


def registered_by_to_requester(apps, schema_editor):
    HelpRequest = apps.get_model("helprequests", "HelpRequest")
    HelpRequest.objects.filter(requester__isnull=True, registered_by__isnull=False).update(
        requester_id=models.F("registered_by_id")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("helprequests", "0009_system_reasons_as_source_text"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="helprequest",
            name="registered_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="кто зарегистрировал",
            ),
        ),
        migrations.RunPython(requester_to_registered_by, registered_by_to_requester),
    ]
