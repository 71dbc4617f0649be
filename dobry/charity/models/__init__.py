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

__all__ = [
    "CAMPAIGN_WORKFLOW",
    "ENTRY_WORKFLOW",
    "STATEMENT_WORKFLOW",
    "BankDetails",
    "Campaign",
    "CampaignUpdate",
    "Donation",
    "DonorCode",
    "StatementEntry",
    "StatementImport",
    "entry_fingerprint",
    "payer_key",
]
