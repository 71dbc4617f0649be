from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings


class MFAAdapter(DefaultMFAAdapter):
    """Authenticator apps list the code under the installation's brand (DOBRY_SITE_NAME),
    not the host name the request came with."""

    def get_totp_issuer(self) -> str:
        return str(settings.DOBRY_SITE_NAME)
