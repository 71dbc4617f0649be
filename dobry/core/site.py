"""The site's own address, for links that leave the browser: emails, calendar feeds, the
personal feed address. Pages use relative links; anything read outside the site (a mail
client, a calendar app) needs the absolute one, and it comes only from here.

``settings.DOBRY_SITE_URL`` is an origin such as ``https://dobry.example.org`` (read by
``dobry.env.env_url``; in development it defaults to ``http://127.0.0.1:$PORT``). The
request's own host is not used: a background task has no request, and a link must not
depend on the ``Host`` header someone sent.
"""

from django.conf import settings


def absolute_url(path: str) -> str:
    """``/events/my/`` → ``https://dobry.example.org/events/my/``. Raises ValueError for a
    path that does not start with ``/`` (a relative path would glue onto the host)."""
    if not path.startswith("/"):
        raise ValueError(f"absolute_url() needs a path starting with '/', got {path!r}")
    return f"{site_origin()}{path}"


def site_origin() -> str:
    """The configured origin without a trailing slash: ``https://dobry.example.org``."""
    return str(settings.DOBRY_SITE_URL).rstrip("/")


def site_host() -> str:
    """The host (and port, if any) of the site: ``dobry.example.org``."""
    return site_origin().split("://", 1)[1]


def uid_domain() -> str:
    """The domain on the right of ``@`` in calendar UIDs (RFC 5545 §3.8.4.7) and feed item
    ids: ``DOBRY_UID_DOMAIN``, else the one stored at the first `migrate`
    (`core.Installation`). Never the present address: ids that change with it make every
    calendar and feed reader show each event and item twice."""
    from dobry.core.models import Installation

    if settings.DOBRY_UID_DOMAIN:
        return str(settings.DOBRY_UID_DOMAIN)
    stored = Installation.objects.values_list("uid_domain", flat=True).first()
    return stored or site_host().rsplit(":", 1)[0]
