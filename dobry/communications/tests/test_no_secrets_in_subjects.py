"""A code, a token or a link never goes in an email's subject (issue 11 §6): subjects show
on locked screens, in notification previews and in mail lists. Every subject template —
the platform's notifications and django-allauth's mail — is read for such variables; the
consent-signing code is checked in `test_notify_rules.py`."""

import re
from pathlib import Path

import allauth
from django.conf import settings

SECRET = re.compile(r"\{\{[^}]*\b(code|token|key|password|secret|\w*_url|url)\b[^}]*\}\}")


def subject_templates() -> list[Path]:
    ours = Path(settings.BASE_DIR) / "templates"
    theirs = Path(allauth.__file__).parent / "templates"
    return sorted(
        [*ours.rglob("subject.txt"), *ours.rglob("*_subject.txt"), *theirs.rglob("*_subject.txt")]
    )


def test_no_subject_template_shows_a_code_a_token_or_a_link():
    templates = subject_templates()
    assert len(templates) > 40
    leaking = [str(path) for path in templates if SECRET.search(path.read_text(encoding="utf-8"))]
    assert leaking == []
