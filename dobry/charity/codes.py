"""Campaign codes in payment purposes: «DG-12» names campaign 12; «DG-12-K7QX» also names
one signed-in donor (`DonorCode`). The page's QR code writes the code; a person typing a
transfer by hand copies it from the page. Reading is forgiving (case, a space for the
dash), writing is one form."""

import re
import secrets
from dataclasses import dataclass

PREFIX = "DG"
# Letters and digits a person cannot confuse when copying (no 0/O, 1/I/L, 5/S, 2/Z, 8/B).
_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
DONOR_PART_LENGTH = 4
_CODE = re.compile(
    rf"(?<![A-Z0-9]){PREFIX}[-\s]?(?P<campaign>[0-9]{{1,9}})"
    rf"(?:[-\s](?P<donor>[{_ALPHABET}]{{{DONOR_PART_LENGTH}}}))?(?![A-Z0-9])",
    re.IGNORECASE,
)


def campaign_code(pk: int) -> str:
    return f"{PREFIX}-{pk}"


def new_donor_code(campaign_pk: int) -> str:
    part = "".join(secrets.choice(_ALPHABET) for _ in range(DONOR_PART_LENGTH))
    return f"{campaign_code(campaign_pk)}-{part}"


@dataclass(frozen=True)
class FoundCode:
    campaign_code: str
    donor_code: str = ""


def find_code(purpose: str) -> FoundCode | None:
    """The first campaign code in a payment's purpose, in its written form; None if none."""
    found = _CODE.search(purpose)
    if found is None:
        return None
    code = campaign_code(int(found["campaign"]))
    donor = f"{code}-{found['donor'].upper()}" if found["donor"] else ""
    return FoundCode(code, donor)
