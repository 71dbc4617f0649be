"""Who a segment reaches: accounts with the consent to mailings and confirmed imported
contacts, narrowed by role, organisation kind, areas, district and recent activity. Each
address once; the size is one COUNT query."""

from datetime import datetime, timedelta

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from dobry.accounts.models import User
from dobry.communications.mailings.policy import newsletter_consent
from dobry.communications.models import MailingContact, Segment

R = Segment.Role
ACCOUNT_ROLES = {
    R.COORDINATOR: Q(is_coordinator=True),
    R.OFFICIAL: Q(is_official=True),
    R.EXPERT: Q(is_expert=True),
}


def _model(label: str, name: str):  # type: ignore[no-untyped-def]
    # The apps above communications (organisations, volunteering, help requests) are
    # reached through the registry, never imported: communications sits below them.
    return apps.get_model(label, name)


def _district_ids(segment: Segment) -> list[int]:
    """The segment's districts, read once per segment object."""
    if not hasattr(segment, "_district_ids"):
        segment._district_ids = list(  # type: ignore[attr-defined]
            segment.districts.values_list("pk", flat=True)
        )
    return segment._district_ids  # type: ignore[attr-defined]


def segment_accounts(segment: Segment) -> QuerySet[User]:
    """The accounts of the segment: active, not erased, with the consent to mailings."""
    roles = set(segment.roles)
    if roles == {R.CONTACT}:
        return User.objects.none()
    users = User.objects.filter(is_active=True, erased_at__isnull=True).filter(newsletter_consent())
    if roles:
        users = users.filter(_in_roles(roles))
    if segment.organization_kinds:
        users = users.filter(
            Exists(
                _model("organizations", "Membership").objects.filter(
                    user=OuterRef("pk"), organization__kind__in=segment.organization_kinds
                )
            )
        )
    if segment.areas:
        users = users.filter(_in_areas(segment.areas))
    district_ids = _district_ids(segment)
    if district_ids:
        profile = _model("volunteering", "VolunteerProfile")
        users = users.filter(
            Exists(profile.objects.filter(user=OuterRef("pk"), districts__in=district_ids))
        )
    if segment.active_months:
        users = users.filter(
            _active_since(timezone.now() - timedelta(days=30 * segment.active_months))
        )
    return users


def _in_roles(roles: set[str]) -> Q:
    """Any of the roles: a flag on the account, a volunteer profile, a membership."""
    role_q = Q(pk__in=[])
    for role, condition in ACCOUNT_ROLES.items():
        if role in roles:
            role_q |= condition
    if R.VOLUNTEER in roles:
        role_q |= Q(
            Exists(_model("volunteering", "VolunteerProfile").objects.filter(user=OuterRef("pk")))
        )
    if R.ORGANIZATION_MEMBER in roles:
        role_q |= Q(
            Exists(_model("organizations", "Membership").objects.filter(user=OuterRef("pk")))
        )
    return role_q


def _in_areas(areas: list[str]) -> Q:
    """A volunteer interested in one of the areas, or a member of an organisation in one."""
    interested = Q(pk__in=[])
    for area in areas:
        interested |= Q(interests__icontains=f'"{area}"')
    profile = _model("volunteering", "VolunteerProfile")
    return Exists(profile.objects.filter(interested, user=OuterRef("pk"))) | Exists(
        _model("organizations", "Membership").objects.filter(
            user=OuterRef("pk"), organization__area_links__area__in=areas
        )
    )


def _active_since(since: datetime) -> Q:
    """Joined, entered hours or offered help since then."""
    return (
        Q(date_joined__gte=since)
        | Exists(
            _model("volunteering", "HoursEntry").objects.filter(
                user=OuterRef("pk"), created_at__gte=since
            )
        )
        | Exists(
            _model("helprequests", "HelpOffer").objects.filter(
                volunteer=OuterRef("pk"), created_at__gte=since
            )
        )
    )


def segment_contacts(segment: Segment) -> QuerySet[MailingContact]:
    """The imported contacts of the segment: only those who confirmed their address. A
    segment by organisation kind or by activity on the platform has none (a contact has
    neither); roles other than «contacts» leave them out."""
    contacts = MailingContact.objects.filter(confirmed_at__isnull=False)
    roles = set(segment.roles)
    if (roles and R.CONTACT not in roles) or segment.organization_kinds or segment.active_months:
        return contacts.none()
    if segment.areas:
        interested = Q(pk__in=[])
        for area in segment.areas:
            interested |= Q(interests__icontains=f'"{area}"')
        contacts = contacts.filter(interested)
    district_ids = _district_ids(segment)
    if district_ids:
        contacts = contacts.filter(district_id__in=district_ids)
    return contacts


def segment_size(segment: Segment) -> int:
    """How many addresses the segment reaches now, each once: one COUNT over the UNION of
    the accounts' and the contacts' addresses (plus the read of its districts)."""
    accounts = segment_accounts(segment).order_by().values("email")
    contacts = segment_contacts(segment).order_by().values("email")
    return accounts.union(contacts).count()
