"""Campaigns finished before `finished_on` existed get the city's local day they were
finished (migration 0006): the day of their last «finish» audit entry, else of their last
change — so the yearly report counts them in the year they ended (issue 14)."""

import importlib
from datetime import UTC, date, datetime

import pytest
from django.apps import apps

from dobry.charity.models import Campaign
from dobry.charity.tests.factories import CampaignFactory
from dobry.core.models import AuditEntry

pytestmark = pytest.mark.django_db
fill = importlib.import_module(
    "dobry.charity.migrations.0006_finished_on_of_earlier_campaigns"
).fill_finished_on


def test_an_earlier_finished_campaign_gets_its_local_finishing_day(settings):
    settings.TIME_ZONE = "Asia/Krasnoyarsk"
    logged = CampaignFactory(status=Campaign.Status.FINISHED)
    unlogged = CampaignFactory(status=Campaign.Status.FINISHED)
    active = CampaignFactory(status=Campaign.Status.ACTIVE)
    known = CampaignFactory(status=Campaign.Status.FINISHED, finished_on=date(2025, 3, 1))
    # 31 December 2025, 18:30 UTC is 1 January 2026, 01:30 in Krasnoyarsk.
    entry = AuditEntry.objects.create(
        action="charity.campaign_finish", object_type="charity.campaign", object_id=str(logged.pk)
    )
    AuditEntry.objects.filter(pk=entry.pk).update(
        created_at=datetime(2025, 12, 31, 18, 30, tzinfo=UTC)
    )
    Campaign.objects.filter(pk=unlogged.pk).update(
        updated_at=datetime(2025, 6, 30, 17, 30, tzinfo=UTC)  # 1 July, 00:30 local
    )
    fill(apps, None)
    days = dict(Campaign.objects.values_list("pk", "finished_on"))
    assert days[logged.pk] == date(2026, 1, 1)
    assert days[unlogged.pk] == date(2025, 7, 1)
    assert days[active.pk] is None
    assert days[known.pk] == date(2025, 3, 1)
