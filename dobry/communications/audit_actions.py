"""What the communications' audit entries mean: each sub-domain registers its own."""

from dobry.communications import suppression_audit_actions as _suppression  # noqa: F401
from dobry.communications import telegram_audit_actions as _telegram  # noqa: F401
from dobry.communications.mailings import audit_actions as _mailings  # noqa: F401
from dobry.communications.news import audit_actions as _news  # noqa: F401
