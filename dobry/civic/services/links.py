"""The kinds of object an initiative may be linked to (what came of it)."""

from dobry.core import references

# Registered by `dobry.site` (site/references.py); an initiative links to these only.
LINK_KINDS = ("project_group", "consultation", "grant_application", "event", "campaign", "news")


def link_kind_choices() -> list[tuple[str, str]]:
    registered = set(references.kinds())
    return [(kind, references.kind_label(kind)) for kind in LINK_KINDS if kind in registered]
