"""What the communications' audit entries mean: each sub-domain registers its own."""

from dobry.communications.mailings import audit_actions as _mailings  # noqa: F401
