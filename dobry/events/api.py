from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.pagination import paginate
from ninja.responses import Status

from dobry.accounts.auth import api_user, api_viewer
from dobry.accounts.models import User
from dobry.api.auth import OPTIONAL_AUTH
from dobry.api.fields import (
    Amount,
    Day,
    DistrictSlug,
    Id,
    Moment,
    Pages,
    SearchText,
    district_by_slug,
    known_object,
    nested,
)
from dobry.api.references import ReferenceOut, reference_out
from dobry.core import references
from dobry.core.errors import DomainError
from dobry.core.input_schema import InputSchema
from dobry.core.models import District
from dobry.core.page_cache import public_page
from dobry.core.text_limits import text_limit
from dobry.events import permissions, rules, selectors
from dobry.events.models import (
    MAX_CANCELLATION_DEADLINE_HOURS,
    MAX_MIN_AGE,
    MAX_SHIFT_CAPACITY,
    Event,
    Registration,
    Shift,
)
from dobry.events.recommendations import LIMIT as RECOMMENDATIONS_LIMIT
from dobry.events.recommendations import Recommendation, suggestions
from dobry.events.services import attendance
from dobry.events.services import events as event_services
from dobry.events.services import registrations as signup
from dobry.events.services.accessibility import accessibility_needs_read
from dobry.events.services.attendance import MARKS_REASON_LENGTH
from dobry.organizations import permissions as organization_permissions
from dobry.organizations.areas import Area
from dobry.organizations.models import Organization
from dobry.volunteering import selectors as hours_selectors
from dobry.volunteering.models import HoursEntry
from dobry.volunteering.selectors import RECORD_BOOK_PAGE
from dobry.volunteering.services import hours as hours_services

router = Router(tags=["events"])


class ShiftOut(Schema):
    id: int
    title: str
    tasks: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    free_places: int
    waiting: int = 0
    min_age: int | None
    open_to_minors: bool
    requires_approval: bool
    qualifications: list[str]

    @staticmethod
    def resolve_qualifications(obj: Shift) -> list[str]:
        return [q.slug for q in obj.qualifications.all()]


class EventOut(Schema):
    id: int
    organization_id: int
    organization: str
    kind: str
    title: str
    summary: str
    place: str
    address: str
    district: str | None = nested("district.slug")
    online_url: str
    wheelchair_accessible: bool
    accessibility: str
    status: str
    starts_at: datetime | None
    ends_at: datetime | None
    free_places: int | None = None
    areas: list[str]
    url: str

    @staticmethod
    def resolve_organization(obj: Event) -> str:
        return str(obj.organization)

    @staticmethod
    def resolve_areas(obj: Event) -> list[str]:
        return [link.area for link in obj.area_links.all()]

    @staticmethod
    def resolve_url(obj: Event) -> str:
        return obj.get_absolute_url()


class EventDetailOut(EventOut):
    description: str
    shifts: list[ShiftOut]
    signups_closed: str = Field(
        description="why nobody may sign up now, as the event page says it (the event is "
        "not published, or its organiser is not verified now); empty while signups are open"
    )

    @staticmethod
    def resolve_signups_closed(obj: Event) -> str:
        return rules.signups_closed(obj)

    @staticmethod
    def resolve_shifts(obj: Event) -> list[Shift]:
        return obj.shift_list  # type: ignore[attr-defined]


class EventFilters(FilterSchema):
    when: Literal["upcoming", "past"] = Field(
        "upcoming", description="upcoming events in date order, or past ones latest first"
    )
    from_: Day | None = Field(None, alias="from")
    to: Day | None = None
    area: Area | None = None
    district: DistrictSlug | None = Field(None, description="district slug")
    organization: Id | None = None
    kind: Event.Kind | None = None
    has_free_places: bool = False
    suits_me: bool = Field(
        False,
        description=(
            "only events with a shift that suits the caller, as «Подходит мне» "
            "(GET /me/recommendations) decides: their age and qualifications, and at least "
            "one of their interests, districts, free time or skills; none without a volunteer "
            "profile"
        ),
    )
    q: SearchText | None = None


class ShiftIn(InputSchema):
    title: str = Field(min_length=1, max_length=150)
    tasks: str = Field("", max_length=text_limit(Shift, "tasks"))
    starts_at: Moment
    ends_at: Moment
    capacity: int = Field(ge=1, le=MAX_SHIFT_CAPACITY)
    min_age: int | None = Field(None, ge=0, le=MAX_MIN_AGE)
    open_to_minors: bool = False
    requires_approval: bool = False
    qualifications: list[str] = Field([], description="qualification slugs")


class EventIn(InputSchema):
    organization: Id
    kind: Event.Kind
    title: str = Field(min_length=2, max_length=200)
    summary: str = Field("", max_length=300)
    description: str = Field("", max_length=text_limit(Event, "description"))
    place: str = Field("", max_length=200)
    address: str = Field("", max_length=300)
    district: str | None = Field(None, max_length=text_limit(District, "slug"))
    online_url: str = Field("", max_length=text_limit(Event, "online_url"))
    accessibility: str = Field("", max_length=text_limit(Event, "accessibility"))
    wheelchair_accessible: bool = False
    cancellation_deadline_hours: int = Field(24, ge=0, le=MAX_CANCELLATION_DEADLINE_HOURS)
    areas: list[Area] = []
    shifts: list[ShiftIn] = []
    publish: bool = False


class RegistrationIn(InputSchema):
    seats: int = Field(1, ge=1, le=signup.MAX_GROUP_SEATS)
    group: Registration.Group = Registration.Group.INDIVIDUAL
    group_name: str = Field("", max_length=text_limit(Registration, "group_name"))
    minors_in_group: int = Field(0, ge=0, le=signup.MAX_GROUP_SEATS - 1)
    represents: Id | None = Field(
        None, description="Sign up for this organisation (one the user is a member of)"
    )


class RegistrationOut(Schema):
    id: int
    status: str
    shift_id: int
    seats: int
    represents_id: int | None = None
    code: str | None = None
    offer_expires_at: datetime | None = None
    late_cancellation: bool = False
    checked_in_at: datetime | None = None
    checked_out_at: datetime | None = None


class HoursOut(Schema):
    id: int
    organization: str
    date: date
    hours: Decimal
    claimed_hours: Decimal = Field(description="what was claimed, when the hours were adjusted")
    status: str
    source: str
    area: str
    description: str
    reason: str = Field(description="why the hours were adjusted or declined")
    thanks: str
    origin: ReferenceOut | None = Field(
        None, description="what the hours were given for (a help request), if anything"
    )

    @staticmethod
    def resolve_organization(obj: HoursEntry) -> str:
        return str(obj.organization)

    @staticmethod
    def resolve_origin(obj: HoursEntry) -> ReferenceOut | None:
        return reference_out(references.link_of(obj, "origin"))


class ClaimIn(InputSchema):
    organization: Id = Field(description="a verified organisation the volunteer helped")
    day: Day
    hours: Amount = Field(
        ge=hours_services.MIN_HOURS_PER_ENTRY,
        le=hours_services.MAX_HOURS_PER_ENTRY,
        decimal_places=hours_services.HOURS_DECIMAL_PLACES,
        description="as the claim form: ¼ to 24, in hundredths",
    )
    description: str = Field(min_length=1, max_length=text_limit(HoursEntry, "description"))
    area: Area | None = Field(
        default=None, description="the area of the help; none when it fits no area"
    )


class HoursSummary(Schema):
    confirmed_total: Decimal
    pending_total: Decimal


@router.get(
    "/events",
    response=list[EventOut],
    auth=OPTIONAL_AUTH,
    summary="Published events, upcoming or past (the filters of the event list page)",
)
@decorate_view(public_page)
@paginate(Pages, page_size=20)
def list_events(request: HttpRequest, filters: Query[EventFilters]) -> object:
    return selectors.filtered_events(
        {
            "when": filters.when,
            "q": filters.q,
            "date_from": filters.from_,
            "date_to": filters.to,
            "kind": filters.kind,
            "area": filters.area,
            "district": district_by_slug(filters.district),
            # the organisers the page's filter offers (`EventFilterForm`)
            "organization": known_object(
                Organization.objects.verified(), filters.organization, name="organization"
            ),
            "free": filters.has_free_places,
            "suits_me": filters.suits_me,
        },
        api_viewer(request),
    )


@router.get(
    "/events/{int:pk}",
    response=EventDetailOut,
    auth=OPTIONAL_AUTH,
    summary="An event with shifts and free places (a draft: its organisers only; an "
    "unverified organiser's: its organisers and the people registered)",
)
def get_event(request: HttpRequest, pk: int) -> Event:
    event = permissions.get_event_for_user(api_viewer(request), pk)
    event = Event.objects.for_list().with_free_places().get(pk=event.pk)
    event.shift_list = selectors.shifts_of(event, None)  # type: ignore[attr-defined]
    return event


def _create_shift(user: User, event: Event, payload: ShiftIn) -> Shift:
    data = payload.dict()
    qualifications = event_services.qualifications_by_slug(data.pop("qualifications"))
    return event_services.shift_create(
        actor=user, event=event, fields=data, qualifications=qualifications
    )


@router.post(
    "/events", response={201: EventDetailOut}, summary="Create an event (organisation editor)"
)
def create_event(request: HttpRequest, payload: EventIn) -> Status[Event]:
    """The page's service (`events.services.events.event_create`), with the shifts and the
    publication at once, all or nothing. Only for an organisation verified now, by its owners
    and editors — 403 otherwise, 404 for one the caller may not see."""
    user = api_user(request)
    organization = organization_permissions.get_organization_for_user(user, payload.organization)
    data = payload.dict(exclude={"organization", "areas", "shifts", "publish"})
    data["district"] = district_by_slug(data["district"])
    event = event_services.event_create(
        actor=user,
        organization=organization,
        fields=data,
        areas=payload.areas,
        shifts=[shift.dict() for shift in payload.shifts],
        publish=payload.publish,
    )
    return Status(201, get_event(request, event.pk))


@router.post("/events/{int:pk}/shifts", response={201: ShiftOut}, summary="Add a shift (organiser)")
def add_shift(request: HttpRequest, pk: int, payload: ShiftIn) -> Status[Shift]:
    user = api_user(request)
    event = permissions.get_event_for_user(user, pk, manage=True)
    shift = _create_shift(user, event, payload)
    return Status(201, Shift.objects.with_taken().get(pk=shift.pk))


@router.post(
    "/events/{int:pk}/publish", response=EventDetailOut, summary="Publish a draft (organiser)"
)
def publish_event(request: HttpRequest, pk: int) -> Event:
    user = api_user(request)
    event = permissions.get_event_for_user(user, pk, manage=True)
    event_services.event_publish(actor=user, event=event)
    return get_event(request, pk)


class AccessibilityNeedOut(Schema):
    registration: int
    shift: int
    volunteer: str
    needs: str


def _needs_of_page(
    registrations: list[Registration], request: HttpRequest
) -> list[dict[str, object]]:
    """The needs of the page's volunteers only: each one shown is audited."""
    needs = accessibility_needs_read(user=api_user(request), registrations=registrations)
    return [
        {
            "registration": r.pk,
            "shift": r.shift_id,
            "volunteer": r.user.display_name,
            "needs": needs[r.pk],
        }
        for r in registrations
        if r.pk in needs
    ]


class AccessibilityNeedsHiddenOut(Schema):
    on_request: bool = Field(
        description="whether POST to this address would show the caller volunteers' needs "
        "(someone is signed up whose needs the caller may read): as the organiser's page's "
        "«Показать» button; neither whether anyone wrote needs nor how many"
    )


@router.get(
    "/events/{int:pk}/accessibility-needs",
    response=AccessibilityNeedsHiddenOut,
    summary="Whether volunteers' needs can be revealed (organisers; nothing private: reading "
    "them is the POST)",
)
def accessibility_needs_hidden(request: HttpRequest, pk: int) -> dict[str, bool]:
    """As the manage page on a GET: no health data, no count, no audit entry."""
    user = api_user(request)
    event = permissions.get_event_for_user(user, pk, manage=True)
    registrations = Registration.objects.filter(shift__event=event).select_related(
        "shift__event__organization"
    )
    return {"on_request": permissions.accessibility_needs_on_request(user, registrations)}


@router.post(
    "/events/{int:pk}/accessibility-needs",
    response=list[AccessibilityNeedOut],
    summary="Reveal what signed-up volunteers need to take part, by shift (organisers of "
    "the event's organisation; health data: each volunteer on the page given is audited)",
)
@paginate(Pages, page_size=selectors.ACCESSIBILITY_NEEDS_PAGE, then=_needs_of_page)
def accessibility_needs(request: HttpRequest, pk: int) -> object:
    """As the manage page's «Показать» (a POST): 403 for those who manage the event but may
    not read the needs (a coordinator), so that not even their count is told."""
    user = api_user(request)
    event = permissions.get_event_for_user(user, pk, manage=True)
    if not (decision := permissions.can_see_event_accessibility_needs(user, event)):
        raise PermissionDenied(decision.reason)
    return selectors.registrations_with_needs(event)


@router.post(
    "/shifts/{int:pk}/registrations",
    response={201: RegistrationOut},
    summary="Sign up: confirmed, waitlisted or pending_approval; 409 with reasons when refused",
)
def register(request: HttpRequest, pk: int, payload: RegistrationIn) -> Status[Registration]:
    user = api_user(request)
    shift = permissions.get_shift_for_user(user, pk)
    fields = payload.dict()
    fields["represents"] = signup.represented_organization(
        user=user, organization_id=fields.pop("represents")
    )
    registration = signup.registration_create(user=user, shift=shift, **fields)
    return Status(201, registration)


@router.post(
    "/registrations/{int:pk}/cancel", response=RegistrationOut, summary="Cancel one's registration"
)
def cancel(request: HttpRequest, pk: int) -> Registration:
    user = api_user(request)
    registration = permissions.get_own_registration(user, pk)
    return signup.registration_cancel(user=user, registration=registration)


@router.post(
    "/registrations/{int:pk}/accept",
    response=RegistrationOut,
    summary="Accept a waiting-list offer",
)
def accept(request: HttpRequest, pk: int) -> Registration:
    user = api_user(request)
    registration = permissions.get_own_registration(user, pk)
    return signup.registration_accept_offer(user=user, registration=registration)


@router.post(
    "/registrations/{int:pk}/check-in", response=RegistrationOut, summary="Mark arrival (organiser)"
)
def check_in(request: HttpRequest, pk: int) -> Registration:
    user = api_user(request)
    registration = permissions.get_registration_for_organiser(user, pk)
    return attendance.registration_check_in(actor=user, registration=registration)


@router.post(
    "/registrations/{int:pk}/check-out",
    response=RegistrationOut,
    summary="Mark leaving (organiser)",
)
def check_out(request: HttpRequest, pk: int) -> Registration:
    user = api_user(request)
    registration = permissions.get_registration_for_organiser(user, pk)
    attendance.registration_check_out(actor=user, registration=registration)
    registration.refresh_from_db()
    return registration


class MarksIn(InputSchema):
    checked_in_at: Moment
    checked_out_at: Moment | None = Field(None, description="null: the person is still there")
    reason: str = Field(min_length=1, max_length=MARKS_REASON_LENGTH)


@router.post(
    "/registrations/{int:pk}/marks",
    response=RegistrationOut,
    summary="Correct the arrival and leaving marks (organiser; audited)",
)
def correct_marks(request: HttpRequest, pk: int, payload: MarksIn) -> Registration:
    user = api_user(request)
    registration = permissions.get_registration_for_organiser(user, pk)
    attendance.registration_correct_marks(actor=user, registration=registration, **payload.dict())
    registration.refresh_from_db()
    return registration


@router.get("/me/registrations", response=list[RegistrationOut], summary="My registrations")
@paginate(Pages, page_size=50)
def my_registrations(request: HttpRequest) -> object:
    return Registration.objects.filter(user=api_user(request)).order_by("-created_at")


class RecommendedShiftOut(Schema):
    id: int
    title: str
    tasks: str
    starts_at: datetime
    ends_at: datetime
    free_places: int
    min_age: int | None
    open_to_minors: bool


class RecommendedEventOut(Schema):
    id: int
    title: str
    organization: str
    district: str | None = Field(None, description="district slug")
    areas: list[str]
    url: str


class RecommendationOut(Schema):
    shift: RecommendedShiftOut
    event: RecommendedEventOut
    score: int = Field(description="how well the shift suits: higher first")
    reasons: list[str] = Field(description="why it suits, in the request's language")


def _recommendation(found: Recommendation) -> dict:
    shift, event = found.shift, found.shift.event
    return {
        "shift": shift,
        "event": {
            "id": event.pk,
            "title": event.title,
            "organization": str(event.organization),
            "district": event.district.slug if event.district else None,
            "areas": [link.area for link in event.area_links.all()],
            "url": event.get_absolute_url(),
        },
        "score": found.score,
        "reasons": found.reasons,
    }


@router.get(
    "/me/recommendations",
    response=list[RecommendationOut],
    summary="«Подходит мне»: upcoming shifts matching my volunteer profile, best first",
)
@paginate(Pages, page_size=RECOMMENDATIONS_LIMIT)
def my_recommendations(request: HttpRequest) -> list[dict]:
    """The page «Подходит мне» (`events.recommendations.suggestions`): shifts with free
    places that suit the caller (`events.suitability`, the definition `GET /events?suits_me`
    filters by: age, qualifications, and at least one of their interests, districts, free
    time and skills) and that they have not signed up for, ranked by what matches, with the
    reasons; at most 20, one page. A shift soon ranks higher but is never listed for being
    soon. Without a volunteer profile the list is empty: `GET /me/volunteer-profile` says
    whether one was saved (`saved`)."""
    found = suggestions(api_user(request))
    return [_recommendation(item) for item in found.recommendations]


@router.get(
    "/me/hours",
    response=list[HoursOut],
    summary="My hours: the record book's entries, newest first (50 a page)",
)
@paginate(Pages, page_size=RECORD_BOOK_PAGE, links=["origin"])
def my_hours(request: HttpRequest) -> object:
    """The record book's list (`volunteering.selectors.hours_of`), paged as the page is;
    the totals are `GET /me/hours/summary`."""
    return hours_selectors.hours_of(api_user(request))


@router.get(
    "/me/hours/summary",
    response=HoursSummary,
    summary="My hours in total: confirmed and pending apart (days that have come)",
)
def my_hours_summary(request: HttpRequest) -> dict:
    return hours_selectors.hours_totals(api_user(request))


@router.post(
    "/me/hours",
    response={201: HoursOut},
    summary="Claim hours for help given outside the platform (the organisation confirms)",
)
def claim_hours(request: HttpRequest, payload: ClaimIn) -> Status[HoursEntry]:
    """The same service as the claim form: one claim per day, organisation and area, and at
    most 24 hours on a day from all sources, for an organisation verified now (422 naming the
    field otherwise: `organization` for one that does not exist or is not verified)."""
    user = api_user(request)
    organization = Organization.objects.filter(pk=payload.organization).first()
    if organization is None:
        raise DomainError(
            _("Нет такой организации."),
            field_errors={"organization": [_("Нет такой организации.")]},
        )
    entry = hours_services.hours_claim(
        user=user,
        organization=organization,
        day=payload.day,
        hours=payload.hours,
        description=payload.description,
        area=payload.area or "",
    )
    references.attach([entry], "origin", user)
    return Status(201, entry)
