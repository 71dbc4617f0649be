"""What volunteers need to take part (a ramp, a companion), read by the organisers of their
shifts. It is health data (152-ФЗ art. 10): shown only under the volunteer's written
consent, to those `permissions.can_see_accessibility_needs` allows, each read audited."""

from collections.abc import Iterable

from dobry.accounts.models import ConsentDocument, ConsentRecord, User
from dobry.core.audit import log_actions
from dobry.events import permissions
from dobry.events.models import Registration
from dobry.organizations.models import Organization
from dobry.volunteering.models import VolunteerProfile


def accessibility_needs_read(
    *, user: User, registrations: Iterable[Registration]
) -> dict[int, str]:
    """{registration id: needs} for the registrations whose needs `user` may read; one
    audit entry per volunteer whose needs were shown, written in one INSERT. Registrations
    need `shift__event` and `user` loaded; the profiles are read in one query."""
    registrations = list(registrations)
    organizations: dict[int, Organization] = {}
    for registration in registrations:  # one instance per organisation: one membership query
        event = registration.shift.event
        event.organization = organizations.setdefault(event.organization_id, event.organization)
    allowed = [r for r in registrations if permissions.can_see_accessibility_needs(user, r)]
    if not allowed:
        return {}
    user_ids = {r.user_id for r in allowed}
    consented = set(
        ConsentRecord.objects.active()
        .written()
        .filter(user_id__in=user_ids, document__kind=ConsentDocument.Kind.VOLUNTEER_HEALTH)
        .values_list("user_id", flat=True)
    )
    profiles = {
        p.user_id: p
        for p in VolunteerProfile.objects.filter(user_id__in=consented)
        .select_related("user")  # the audit entry names the profile by its person
        .exclude(accessibility_needs=None)
    }
    shown: dict[int, str] = {}
    read: list[tuple[VolunteerProfile, dict[str, int]]] = []
    for registration in allowed:
        profile = profiles.get(registration.user_id)
        if profile is None or not profile.accessibility_needs:
            continue
        shown[registration.pk] = profile.accessibility_needs
        read.append((profile, {"registration": registration.pk}))
    log_actions(actor=user, action="volunteer_profile.accessibility_read", objects=read)
    return shown
