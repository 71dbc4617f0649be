"""Hours and sums in a sentence are written as people write them (issue 11, «the rough
edges a new user hits»): the check-out message said «2.00 ч» — a point in Russian and
zeros nobody writes. Every number put into a message goes through
`core.numbers.plain_number` (hours: «2 ч», «2,5 ч») or `core.numbers.amount` (sums:
«150 000 ₽»), in templates the `plain` and `amount` filters; both follow the language."""

import ast
import re
from datetime import date, time, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest
from django.utils import translation

from dobry.core.clock import local_moment
from dobry.core.numbers import amount, plain_number
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory, volunteer
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.volunteering.models import HoursEntry
from dobry.volunteering.services.hours import _day_full

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("language", "hours", "sum_", "written_hours", "written_sum"),
    [
        ("ru", "2.00", "150000.00", "2", "150\u00a0000"),
        ("ru", "2.50", "1234.50", "2,5", "1\u00a0234,50"),
        ("en", "2.00", "150000.00", "2", "150,000"),
        ("en", "2.75", "1234.50", "2.75", "1,234.50"),
    ],
)
def test_numbers_follow_the_language(language, hours, sum_, written_hours, written_sum):
    with translation.override(language):
        assert plain_number(Decimal(hours)) == written_hours
        assert amount(Decimal(sum_)) == written_sum
        assert amount(sum_) == written_sum  # as kept in JSON


# --- the messages ----------------------------------------------------------------------------

DAY = date(2026, 9, 5)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "minutes", "said"),
    [
        ("ru", 120, "уход отмечен, 2 ч ждут подтверждения."),
        ("ru", 150, "уход отмечен, 2,5 ч ждут подтверждения."),
        ("en", 120, "leaving marked, 2 h await confirmation."),
        ("en", 150, "leaving marked, 2.5 h await confirmation."),
    ],
)
def test_the_check_out_message_writes_the_hours_in_the_pages_language(
    login_as, freeze_now, language, minutes, said
):
    organization = OrganizationFactory()
    organiser = volunteer()
    MembershipFactory(organization=organization, user=organiser, role=Membership.Role.EDITOR)
    start = local_moment(DAY, time(9, 0))
    freeze_now(start - timedelta(hours=1))
    shift = ShiftFactory(
        event__organization=organization, starts_at=start, ends_at=start + timedelta(hours=3)
    )
    RegistrationFactory(shift=shift, code="QWER2345")
    client = login_as(organiser)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    url = f"/events/{shift.event_id}/checkin/"
    freeze_now(start)
    client.post(url, {"code": "QWER2345", "action": "in"})
    freeze_now(start + timedelta(minutes=minutes))
    page = client.post(url, {"code": "QWER2345", "action": "out"}, follow=True)
    assert said in page.content.decode()


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("ru", "уже учтено 23,5 ч, а в сутках не больше 24 часов: можно добавить не больше 0,5 ч."),
        ("en", "23.5 h"),
    ],
)
def test_a_full_day_says_its_hours_in_the_language(language, said):
    with translation.override(language):
        message = _day_full(DAY, Decimal("0.50")).message
    assert said in message
    assert ".50" not in message


@pytest.mark.django_db
def test_an_entry_is_named_with_its_hours_written_plainly():
    entry = HoursEntry(user=volunteer(first_name="Вера", last_name="Часова"), hours=Decimal("2.50"))
    entry.date = DAY
    assert "2,5 ч" in str(entry)


# --- the sweep: no number reaches a sentence raw ------------------------------------------------

FORMATTERS = {
    "plain_number",
    "amount",
    "amount_text",
    "roubles",
    "_money",
    "floatformat",
    "number_format",
    "len",
}
UNIT = r"\s*(?:ч\b|₽|руб|/ч)"
TRANSLATE = {"_", "gettext", "gettext_lazy", "ngettext", "pgettext", "npgettext"}


def _formatted(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return True
    if isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        return name in FORMATTERS
    return False


def _strings(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") in TRANSLATE:
        return [
            a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
        ]
    return []


def _python_offenders(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            if not isinstance(node.right, ast.Dict):
                continue
            values = {
                key.value: value
                for key, value in zip(node.right.keys, node.right.values, strict=True)
                if isinstance(key, ast.Constant)
            }
            for text in _strings(node.left):
                for name in re.findall(r"%\((\w+)\)s" + UNIT, text):
                    if name in values and not _formatted(values[name]):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} %({name})s")
        elif isinstance(node, ast.JoinedStr):
            parts = node.values
            for part, after in pairwise(parts):
                if (
                    isinstance(part, ast.FormattedValue)
                    and isinstance(after, ast.Constant)
                    and re.match(UNIT, str(after.value))
                    and not _formatted(part.value)
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} f-string")
    return found


def test_no_message_puts_hours_or_a_sum_into_text_unformatted():
    offenders = []
    for path in sorted((ROOT / "dobry").rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        offenders += _python_offenders(path)
    assert offenders == []


# A number field printed as it is: `{{ entry.hours }}`, `with hours=entry.hours %}`.
RAW_NUMBER = re.compile(r"(?:\{\{\s*|=)[\w.]*\.(?:hours|amount|value_rub)(?=\s*(?:\}\}|\s|%\}))")


def test_no_template_prints_hours_or_a_sum_without_its_filter():
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sorted((ROOT / "templates").rglob("*"))
        if path.suffix in (".html", ".txt")
        for match in RAW_NUMBER.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
