"""Payment QR codes in the Russian standard ГОСТ Р 56042-2014 («Стандарты финансовых
операций. Двумерные символы штрихового кода для осуществления платежей физических лиц»).

The payload is text: the header ``ST0001`` + the encoding marker (``2`` = UTF-8), then
``|Key=Value`` pairs — the five required details first (Name, PersonalAcc, BankName, BIC,
CorrespAcc, in this order), then the optional ones we use (Sum in kopecks, Purpose,
PayeeINN, KPP). Any Russian bank's app reads it and fills in a transfer; the platform never
sees card data.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import segno
from django.http import HttpResponse

HEADER = "ST00012"
SEPARATOR = "|"

# The standard's maximum lengths of the values we write (section 6, table 1–2).
MAX_LENGTHS = {
    "Name": 160,
    "PersonalAcc": 20,
    "BankName": 45,
    "BIC": 9,
    "CorrespAcc": 20,
    "Sum": 18,
    "Purpose": 210,
    "PayeeINN": 12,
    "KPP": 9,
}
# The largest sum a donor may choose: 99,999,999.99 roubles keeps within Sum's 18 digits
# with room to spare, and no private donation comes near it.
MAX_SUM_KOPECKS = 9_999_999_999

_UNSAFE = re.compile(r"[\x00-\x1f\x7f|]")


@dataclass(frozen=True)
class Payee:
    """The organisation's bank details as validated on entry (`charity.models.BankDetails`)."""

    name: str
    account: str
    bank_name: str
    bic: str
    correspondent_account: str
    inn: str
    kpp: str = ""


def _clean(value: str, key: str) -> str:
    # The separator and control characters would break the pairs; a bank app shows
    # the values, so a visible «/» is the honest replacement.
    text = " ".join(_UNSAFE.sub("/", value).split())
    return text[: MAX_LENGTHS[key]]


def payment_payload(payee: Payee, *, purpose: str, sum_kopecks: int | None = None) -> str:
    """The payload text for a transfer to ``payee``.

    ``sum_kopecks`` is the amount in kopecks (1 rouble = 100), or None to let the donor
    type it in the bank's app. Raises ValueError for a sum that is not positive or is over
    `MAX_SUM_KOPECKS`.
    """
    pairs = [
        ("Name", payee.name),
        ("PersonalAcc", payee.account),
        ("BankName", payee.bank_name),
        ("BIC", payee.bic),
        ("CorrespAcc", payee.correspondent_account or "0"),
    ]
    if sum_kopecks is not None:
        if not 0 < sum_kopecks <= MAX_SUM_KOPECKS:
            raise ValueError("sum_kopecks must be between 1 and MAX_SUM_KOPECKS")
        pairs.append(("Sum", str(sum_kopecks)))
    pairs.append(("Purpose", purpose))
    pairs.append(("PayeeINN", payee.inn))
    if payee.kpp:
        pairs.append(("KPP", payee.kpp))
    return HEADER + "".join(f"{SEPARATOR}{key}={_clean(value, key)}" for key, value in pairs)


def parse_payload(payload: str) -> dict[str, str]:
    """The pairs of a payload (the reverse of `payment_payload`); ValueError if not ГОСТ."""
    if not payload.startswith("ST0001") or len(payload) < 8:
        raise ValueError("not a ГОСТ Р 56042-2014 payload")
    separator = payload[7]
    pairs = {}
    for pair in payload[8:].split(separator):
        key, equals, value = pair.partition("=")
        if not equals:
            raise ValueError(f"pair without «=»: {pair!r}")
        pairs[key] = value
    return pairs


def qr_code(payload: str) -> segno.QRCode:
    """The QR symbol: byte mode, UTF-8 without an ECI marker, error correction M."""
    return segno.make(payload, error="m", encoding="utf-8", micro=False)


def qr_response(payload: str, kind: str) -> HttpResponse:
    """The symbol of `payload` as an image to download: `kind` "svg", else PNG; never
    cached (the payload may carry a donor's code)."""
    buffer = io.BytesIO()
    if kind == "svg":
        qr_code(payload).save(buffer, kind="svg", scale=6, border=4, title="QR")
    else:
        qr_code(payload).save(buffer, kind="png", scale=8, border=4)
    content_type = "image/svg+xml" if kind == "svg" else "image/png"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
