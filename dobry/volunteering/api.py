"""The volunteering API: the volunteer's own profile, an organisation's queue of hours
and its decisions on them.

Each operation is a page's action (`volunteering/views.py`) through the same permission
function, selector and service."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from dobry.accounts.auth import api_user
from dobry.api.fields import (
    Amount,
    HistoricalDay,
    Pages,
    districts_by_slug,
    sent_fields,
)
from dobry.api.references import ReferenceOut, reference_out
from dobry.core import references
from dobry.core.client_ip import client_ip
from dobry.core.input_schema import InputSchema
from dobry.core.models import District
from dobry.core.text_limits import text_limit
from dobry.organizations.areas import Area
from dobry.organizations.permissions import get_organization_for_user
from dobry.volunteering import permissions, selectors
from dobry.volunteering.models import (
    AVAILABILITY_DAYS,
    AVAILABILITY_PARTS,
    AVAILABILITY_SLOTS,
    HoursEntry,
    VolunteerProfile,
)
from dobry.volunteering.services import hours as hours_services
from dobry.volunteering.services import profiles as profile_services

router = Router(tags=["volunteering"])


# --- the volunteer profile ----------------------------------------------------------------

AvailabilitySlot = Annotated[
    str,
    Field(
        pattern=f"^({'|'.join(AVAILABILITY_DAYS)})-({'|'.join(AVAILABILITY_PARTS)})$",
        description="a cell of the week: mon…sun, then morning, day or evening",
    ),
]
DistrictSlug = Annotated[str, Field(max_length=text_limit(District, "slug"))]


class VolunteerProfileOut(Schema):
    """The profile without the accessibility needs: they are health data, answered only by
    `GET /me/volunteer-profile/accessibility-needs`."""

    saved: bool = Field(
        description="false until the profile is first saved: «Подходит мне» "
        "(`GET /me/recommendations`) has nothing to match without one"
    )
    date_of_birth: date | None
    skills: str
    interests: list[str] = Field(description="areas of activity (`Area` codes)")
    districts: list[str] = Field(description="district slugs")
    availability: list[str] = Field(description="cells of the week, as «sat-morning»")
    languages: str
    woman: bool
    emergency_contact: str
    public_profile: bool
    weekly_digest: bool
    has_parental_consent: bool

    @staticmethod
    def resolve_saved(profile: VolunteerProfile) -> bool:
        return profile.pk is not None

    @staticmethod
    def resolve_districts(profile: VolunteerProfile) -> list[str]:
        # a profile not saved yet (`selectors.profile_of`) has no districts to ask for
        return [district.slug for district in profile.districts.all()] if profile.pk else []


class AccessibilityNeedsOut(Schema):
    accessibility_needs: str = Field(
        description='what the volunteer needs to take part; health data, "" when none'
    )


class VolunteerProfilePatch(InputSchema):
    """Only the fields sent change; `date_of_birth` may be null (forgotten), no other."""

    date_of_birth: HistoricalDay | None = None
    skills: str | None = Field(None, max_length=text_limit(VolunteerProfile, "skills"))
    interests: list[Area] | None = Field(None, max_length=len(Area.values))
    districts: list[DistrictSlug] | None = Field(None, max_length=100)
    availability: list[AvailabilitySlot] | None = Field(None, max_length=len(AVAILABILITY_SLOTS))
    languages: str | None = Field(None, max_length=text_limit(VolunteerProfile, "languages"))
    woman: bool | None = None
    emergency_contact: str | None = Field(
        None, max_length=text_limit(VolunteerProfile, "emergency_contact")
    )
    accessibility_needs: str | None = Field(
        None,
        max_length=text_limit(VolunteerProfile, "accessibility_needs"),
        description=(
            "health data: accepted only under the written consent «volunteer_health»; "
            "not echoed in the answer (read it from /me/volunteer-profile/accessibility-needs)"
        ),
    )
    public_profile: bool | None = Field(
        None,
        description="true publishes the profile — with `consent_to_publication: true` when "
        "the consent to publication (its current text, /consents/public_profile/) is not "
        "given yet, and for a volunteer under 18 only once a parent's consent is recorded; "
        "false withdraws the consent",
    )
    consent_to_publication: bool = Field(
        False,
        description="true: the caller gives the consent to publication, as the profile "
        "page's tick beside its text; never implied by `public_profile`",
    )
    weekly_digest: bool | None = None


@router.get(
    "/me/volunteer-profile",
    response=VolunteerProfileOut,
    summary="My volunteer profile (blank until first saved)",
)
def my_volunteer_profile(request: HttpRequest) -> VolunteerProfile:
    """The profile page's values (`selectors.profile_of`): reading never creates one. The
    accessibility needs (health data) are not among them: a token that reads the profile
    to match shifts never carries them; see `GET /me/volunteer-profile/accessibility-needs`."""
    return selectors.profile_of(api_user(request))


@router.get(
    "/me/volunteer-profile/accessibility-needs",
    response=AccessibilityNeedsOut,
    summary="What I need to take part (health data, kept apart from the profile; one's own "
    "data: no audit entry)",
)
def my_accessibility_needs(request: HttpRequest) -> dict[str, str]:
    """The one operation that answers the caller's own accessibility needs
    (`profiles.accessibility_needs_read_own`), unaudited as on the profile page."""
    return {
        "accessibility_needs": profile_services.accessibility_needs_read_own(user=api_user(request))
    }


@router.patch(
    "/me/volunteer-profile",
    response=VolunteerProfileOut,
    summary="Change my volunteer profile: interests, districts, free time, skills…",
)
def my_volunteer_profile_update(
    request: HttpRequest, payload: VolunteerProfilePatch
) -> VolunteerProfile:
    """The profile page's service (`profiles.volunteer_profile_update`), one transaction:
    a refusal (a date of birth ahead or over 110 years back, an unknown area, cell or
    district, health needs without the written consent) is a 422 naming the field, and
    nothing is saved."""
    user = api_user(request)
    fields = sent_fields(payload, nullable={"date_of_birth"})
    districts = fields.pop("districts", None)
    profile_services.volunteer_profile_update(
        user=user,
        fields={name: fields[name] for name in profile_services.PROFILE_FIELDS if name in fields},
        districts=None if districts is None else districts_by_slug(districts),
        accessibility_needs=fields.get("accessibility_needs"),
        public=fields.get("public_profile"),
        public_consent=payload.consent_to_publication,
        ip_address=client_ip(request),
    )
    return selectors.profile_of(user)


# --- the organisation's hours ---------------------------------------------------------------


class HoursEntryOut(Schema):
    id: int
    volunteer: str
    organization_id: int
    date: date
    hours: Decimal
    claimed_hours: Decimal
    area: str
    description: str
    source: HoursEntry.Source
    status: HoursEntry.Status
    event_id: int | None = None
    event: str | None = Field(None, description="the event of the shift the hours are from")
    origin: ReferenceOut | None = Field(
        None,
        description="what the hours were given for (a help request), as the caller may see it",
    )
    reason: str
    thanks: str
    decided_at: datetime | None

    @staticmethod
    def resolve_origin(entry: HoursEntry) -> ReferenceOut | None:
        return reference_out(references.link_of(entry, "origin"))

    @staticmethod
    def resolve_volunteer(entry: HoursEntry) -> str:
        return entry.user.display_name

    @staticmethod
    def resolve_event_id(entry: HoursEntry) -> int | None:
        return entry.registration.shift.event_id if entry.registration else None

    @staticmethod
    def resolve_event(entry: HoursEntry) -> str | None:
        return entry.registration.shift.event.title if entry.registration else None


class PendingHoursOut(HoursEntryOut):
    moves: list[str] = Field(
        description="what the caller may do with it now: confirm, adjust, decline"
    )

    @staticmethod
    def resolve_moves(entry: HoursEntry, context: dict) -> list[str]:
        user = context["request"].auth
        return [move.name for move in permissions.hours_moves(user, entry)]


class HoursConfirmIn(InputSchema):
    thanks: str = Field("", max_length=text_limit(HoursEntry, "thanks"))


class HoursAdjustIn(InputSchema):
    hours: Amount = Field(
        ge=hours_services.MIN_HOURS_PER_ENTRY,
        le=hours_services.MAX_HOURS_PER_ENTRY,
        decimal_places=hours_services.HOURS_DECIMAL_PLACES,
        description="as the decision form: ¼ to 24, in hundredths",
    )
    reason: str = Field(
        max_length=text_limit(HoursEntry, "reason"), description="why the hours changed"
    )
    thanks: str = Field("", max_length=text_limit(HoursEntry, "thanks"))


class HoursDeclineIn(InputSchema):
    reason: str = Field(
        max_length=text_limit(HoursEntry, "reason"), description="told to the volunteer"
    )


@router.get(
    "/organizations/{int:pk}/hours/pending",
    response=list[PendingHoursOut],
    summary="Hours waiting for the organisation's decision, oldest first (its editors)",
)
@paginate(Pages, page_size=50, links=["origin"])
def pending_hours(request: HttpRequest, pk: int) -> object:
    """The queue of the page «Часы волонтёров на подтверждение»: an organisation hidden from
    the caller is a 404, one they do not edit a 403."""
    organization = get_organization_for_user(api_user(request), pk, action="edit")
    return selectors.pending_hours(organization)


def _decide(
    request: HttpRequest,
    pk: int,
    decision: str,
    *,
    hours: Decimal | None = None,
    reason: str = "",
    thanks: str = "",
) -> HoursEntry:
    """The decision form's action (`hours.hours_decide`) by the move's name."""
    user = api_user(request)
    entry = permissions.get_entry_for_organiser(user, pk)
    entry = hours_services.hours_decide(
        actor=user, entry=entry, decision=decision, hours=hours, reason=reason, thanks=thanks
    )
    references.attach([entry], "origin", user)
    return entry


@router.post(
    "/hours/{int:pk}/confirm",
    response=HoursEntryOut,
    summary="Confirm the hours as claimed (the organisation's editors; not one's own)",
)
def confirm_hours(request: HttpRequest, pk: int, payload: HoursConfirmIn) -> HoursEntry:
    return _decide(request, pk, "confirm", thanks=payload.thanks)


@router.post(
    "/hours/{int:pk}/adjust",
    response=HoursEntryOut,
    summary="Confirm with other hours, saying why (the organisation's editors)",
)
def adjust_hours(request: HttpRequest, pk: int, payload: HoursAdjustIn) -> HoursEntry:
    """The volunteer keeps what they claimed (`claimed_hours`) beside what was confirmed;
    the day's 24 hours still hold (422 on `hours`)."""
    return _decide(
        request, pk, "adjust", hours=payload.hours, reason=payload.reason, thanks=payload.thanks
    )


@router.post(
    "/hours/{int:pk}/decline",
    response=HoursEntryOut,
    summary="Decline the hours with a reason told to the volunteer (the organisation's editors)",
)
def decline_hours(request: HttpRequest, pk: int, payload: HoursDeclineIn) -> HoursEntry:
    return _decide(request, pk, "decline", reason=payload.reason)
