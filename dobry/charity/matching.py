"""Matching a statement's incoming payments to campaigns and donors, without writing.

A payment whose purpose carries a started campaign's code («DG-12») is that campaign's donation;
a donor's personal code («DG-12-K7QX») also names the donor. A payment without a code gets
a suggestion for the person who sorts the queue: the campaign this payer gave to before,
else the organisation's only collecting campaign. A payment already recorded (same date,
amount, payer and document number) is a duplicate. Queries: five at most, however long the
statement."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from dobry.accounts.models import User
from dobry.charity.codes import find_code
from dobry.charity.models import (
    Campaign,
    Donation,
    DonorCode,
    StatementEntry,
    entry_fingerprint,
    payer_key,
)
from dobry.charity.statements import StatementLine
from dobry.core.numbers import MONEY_PLACES
from dobry.organizations.models import Organization


@dataclass(frozen=True)
class Match:
    line: StatementLine
    fingerprint: str
    duplicate: bool = False
    campaign: Campaign | None = None
    donor: User | None = None
    suggested: Campaign | None = None


def line_amount(line: StatementLine) -> Decimal:
    return line.amount.quantize(MONEY_PLACES)


def fingerprint_of(line: StatementLine) -> str:
    return entry_fingerprint(
        paid_on=line.paid_on, amount=line_amount(line), payer=line.payer, number=line.number
    )


def line_payer_key(line: StatementLine) -> str:
    return payer_key(inn=line.payer_inn, name=line.payer, account=line.payer_account)


def match_lines(organization: Organization, lines: Sequence[StatementLine]) -> list[Match]:
    """Each line's match; the same payment twice in one file is a duplicate the second time."""
    prints = [fingerprint_of(line) for line in lines]
    recorded = set(
        StatementEntry.objects.filter(
            organization=organization, fingerprint__in=prints
        ).values_list("fingerprint", flat=True)
    )
    found = [find_code(line.purpose) for line in lines]
    # a draft is not collecting: a payment naming one waits for a person (as the queue and
    # a donation recorded by hand refuse a draft)
    campaigns = (
        Campaign.objects.filter(organization=organization)
        .exclude(status=Campaign.Status.DRAFT)
        .in_bulk([int(code.campaign_code.rsplit("-", 1)[1]) for code in found if code])
    )
    donors = {
        row.code: row.donor
        for row in DonorCode.objects.select_related("donor").filter(
            code__in=[code.donor_code for code in found if code and code.donor_code]
        )
    }
    suggestions = _suggestions(organization, [line_payer_key(line) for line in lines])
    seen: set[str] = set()
    matches = []
    for line, fingerprint, code in zip(lines, prints, found, strict=True):
        duplicate = fingerprint in recorded or fingerprint in seen
        seen.add(fingerprint)
        campaign = campaigns.get(int(code.campaign_code.rsplit("-", 1)[1])) if code else None
        donor_code = donors.get(code.donor_code) if code and code.donor_code else None
        donor = donor_code if campaign is not None else None
        matches.append(
            Match(
                line=line,
                fingerprint=fingerprint,
                duplicate=duplicate,
                campaign=campaign,
                donor=donor,
                suggested=None if campaign else suggestions.get(line_payer_key(line)),
            )
        )
    return matches


def _suggestions(organization: Organization, keys: list[str]) -> dict[str, Campaign]:
    """payer key → the campaign to suggest: the payer's last one, else the only one collecting."""
    previous: dict[str, Campaign] = {}
    for donation in (
        Donation.objects.filter(organization=organization, donor_key__in=keys)
        .exclude(campaign=None)
        .select_related("campaign")
        .order_by("received_on", "pk")
    ):
        assert donation.campaign is not None
        previous[donation.donor_key] = donation.campaign
    collecting = list(Campaign.objects.filter(organization=organization).collecting()[:2])
    only = collecting[0] if len(collecting) == 1 else None
    if only is None:
        return previous
    return {key: previous.get(key, only) for key in keys}
