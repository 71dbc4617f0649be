from dobry.charity.models.bank import BankDetails
from dobry.charity.models.campaigns import CAMPAIGN_WORKFLOW, Campaign, CampaignUpdate
from dobry.charity.models.donations import (
    ENTRY_WORKFLOW,
    STATEMENT_WORKFLOW,
    Donation,
    DonorCode,
    StatementEntry,
    StatementImport,
    entry_fingerprint,
    payer_key,
)
from dobry.charity.models.needs import NEED_WORKFLOW, PLEDGE_WORKFLOW, Need, Pledge
from dobry.charity.models.spending import SpendingItem

__all__ = [
    "CAMPAIGN_WORKFLOW",
    "ENTRY_WORKFLOW",
    "NEED_WORKFLOW",
    "PLEDGE_WORKFLOW",
    "STATEMENT_WORKFLOW",
    "BankDetails",
    "Campaign",
    "CampaignUpdate",
    "Donation",
    "DonorCode",
    "Need",
    "Pledge",
    "SpendingItem",
    "StatementEntry",
    "StatementImport",
    "entry_fingerprint",
    "payer_key",
]
