"""Where a lower app's hook meets the higher app that acts on it (see `dobry.core.hooks`)."""

from dobry.events.services.attendance import TRAINING_ATTENDED
from dobry.resources.services import support_record_for_training


def connect_hooks() -> None:
    """Connect every hook of the site to its receivers (idempotent; run at start-up)."""
    TRAINING_ATTENDED.connect(support_record_for_training)
