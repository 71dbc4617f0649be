"""The kinds of object that one app may reference in another (`dobry.core.references`):
each with its model, its title and page for people, and who may see it — the owning app's
permission function in its list form. A new kind is registered here, by the site, so no
app has to import the app that owns the object it links to."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dobry.charity import permissions as charity_permissions
from dobry.charity.models import Campaign
from dobry.civic import permissions as civic_permissions
from dobry.civic.models import Initiative
from dobry.communications import permissions as communications_permissions
from dobry.communications.models import NewsItem
from dobry.core import references
from dobry.core.dates import day_text, moment_text
from dobry.core.typography import quoted
from dobry.events import permissions as event_permissions
from dobry.events.models import Event, Registration
from dobry.grants import permissions as grant_permissions
from dobry.grants.models import Application, Competition
from dobry.helprequests import permissions as help_permissions
from dobry.helprequests.models import HelpRequest
from dobry.organizations import permissions as organization_permissions
from dobry.organizations.models import Organization
from dobry.resources import groups as resource_groups
from dobry.resources import permissions as resource_permissions
from dobry.resources.models import Consultation, ProjectGroup, RoomBooking


def _registration_title(registration: Registration) -> str:
    """What a reference to someone's registration shows: the event and its day, never
    the person."""
    return _("%(event)s, %(day)s") % {
        "event": registration.shift.event.title,
        "day": day_text(registration.shift.starts_at),
    }


def _help_request_title(help_request: HelpRequest) -> str:
    """The request's short public summary (never the recipient's name or address)."""
    return _("Просьба %(summary)s") % {"summary": quoted(help_request.summary)}


def _consultation_title(consultation: Consultation) -> str:
    return _("Консультация %(subject)s") % {"subject": quoted(consultation.subject)}


def _booking_title(booking: RoomBooking) -> str:
    return _("Бронь: %(room)s, %(when)s") % {
        "room": quoted(booking.room.name),
        "when": moment_text(booking.starts_at),
    }


def _application_title(application: Application) -> str:
    title = quoted(application.title) if application.title else ""
    if application.number:
        return _("Заявка № %(number)s %(title)s") % {
            "number": application.number,
            "title": title,
        }
    return _("Заявка %(title)s") % {"title": title}


# Every kind, by name: the keywords of `references.register` (model, label for people, title
# and page of one object, who may see it — the owning app's permission in its list form).
KINDS: dict[str, dict[str, Any]] = {
    "organization": {
        "model": Organization,
        "label": gettext_lazy("организация"),
        "title": str,
        "visible": organization_permissions.visible_organizations,
    },
    "event": {
        "model": Event,
        "label": gettext_lazy("мероприятие"),
        "title": lambda event: event.title,
        "visible": event_permissions.visible_events,
    },
    "registration": {
        "model": Registration,
        "label": gettext_lazy("участие в мероприятии"),
        "title": _registration_title,
        "url": lambda registration: registration.shift.event.get_absolute_url(),
        "visible": event_permissions.visible_registrations,
        "select_related": ("shift__event",),
    },
    "help_request": {
        "model": HelpRequest,
        "label": gettext_lazy("просьба о помощи"),
        "title": _help_request_title,
        "visible": help_permissions.visible_requests,
    },
    "consultation": {
        "model": Consultation,
        "label": gettext_lazy("консультация"),
        "title": _consultation_title,
        "visible": resource_permissions.visible_consultations,
    },
    "room_booking": {
        "model": RoomBooking,
        "label": gettext_lazy("бронь помещения"),
        "title": _booking_title,
        "url": lambda booking: booking.room.get_absolute_url(),
        "visible": resource_permissions.visible_bookings,
        "select_related": ("room",),
    },
    "grant_application": {
        "model": Application,
        "label": gettext_lazy("заявка на грант"),
        "title": _application_title,
        "visible": grant_permissions.visible_applications,
    },
    "competition": {
        "model": Competition,
        "label": gettext_lazy("конкурс"),
        "title": lambda competition: competition.title,
        "visible": grant_permissions.visible_competitions,
    },
    "campaign": {
        "model": Campaign,
        "label": gettext_lazy("сбор"),
        "title": lambda campaign: campaign.title,
        "visible": charity_permissions.visible_campaigns,
    },
    "project_group": {
        "model": ProjectGroup,
        "label": gettext_lazy("проектная группа"),
        "title": lambda group: group.title,
        "visible": resource_groups.visible_groups,
    },
    "initiative": {
        "model": Initiative,
        "label": gettext_lazy("городская инициатива"),
        "title": lambda initiative: initiative.title,
        "visible": civic_permissions.visible_initiatives,
    },
    "news": {
        "model": NewsItem,
        "label": gettext_lazy("новость"),
        "title": lambda item: item.title,
        "visible": communications_permissions.visible_news,
    },
}


def register_references() -> None:
    """Register every kind that may be referenced (idempotent; run at start-up)."""
    for kind, spec in KINDS.items():
        references.register(kind, **spec)
