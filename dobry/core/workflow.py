"""Explicit transition tables for workflows (organisation review, registrations, ...)."""

from collections.abc import Mapping

from django.db.models import TextChoices
from django.utils.translation import gettext as _

from dobry.core.errors import InvalidTransition

TransitionTable = Mapping[str, frozenset[str]]


def check_transition(
    table: TransitionTable, states: type[TextChoices], current: str, target: str
) -> None:
    """Raise InvalidTransition unless `table` allows `current` → `target`."""
    if target not in table.get(current, frozenset()):
        raise InvalidTransition(
            _("Нельзя перейти из состояния «%(current)s» в «%(target)s».")
            % {"current": states(current).label, "target": states(target).label}
        )
