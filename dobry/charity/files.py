"""The charity app's uploaded files: campaign covers and update photos are public pictures."""

from dobry.charity.models import Campaign, CampaignUpdate
from dobry.core.files import register_public

register_public(Campaign, "cover", reason="the campaign's cover, shown on its public page")
register_public(CampaignUpdate, "photo", reason="a photo in the campaign's public updates")
