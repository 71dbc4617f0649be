"""The English catalogue is complete: every UI string in the code has a translation, and
the compiled .mo matches the .po. The Russian catalogue holds every plural entry of the code
(its forms are checked in test_plurals.py)."""

import ast
import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
RU_PO = ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
STRING = r'"(?:[^"\\]|\\.)*"'


def read_po(path: Path) -> dict[str, dict]:
    """msgid → {"msgstr": [...], "fuzzy": bool}; a small reader, enough for our catalogue."""
    entries: dict[str, dict] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in block.splitlines())
        msgid_match = re.search(rf"^msgid ((?:{STRING}\n?)+)", block, re.M)
        if not msgid_match:
            continue
        msgid = "".join(ast.literal_eval(part) for part in re.findall(STRING, msgid_match[1]))
        if not msgid:
            continue
        strs = [
            "".join(ast.literal_eval(part) for part in re.findall(STRING, body))
            for body in re.findall(rf"^msgstr(?:\[\d\])? ((?:{STRING}\n?)+)", block, re.M)
        ]
        entries[msgid] = {"msgstr": strs, "fuzzy": fuzzy}
    return entries


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = read_po(PO)
    assert len(entries) > 300
    untranslated = [msgid for msgid, e in entries.items() if not all(e["msgstr"])]
    fuzzy = [msgid for msgid, e in entries.items() if e["fuzzy"]]
    assert untranslated == [], untranslated[:10]
    assert fuzzy == [], fuzzy[:10]


def test_compiled_catalogue_matches_the_po_file():
    with MO.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for msgid, entry in read_po(PO).items():
        if len(entry["msgstr"]) == 1:
            assert catalogue.gettext(msgid) == entry["msgstr"][0], msgid


@pytest.mark.skipif(not shutil.which("xgettext"), reason="xgettext (gettext) is not installed")
def test_catalogue_holds_every_string_of_the_current_code(tmp_path):
    for name in ("dobry", "templates", "locale"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "en",
            "-l",
            "ru",
            "--no-obsolete",
            "-v0",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    fresh = read_po(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")
    missing = sorted(set(fresh) - set(read_po(PO)))
    assert missing == [], f"run `make messages` and translate: {missing[:10]}"
    fresh_plurals = {
        msgid
        for msgid, entry in read_po(
            tmp_path / "locale" / "ru" / "LC_MESSAGES" / "django.po"
        ).items()
        if len(entry["msgstr"]) > 1
    }
    russian = read_po(RU_PO)
    missing_forms = sorted(
        m for m in fresh_plurals if not all(russian.get(m, {}).get("msgstr", [""]))
    )
    assert missing_forms == [], (
        f"run `make messages` and fill the Russian forms: {missing_forms[:10]}"
    )
