"""Texts about a person whose grammatical gender the platform does not know are worded
without one (issue 11 §6: «Наталья Соколова … свободен от других задач»). «готов(а)»
and the like are the lazy form of the same fault: present tense or a noun instead."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BRACKETED_ENDING = re.compile(r"[а-яё]\((а|ла|ась|ось|на|ен|ён)\)", re.IGNORECASE)
# The consent texts are the person's own words in the first person («я записался(ась)»),
# signed by them: the legal form keeps both endings.
FIRST_PERSON = {"dobry/accounts/consent_texts.py"}


def _texts():
    for path in [*ROOT.glob("templates/**/*"), *ROOT.glob("dobry/**/*.py")]:
        relative = path.relative_to(ROOT).as_posix()
        if not path.is_file() or "/tests/" in relative or "/migrations/" in relative:
            continue
        if relative in FIRST_PERSON or path.suffix not in (".html", ".txt", ".py"):
            continue
        yield relative, path.read_text(encoding="utf-8")


def test_no_text_guesses_a_persons_gender_with_bracketed_endings():
    found = [
        f"{relative}: {match.group(0)}"
        for relative, text in _texts()
        for match in BRACKETED_ENDING.finditer(text)
    ]
    assert not found, found


def test_the_checkin_buttons_and_candidate_reasons_have_no_gender():
    checkin = (ROOT / "templates/events/checkin.html").read_text(encoding="utf-8")
    assert "Пришёл" not in checkin
    assert "Ушёл" not in checkin
    matching = (ROOT / "dobry/helprequests/matching.py").read_text(encoding="utf-8")
    for gendered in ("свободен", "помогал этому", "совершеннолетний"):
        assert gendered not in matching
