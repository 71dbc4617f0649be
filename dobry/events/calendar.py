"""iCalendar (RFC 5545) for events and personal shift feeds."""

from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpResponse

from dobry.events.models import Shift


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded with CRLF + space, never inside a character."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def shift_events(shifts: Iterable[Shift], name: str) -> str:
    site = settings.DOBRY_SITE_URL.rstrip("/")
    now = _stamp(datetime.now(UTC))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Dobry//Dobry calendar//RU",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for shift in shifts:
        event = shift.event
        location = (
            ", ".join(part for part in (event.place, event.address) if part) or event.online_url
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:shift-{shift.pk}@{settings.DOBRY_SITE_URL.split('//')[-1].strip('/')}",
            f"DTSTAMP:{now}",
            f"DTSTART:{_stamp(shift.starts_at)}",
            f"DTEND:{_stamp(shift.ends_at)}",
            f"SUMMARY:{_escape(f'{event.title}: {shift.title}')}",
            f"DESCRIPTION:{_escape(event.summary or event.description[:500])}",
            f"LOCATION:{_escape(location)}",
            f"URL:{site}{event.get_absolute_url()}",
            "STATUS:" + ("CANCELLED" if event.status == event.Status.CANCELLED else "CONFIRMED"),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def ics_response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
