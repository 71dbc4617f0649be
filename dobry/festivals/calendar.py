"""The programme in iCalendar (RFC 5545): the whole programme as a file, and the sessions
of a person's «моё расписание» in their personal calendar feed (the events' feed,
`events.calendar.provide_feed_items`, connected by the site).

A session's UID never changes; its SEQUENCE is the programme's published version, so a
calendar that imported it takes each published change; a cancelled session stays with
STATUS:CANCELLED so subscribed calendars drop it."""

from collections.abc import Iterable
from datetime import UTC

from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent

from dobry.core.documents import clean_text
from dobry.core.permissions import Actor
from dobry.core.site import absolute_url, uid_domain
from dobry.events.calendar import PRODID
from dobry.festivals.models import Programme, Selection, Session
from dobry.festivals.selectors import published_sessions


def session_vevent(session: Session, domain: str) -> VEvent:
    """A VEVENT of a session (with `programme__event` and `venue` selected)."""
    programme = session.programme
    changed = programme.updated_at.astimezone(UTC)
    vevent = VEvent()
    vevent.add("uid", f"programme-session-{session.pk}@{domain}")
    vevent.add("dtstamp", changed)
    vevent.add("last-modified", changed)
    vevent.add("sequence", programme.version)
    vevent.add("dtstart", session.starts_at.astimezone(UTC))
    vevent.add("dtend", session.ends_at.astimezone(UTC))
    vevent.add("summary", clean_text(f"{programme.event.title}: {session.title}"))
    vevent.add("description", clean_text(session.description))
    where = ", ".join(part for part in (session.venue.title, programme.event.address) if part)
    vevent.add("location", clean_text(where))
    vevent.add("url", absolute_url(programme.get_absolute_url()))
    cancelled = session.status == Session.Status.CANCELLED
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return vevent


def programme_ics(programme: Programme, sessions: Iterable[Session]) -> bytes:
    """The programme's sessions as a calendar file (bytes of text/calendar)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", clean_text(programme.event.title))
    domain = uid_domain()
    for session in sessions:
        calendar.add_component(session_vevent(session, domain))
    return calendar.to_ical()


def selected_sessions(user: Actor) -> list[VEvent]:
    """The sessions of `user`'s «моё расписание» in published programmes, as their last
    published version shows them, for the personal feed."""
    if not user.is_authenticated or user.pk is None:
        return []
    chosen = Selection.objects.filter(user_id=user.pk, session__programme__version__gt=0)
    programmes = Programme.objects.filter(
        pk__in=chosen.values("session__programme_id")
    ).select_related("event")
    ids = set(chosen.values_list("session_id", flat=True))
    domain = uid_domain()
    sessions = [s for p in programmes for s in published_sessions(p, ids=ids)]
    sessions.sort(key=lambda s: (s.starts_at, s.pk))
    return [session_vevent(session, domain) for session in sessions]


def my_calendar_name() -> str:
    return _("Моё расписание")
