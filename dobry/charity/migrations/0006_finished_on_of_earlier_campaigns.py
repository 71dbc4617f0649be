"""Campaigns finished before `finished_on` existed (0004) get the day they were finished —
the city's local date of their last «charity.campaign_finish» audit entry, else of their
last change — so the yearly public report counts them in the year they ended."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations


def fill_finished_on(apps, schema_editor):
    Campaign = apps.get_model("charity", "Campaign")
    AuditEntry = apps.get_model("core", "AuditEntry")
    zone = ZoneInfo(settings.TIME_ZONE)
    for campaign in Campaign.objects.filter(status="finished", finished_on__isnull=True):
        entry = (
            AuditEntry.objects.filter(
                action="charity.campaign_finish",
                object_type="charity.campaign",
                object_id=str(campaign.pk),
            )
            .order_by("-created_at")
            .first()
        )
        moment = entry.created_at if entry is not None else campaign.updated_at
        campaign.finished_on = moment.astimezone(zone).date()
        campaign.save(update_fields=["finished_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("charity", "0005_campaign_agreement"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(fill_finished_on, migrations.RunPython.noop)]
