"""The 1C «Клиент-банк» exchange format (`1CClientBankExchange`, version 1.02/1.03), the
statement every Russian bank exports for accounting programs.

The file is lines of ``Key=Value``: a header (``Кодировка=Windows`` — windows-1251 — or
``DOS`` — cp866; ``РасчСчет=`` the account the statement is for), balance sections
(``СекцияРасчСчет`` … ``КонецРасчСчет``), payment documents (``СекцияДокумент=…`` …
``КонецДокумента``) and ``КонецФайла``. A document is incoming when its recipient's account
(``ПолучательСчет``) is the statement's account; outgoing ones are skipped.

No library is used: the two on PyPI (client-bank-1c 0.3, client-bank-exchange-1c 0.1.8 of
2017, GPL) are unmaintained, and the format is this simple.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from dobry.charity.statements import MAX_LINES, StatementError, StatementLine, check_lengths
from dobry.core.typography import quoted
from dobry.core.validators import strip_forbidden_characters

SIGNATURE = "1CClientBankExchange"
_ENCODINGS = {"windows": "cp1251", "dos": "cp866"}
# Lines end with CR LF (or LF); str.splitlines would also split at \v, \f and U+2028.
_LINES = re.compile(r"\r\n|\n|\r")
# «10.11.2026»: digits 0–9 only (int() would also read «١٠» and «+10»).
_DAY = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
# A sum as a bank writes it, once spaces are gone and a comma is a point.
_SUM = re.compile(r"\+?[0-9]+(?:\.[0-9]{1,2})?")


def looks_like_onec(content: bytes) -> bool:
    return content.lstrip(b"\xef\xbb\xbf").startswith(SIGNATURE.encode())


def _decode(content: bytes) -> str:
    body = content.removeprefix(b"\xef\xbb\xbf")
    try:
        # some banks write UTF-8 whatever the header says; a windows-1251 file with
        # Cyrillic text is almost never valid UTF-8
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # «Кодировка=» names the encoding — in that encoding: try each until the word reads
    for candidate in _ENCODINGS.values():
        for raw in _LINES.split(body[:2000].decode(candidate, errors="replace")):
            key, _eq, value = raw.partition("=")
            if key.strip() == "Кодировка":
                encoding = _ENCODINGS.get(value.strip().lower(), candidate)
                return body.decode(encoding, errors="replace")
    return body.decode("cp1251", errors="replace")


def _day(value: str, line: int) -> date:
    try:
        matched = _DAY.fullmatch(value.strip())
        if matched is None:
            raise ValueError(value)
        day, month, year = (int(part) for part in matched.groups())
        found = date(year, month, day)
    except ValueError:
        raise StatementError(
            _("Строка %(line)s: дата не в формате ДД.ММ.ГГГГ: %(value)s.")
            % {"line": line, "value": quoted(value)},
            line=line,
        ) from None
    return found  # from 1991 to today: `check_lengths`


def amount_kopecks(value: str, line: int) -> int:
    """«1500.00», «1500,5», «1 500», «+500» → kopecks; StatementError if not a positive sum
    written in digits 0–9 with at most two decimals («1e3», «٥٠٠» and «500.» are not)."""
    text = value.replace("\xa0", "").replace(" ", "").replace(",", ".")
    amount = Decimal(text) if _SUM.fullmatch(text) else Decimal("NaN")
    if not amount.is_finite() or amount <= 0:
        raise StatementError(
            _("Строка %(line)s: не похоже на сумму в рублях: %(value)s.")
            % {"line": line, "value": quoted(value)},
            line=line,
        )
    if amount >= Decimal("1e12"):
        raise StatementError(
            _("Строка %(line)s: слишком большая сумма: %(value)s.")
            % {"line": line, "value": quoted(value)},
            line=line,
        )
    return int(amount * 100)


def _document(fields: dict[str, str], start: int) -> StatementLine:
    purpose = fields.get("НазначениеПлатежа") or " ".join(
        fields[key] for key in sorted(fields) if key.startswith("НазначениеПлатежа") and fields[key]
    )
    arrived = fields.get("ДатаПоступило") or fields.get("Дата", "")
    if not arrived:
        raise StatementError(
            _("Строка %(line)s: у документа нет даты.") % {"line": start}, line=start
        )
    if not fields.get("Сумма"):
        raise StatementError(
            _("Строка %(line)s: у документа нет суммы.") % {"line": start}, line=start
        )
    return StatementLine(
        line=start,
        paid_on=_day(arrived, start),
        amount_kopecks=amount_kopecks(fields["Сумма"], start),
        payer=fields.get("Плательщик1") or fields.get("Плательщик", ""),
        purpose=purpose,
        number=fields.get("Номер", ""),
        payer_inn=fields.get("ПлательщикИНН", ""),
        payer_account=fields.get("ПлательщикСчет", ""),
    )


def read_onec(content: bytes) -> tuple[list[str], list[StatementLine]]:
    """The statement's own accounts (``РасчСчет``) and its incoming payments.

    Raises StatementError for a file that is not a 1C exchange file, a document left
    open, a document whose date or sum cannot be read (with its line), or a file with no
    incoming payment.
    """
    if not looks_like_onec(content):
        raise StatementError(_("Это не файл обмена 1С: первая строка не «1CClientBankExchange»."))
    accounts: list[str] = []
    documents: list[tuple[int, dict[str, str]]] = []
    current: dict[str, str] | None = None
    start = 0
    for number, raw in enumerate(_LINES.split(_decode(content)), start=1):
        key, _eq, value = strip_forbidden_characters(raw).partition("=")
        key, value = key.strip(), value.strip()
        if key == "СекцияДокумент":
            current, start = {}, number
        elif key == "КонецДокумента":
            if current is None:
                raise StatementError(
                    _("Строка %(line)s: конец документа без начала.") % {"line": number},
                    line=number,
                )
            documents.append((start, current))
            current = None
        elif current is not None:
            current[key] = value
        elif key == "РасчСчет" and value not in accounts:
            accounts.append(value)
        if len(documents) > MAX_LINES:
            raise StatementError(
                _("В выписке слишком много документов (предел — %(max)s): разделите её.")
                % {"max": MAX_LINES}
            )
    if current is not None:
        raise StatementError(
            _("Строка %(line)s: документ не закончен (нет «КонецДокумента»).") % {"line": start},
            line=start,
        )
    incoming = [
        check_lengths(_document(fields, begin))
        for begin, fields in documents
        if not accounts or fields.get("ПолучательСчет", "") in accounts
    ]
    if not incoming:
        # As a table without rows: a statement with nothing to import is a wrong file or
        # period, not an import of nothing.
        raise StatementError(_("В выписке нет поступлений на счёт."))
    return accounts, incoming
