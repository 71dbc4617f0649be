"""Every validation message a person reads is a sentence: capitalised, with a full stop
(issue 11 §6 typography), at its field and after «Параметр «x»:» alike."""

import re
from pathlib import Path

import pytest
from django.http import QueryDict

from dobry.core.request_values import (
    InvalidParameter,
    choice_param,
    date_param,
    date_range_error,
    id_param,
    integer_param,
    month_param,
)

ROOT = Path(__file__).resolve().parents[2]
# A message given where a refusal is made: a field's error, a form's, a parameter's, a
# service's, a schema's value error.
REFUSAL = re.compile(
    r"(?:InvalidParameter\(\s*[^,()]+,\s*|ValidationError\(\s*|ValueError\(\s*|DomainError\(\s*"
    r"|add_error\(\s*[^,()]+,\s*|field_errors=\{[^:{}]+:\s*\[)"
    r"(?:_|gettext|gettext_lazy)\(\s*\"((?:[^\"\\]|\\.)*)\"(\s*\))?",
    re.S,
)


def refusal_messages() -> list[tuple[str, str]]:
    found = []
    for path in sorted(ROOT.glob("**/*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for match in REFUSAL.finditer(path.read_text()):
            if match.group(2) is None:  # a text continued on the next line: its end unknown
                found.append((f"{path.relative_to(ROOT)}", match.group(1) + "…"))
            else:
                found.append((f"{path.relative_to(ROOT)}", match.group(1)))
    return found


def test_the_sweep_finds_the_refusals():
    assert len(refusal_messages()) > 100


def test_every_refusal_message_starts_with_a_capital_letter():
    lower = [(where, text) for where, text in refusal_messages() if text[:1].islower()]
    assert lower == []


def test_every_refusal_message_ends_with_a_full_stop():
    unfinished = [
        (where, text)
        for where, text in refusal_messages()
        if not text.endswith("…") and not text.rstrip().endswith((".", "?", "!", "»", ")"))
    ]
    assert unfinished == []


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        (lambda: integer_param({"n": "²"}, "n"), "Нужно целое число, записанное цифрами 0–9."),
        (lambda: integer_param({"n": "0"}, "n", min_value=1), "Не меньше 1."),
        (lambda: integer_param({"n": "5"}, "n", max_value=4), "Не больше 4."),
        (lambda: id_param({"n": "٣"}, "n"), "Нужно целое число, записанное цифрами 0–9."),
        (lambda: choice_param({"n": "pdf"}, "n", ["csv"]), "Возможные значения: csv."),
        (lambda: date_param({"n": "1.1.2026"}, "n"), "Нужна дата в виде ГГГГ-ММ-ДД."),
        (
            lambda: date_param({"n": "0001-01-01"}, "n"),
            "Дата должна быть между 01.01.1990 и 31.12.2100.",
        ),
        (lambda: month_param(QueryDict("n=2026"), "n"), "Нужен месяц в виде ГГГГ-ММ."),
    ],
)
def test_a_parameter_refusal_is_a_sentence_at_its_field_and_after_its_name(read, expected):
    with pytest.raises(InvalidParameter) as refused:
        read()
    assert refused.value.field_errors == {"n": [expected]}
    assert refused.value.message == f"Параметр «n»: {expected}"


def test_the_date_range_message_is_a_sentence():
    from datetime import date

    assert date_range_error(date(1, 1, 1)) == "Дата должна быть между 01.01.1990 и 31.12.2100."
