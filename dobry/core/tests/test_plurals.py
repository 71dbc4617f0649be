"""A count shown with a noun agrees with it (issue 11 §6: «1 предложений», «2 человек»).

Russian is the source language, so the source text has only two forms; the three Russian
forms (1 / 2–4 / 5–20, and fractions) live in the Russian catalogue
(`locale/ru/LC_MESSAGES/django.po`), which translates only the plural entries."""

import ast
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.translation import ngettext

from dobry.core.tests.test_translations import read_po

ROOT = Path(__file__).resolve().parents[3]
RU_PO = ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"
COUNTS = (1, 2, 5, 11, 21)
# Which of the four Russian forms each count takes: 1 and 21 the first, 2 the second, 5 and
# 11 the third.
RUSSIAN_FORM = {1: 0, 2: 1, 5: 2, 11: 2, 21: 0}


STRING = r'"(?:[^"\\]|\\.)*"'


def _field(block: str, name: str) -> str:
    match = re.search(rf"^{re.escape(name)} ((?:{STRING}\n?)+)", block, re.M)
    assert match, (name, block)
    return "".join(ast.literal_eval(part) for part in re.findall(STRING, match[1]))


def _plural_entries() -> dict[str, list[str]]:
    """msgid → [msgid_plural, form 0, form 1, form 2, form 3] of the Russian catalogue."""
    return {
        _field(block, "msgid"): [
            _field(block, "msgid_plural"),
            *(_field(block, f"msgstr[{n}]") for n in range(4)),
        ]
        for block in RU_PO.read_text(encoding="utf-8").split("\n\n")
        if "\nmsgid_plural " in block
    }


def test_every_plural_entry_has_its_four_russian_forms():
    entries = read_po(RU_PO)
    plurals = {k: v for k, v in entries.items() if len(v["msgstr"]) > 1}
    assert len(plurals) >= 20
    incomplete = [k for k, v in plurals.items() if len(v["msgstr"]) != 4 or not all(v["msgstr"])]
    assert incomplete == [], incomplete[:5]
    assert [k for k, v in plurals.items() if v["fuzzy"]] == []
    # The Russian catalogue carries plural forms only: singular text is the source itself.
    # (msgmerge may mark a new singular entry fuzzy with a guess; fuzzy entries are not
    # compiled, so they change nothing.)
    assert [
        k for k, v in entries.items() if len(v["msgstr"]) == 1 and v["msgstr"][0] and not v["fuzzy"]
    ] == []


@pytest.mark.parametrize("count", COUNTS)
def test_each_plural_entry_takes_the_russian_form_of_the_count(count):
    wrong = []
    with translation.override("ru"):
        for msgid, (plural, *forms) in _plural_entries().items():
            got = ngettext(msgid, plural, count)
            if got != forms[RUSSIAN_FORM[count]]:
                wrong.append((msgid, got))
    assert wrong == []


@pytest.mark.parametrize(
    ("count", "russian", "english"),
    [
        (1, "до 1 человека", "up to 1 person"),
        (2, "до 2 человек", "up to 2 people"),
        (5, "до 5 человек", "up to 5 people"),
        (11, "до 11 человек", "up to 11 people"),
        (21, "до 21 человека", "up to 21 people"),
    ],
)
@pytest.mark.django_db
def test_a_room_shows_its_capacity_in_the_right_form(client, count, russian, english):
    from dobry.resources.tests.factories import RoomFactory

    room = RoomFactory(capacity=count)
    assert russian in client.get(f"/desk/rooms/{room.pk}/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert english in client.get(f"/desk/rooms/{room.pk}/").content.decode()


@pytest.mark.parametrize(
    ("count", "label"),
    [
        (1, "предложение без ответа"),
        (2, "предложения без ответа"),
        (5, "предложений без ответа"),
        (11, "предложений без ответа"),
        (21, "предложение без ответа"),
    ],
)
@pytest.mark.django_db
def test_the_help_dashboard_counts_unanswered_offers_in_the_right_form(
    login_as, coordinator, resident, count, label
):
    from dobry.helprequests.models import HelpOffer
    from dobry.helprequests.tests.factories import HelpRequestFactory

    HelpOffer.objects.bulk_create(
        HelpOffer(
            request=help_request,
            volunteer=resident,
            status=HelpOffer.Status.OFFERED,
            expires_at=timezone.now() + timedelta(hours=6),
        )
        for help_request in HelpRequestFactory.create_batch(count)
    )
    body = login_as(coordinator).get("/help/dashboard/").content.decode()
    assert f'<div class="value">{count}</div>{label}</div>' in body


@pytest.mark.parametrize(
    ("age", "reason"),
    [(18, "с 18 лет"), (14, "с 14 лет"), (21, "с 21 года"), (1, "с 1 года"), (2, "с 2 лет")],
)
def test_the_age_rule_names_the_age_in_the_right_form(age, reason):
    with translation.override("ru"):
        text = ngettext(
            "На эту смену записывают с %(age)s года.", "На эту смену записывают с %(age)s лет.", age
        ) % {"age": age}
    assert text == f"На эту смену записывают {reason}."


# A count followed by one of these words needs no agreement: «3 из 10», «2 ч», «в 2026 году».
WORDS_AFTER_ANY_NUMBER = {
    "из", "до", "от", "по", "за", "чел", "и", "или", "ч", "мин", "мес", "год", "года", "году", "годами", "квартал",
}  # fmt: skip
# Placeholders that hold a name or a label, never a count: the word after them is free.
NOT_COUNTS = {
    "name", "title", "organization", "competition", "proposer", "inviter", "room", "summary",
    "programme", "kind", "current", "code", "indicator", "number", "version", "when", "first",
    "last", "site", "opens", "open", "day",
}  # fmt: skip
BLOCK = re.compile(
    r"\{% blocktranslate(?P<args>[^%]*)%\}(?P<body>.*?)\{% endblocktranslate %\}", re.S
)
TEMPLATE_COUNT = re.compile(r"\{\{ (\w+) \}\} ([а-яё]+)")
PYTHON_COUNT = re.compile(r"%\((\w+)\)s ([а-яё]+)")
GETTEXT = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy"}


def _needs_plural(variable: str, word: str) -> bool:
    return variable not in NOT_COUNTS and word not in WORDS_AFTER_ANY_NUMBER


def _template_offenders() -> list[str]:
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix not in {".html", ".txt"}:
            continue
        for block in BLOCK.finditer(path.read_text(encoding="utf-8")):
            if re.search(r"\bcount\b", block["args"]):
                continue
            for variable, word in TEMPLATE_COUNT.findall(block["body"]):
                if _needs_plural(variable, word):
                    offenders.append(f"{path.relative_to(ROOT)}: {{{{ {variable} }}}} {word}")
    return offenders


def _gettext_literals(path: Path) -> list[str]:
    literals = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        name = getattr(node, "func", None)
        name = getattr(name, "id", getattr(name, "attr", ""))
        if isinstance(node, ast.Call) and name in GETTEXT:
            literals += [
                arg.value
                for arg in node.args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            ]
    return literals


def _python_offenders() -> list[str]:
    offenders = []
    for path in sorted((ROOT / "dobry").rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for text in _gettext_literals(path):
            for variable, word in PYTHON_COUNT.findall(text):
                if _needs_plural(variable, word):
                    offenders.append(f"{path.relative_to(ROOT)}: %({variable})s {word}")
    return offenders


def test_no_count_is_followed_by_a_noun_outside_a_plural_form():
    """Templates: a number followed by a noun is a `{% blocktranslate count %}`; Python: an
    `ngettext`. (A count can also go after a colon: «Мест: {{ n }}».)"""
    assert _template_offenders() == []
    assert _python_offenders() == []
