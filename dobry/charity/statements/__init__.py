"""Bank statements read into lines: the 1C «Клиент-банк» exchange file (`onec`) and
tables (CSV/XLSX) with a column mapping (`tables`). Both give `StatementLine`s; matching
them to campaigns is `charity.matching`."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# One statement holds at most this many payment documents: a year of a busy НКО's
# account is a few thousand; more is a wrong file.
MAX_LINES = 20_000
FIRST_YEAR = 1991


@dataclass(frozen=True)
class StatementLine:
    """One incoming payment as the bank wrote it.

    ``amount_kopecks`` is the sum in kopecks; ``paid_on`` the date the money arrived
    (the bank's local date, as printed); ``number`` the payment order's number;
    ``line`` the line of the file where the document starts (for error messages).
    """

    line: int
    paid_on: date
    amount_kopecks: int
    payer: str
    purpose: str
    number: str = ""
    payer_inn: str = ""
    payer_account: str = ""

    @property
    def amount(self) -> Decimal:
        """The sum in roubles, two decimals."""
        return Decimal(self.amount_kopecks) / 100


# The longest values a payment keeps (`StatementEntry`): far over what banks write (a purpose
# is at most 210 characters, a payer 160); a longer one means a wrong column or file.
MAX_LENGTHS = {"payer": 300, "purpose": 500, "number": 20, "payer_inn": 12, "payer_account": 20}


def check_lengths(line: "StatementLine") -> "StatementLine":
    """The line, if each value fits what a payment keeps and the money arrived from 1991
    (the first Russian accounts) to the city's today — a statement reports what came, and a
    payment dated ahead would count in a campaign's total before any year's report shows it;
    StatementError naming the line otherwise."""
    from django.utils.translation import gettext as _

    from dobry.core.clock import local_today
    from dobry.core.dates import day_text

    if line.paid_on.year < FIRST_YEAR:
        raise StatementError(
            _("Строка %(line)s: дата раньше 1991 года.") % {"line": line.line}, line=line.line
        )
    if line.paid_on > local_today():
        raise StatementError(
            _("Строка %(line)s: дата поступления %(day)s ещё не наступила.")
            % {"line": line.line, "day": day_text(line.paid_on)},
            line=line.line,
        )
    for name, limit in MAX_LENGTHS.items():
        if len(getattr(line, name)) > limit:
            raise StatementError(
                _("Строка %(line)s: слишком длинное значение (предел — %(limit)s).")
                % {"line": line.line, "limit": limit},
                line=line.line,
            )
    return line


class StatementError(ValueError):
    """A statement that cannot be read; ``line`` is the file's line (1-based) or 0."""

    def __init__(self, message: str, *, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
