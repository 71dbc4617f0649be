"""iCalendar (RFC 5545) for events and personal shift feeds, written with `icalendar`.

A shift is one VEVENT whose UID never changes. Calendars that imported or subscribed to
it take a change only when the SEQUENCE grows (RFC 5545 §3.8.7.4, RFC 5546 §2.1.4), so the
services that move a shift, change its place or cancel it raise `Shift.calendar_sequence`
and stamp `Shift.calendar_changed_at`; DTSTAMP and LAST-MODIFIED are that stable moment,
not the time of the download. A cancelled event keeps its VEVENTs with STATUS:CANCELLED.
"""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from django.http import HttpResponse
from icalendar import Calendar
from icalendar import Event as VEvent

from dobry.core.documents import clean_text
from dobry.core.permissions import Actor
from dobry.core.site import absolute_url, uid_domain
from dobry.events.models import Event, Registration, Shift

PRODID = "-//Dobry//Dobry calendar//RU"

# What higher apps add to a person's feed (the deadlines of grant calls their organisation
# follows): filled by the site (`site.hooks`), read by `personal_feed`.
FeedItems = Callable[[Actor], Iterable[VEvent]]
_FEED_PROVIDERS: list[FeedItems] = []


def provide_feed_items(provider: FeedItems) -> None:
    """Add `provider(user) -> VEVENTs` to every personal feed (idempotent)."""
    if provider not in _FEED_PROVIDERS:
        _FEED_PROVIDERS.append(provider)


def feed_items(user: Actor) -> list[VEvent]:
    return [vevent for provider in _FEED_PROVIDERS for vevent in provider(user)]


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _vevent(shift: Shift, domain: str, *, cancelled_for_me: Registration | None = None) -> VEvent:
    event = shift.event
    location = ", ".join(part for part in (event.place, event.address) if part) or event.online_url
    cancelled = event.status == Event.Status.CANCELLED or cancelled_for_me is not None
    changed = shift.calendar_changed_at
    sequence = shift.calendar_sequence
    if cancelled_for_me is not None and cancelled_for_me.cancelled_at:
        # The person's own cancellation is a revision of their copy of the event.
        changed, sequence = max(changed, cancelled_for_me.cancelled_at), sequence + 1
    vevent = VEvent()
    vevent.add("uid", f"shift-{shift.pk}@{domain}")  # never the site's present address
    vevent.add("dtstamp", _utc(changed))
    vevent.add("last-modified", _utc(changed))
    vevent.add("sequence", sequence)
    vevent.add("dtstart", _utc(shift.starts_at))
    vevent.add("dtend", _utc(shift.ends_at))
    vevent.add("summary", clean_text(f"{event.title}: {shift.title}"))
    vevent.add("description", clean_text(event.summary or event.description[:500]))
    if location:
        vevent.add("location", clean_text(location))
    vevent.add("url", absolute_url(event.get_absolute_url()))
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return vevent


def _calendar(name: str, vevents: Iterable[VEvent], extra: Iterable[VEvent] = ()) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", clean_text(name))
    for vevent in [*vevents, *extra]:
        calendar.add_component(vevent)
    return calendar.to_ical()


def shift_events(shifts: Iterable[Shift], name: str) -> bytes:
    """A calendar of `shifts` (with `event` selected), as bytes of text/calendar."""
    domain = uid_domain()
    return _calendar(name, (_vevent(shift, domain) for shift in shifts))


def registration_events(
    registrations: Iterable[Registration], name: str, extra: Iterable[VEvent] = ()
) -> bytes:
    """A person's calendar: their registrations (with `shift__event` selected); the ones
    they cancelled are kept as STATUS:CANCELLED so subscribed calendars drop them."""
    domain = uid_domain()
    return _calendar(
        name,
        (
            _vevent(
                r.shift,
                domain,
                cancelled_for_me=r if r.status == Registration.Status.CANCELLED else None,
            )
            for r in registrations
        ),
        extra,
    )


def ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
