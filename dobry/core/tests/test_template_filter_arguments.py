"""Filter arguments in templates never reach through a relation.

Django forgives a missing variable in `{{ a.b.c }}` but not in a filter's argument:
`{{ x|default:a.b.c }}` raises `VariableDoesNotExist` (a 500) when `a.b` is None, as it is
for a consultation recorded in person (no asker). A model property gives the display value.
"""

import re
from pathlib import Path

from django.conf import settings

# `|filter:first.second.third` — a variable argument with two or more lookups.
DEEP_ARGUMENT = re.compile(r"\|\w+:([A-Za-z_]\w*(?:\.\w+){2,})")


def _templates() -> list[Path]:
    roots = [Path(settings.BASE_DIR) / "templates", Path(settings.BASE_DIR) / "dobry"]
    return [path for root in roots for path in root.rglob("*.html")]


def test_the_sweep_finds_templates():
    assert len(_templates()) > 50


def test_the_pattern_catches_a_deep_argument_and_spares_a_shallow_one():
    assert DEEP_ARGUMENT.search("{{ c.organization|default:c.asker.display_name }}")
    assert not DEEP_ARGUMENT.search('{{ c.organization|default:c.who }}{{ d|date:"d.m.Y" }}')


def test_no_filter_argument_reaches_through_a_relation():
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(1)}"
        for path in _templates()
        for match in DEEP_ARGUMENT.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
