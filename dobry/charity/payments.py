"""What a campaign's payment QR code says: the organisation's bank details, the sum the
donor chose and a purpose that carries the campaign's code (or the donor's own), so the
payment finds its campaign in the statement (`charity.matching`)."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import override

from dobry.charity.models import Campaign
from dobry.charity.payment_qr import payment_payload


def purpose_text(campaign: Campaign, code: str = "") -> str:
    """«Пожертвование DG-12: <title>. Без НДС» — always in Russian (the bank's documents);
    the code first, so no cut loses it."""
    with override("ru"):
        return _("Пожертвование %(code)s: %(title)s. Без НДС") % {
            "code": code or campaign.code,
            "title": campaign.title,
        }


def campaign_payload(campaign: Campaign, *, amount: Decimal | None, code: str = "") -> str:
    """The ГОСТ Р 56042-2014 payload for a donation of `amount` roubles (None: the donor
    types it in the bank's app). The organisation must have bank details (a started
    campaign always has: `permissions.can_move_campaign`)."""
    kopecks = None if amount is None else int((amount * 100).to_integral_value())
    return payment_payload(
        campaign.organization.bank_details.payee(),
        purpose=purpose_text(campaign, code),
        sum_kopecks=kopecks,
    )
