"""The charity app's uploaded files: campaign covers and update photos are public pictures;
a spending item's receipt is private until the organisation publishes it."""

from dobry.charity import permissions
from dobry.charity.models import Campaign, CampaignUpdate, SpendingItem
from dobry.core.files import register_private, register_public

register_public(Campaign, "cover", reason="the campaign's cover, shown on its public page")
register_public(CampaignUpdate, "photo", reason="a photo in the campaign's public updates")
register_private(
    SpendingItem,
    "receipt",
    can_read=permissions.can_read_receipt,
    select_related=("organization", "campaign"),
)
