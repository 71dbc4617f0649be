"""A donor's donations in the personal-data export and on erasure (152-ФЗ, ст. 14, 21).

On erasure the donations stay — they are the organisation's accounting records, which it
keeps five years (402-ФЗ «О бухгалтерском учёте», ст. 29) and the campaign's sum rests
on — without the person: the account link, the name as the bank wrote it (in the donation
and its statement line) and the donor's personal codes go; each donation keeps the hash
that counts its giver once (`Donation.donor_key`), which names no one. Other rows that
quote the person (a payer's name typed into a purpose or a note) lose their values."""

from typing import Any

from dobry.accounts import personal_data
from dobry.accounts.models import User
from dobry.charity.models import Donation, DonorCode, Pledge, StatementEntry
from dobry.core.erasure import REDACTED, Traces, scrub_rows


def _export(user: User) -> dict[str, Any]:
    donations = Donation.objects.filter(donor=user).select_related("organization", "campaign")
    return {
        "donations": [
            {
                "received_on": d.received_on.isoformat(),
                "amount": f"{d.amount:.2f}",
                "organization": d.organization.name,
                "campaign": d.campaign.title if d.campaign else None,
                "source": d.source,
                "donor_name": d.donor_name,
                "is_anonymous": d.is_anonymous,
            }
            for d in donations
        ],
        "donor_codes": list(DonorCode.objects.filter(donor=user).values_list("code", flat=True)),
        "pledges": [
            {
                "need": p.need.title,
                "organization": p.need.organization.name,
                "quantity": p.quantity,
                "unit": p.need.unit,
                "status": p.status,
                "note": p.note,
                "created_at": p.created_at.isoformat(),
            }
            for p in Pledge.objects.filter(pledger=user).select_related("need__organization")
        ],
    }


def _erase(user: User) -> None:
    donations = Donation.objects.filter(donor=user)
    StatementEntry.objects.filter(donation__in=donations).update(
        payer=REDACTED, payer_inn="", payer_account=""
    )
    donations.update(donor=None, donor_name="", note="", is_anonymous=True)
    DonorCode.objects.filter(donor=user).delete()
    # a pledge stays (the need's count rests on it), without the person and their words
    Pledge.objects.filter(pledger=user).update(pledger=None, note="")


def _copies(traces: Traces) -> None:
    scrub_rows(Donation.objects.all(), ["donor_name", "note"], traces)
    scrub_rows(StatementEntry.objects.all(), ["payer", "purpose"], traces)
    scrub_rows(Pledge.objects.all(), ["note"], traces)


personal_data.register(
    "donations",
    export=_export,
    erase=_erase,
    copies=_copies,
    covers={
        "charity.Donation.donor": "donations.donations",
        "charity.DonorCode.donor": "donations.donor_codes",
        "charity.Pledge.pledger": "donations.pledges",
    },
)
personal_data.not_personal(
    {
        "charity.Campaign.created_by": "the organisation's campaign; creating it is in the "
        "creator's actions",
        "charity.Need.created_by": "the organisation's need; creating it is in the creator's "
        "actions",
        "charity.CampaignUpdate.author": "a post of the organisation's campaign; posting it is in "
        "the author's actions",
        "charity.Donation.recorded_by": "an editor's work on the organisation's records; "
        "recording it is in their actions",
        "charity.StatementImport.uploaded_by": "an editor's work on the organisation's bank "
        "statement; uploading it is in their actions",
        "charity.SpendingItem.created_by": "an editor's record of the organisation's spending; "
        "recording it is in their actions",
    }
)
