"""Where a lower app's hook meets the higher app that acts on it (see `dobry.core.hooks`)."""

from dobry.accounts.services import CONSENT_CODE_ISSUED, CONSENT_CODE_USED, CONSENT_WITHDRAWN
from dobry.communications.services import consent_code_email, consent_code_redact
from dobry.communications.unsubscribe import suppression_for_withdrawn_consent
from dobry.events import selectors as event_selectors
from dobry.events.services.attendance import TRAINING_ATTENDED
from dobry.helprequests import selectors as help_selectors
from dobry.helprequests.figures import provide_helped_residents
from dobry.organizations.sections import register_section
from dobry.reports import indicators, periods
from dobry.resources.services import support_record_for_training


def connect_hooks() -> None:
    """Connect every hook of the site to its receivers (idempotent; run at start-up)."""
    TRAINING_ATTENDED.connect(support_record_for_training)
    CONSENT_CODE_ISSUED.connect(consent_code_email)
    CONSENT_CODE_USED.connect(consent_code_redact)
    CONSENT_WITHDRAWN.connect(suppression_for_withdrawn_consent)
    provide_helped_residents(_helped_residents)
    # an organisation's page: its events, then its programmes of help
    register_section(event_selectors.organization_section)
    register_section(help_selectors.organization_section)


def _helped_residents(year: int) -> int:
    """The help desk's «residents helped» is the reports' indicator (one definition)."""
    return int(indicators.helped_residents(periods.year(year)).value)
