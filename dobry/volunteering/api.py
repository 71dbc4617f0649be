"""The volunteering API: an organisation's queue of hours and its decisions on them.

Each operation is a page's action (`volunteering/views.py`) through the same permission
function, selector and service."""

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from dobry.accounts.auth import api_user
from dobry.api.fields import Amount, Pages
from dobry.core.text_limits import text_limit
from dobry.organizations.permissions import get_organization_for_user
from dobry.volunteering import permissions, selectors, services
from dobry.volunteering.models import HoursEntry

router = Router(tags=["volunteering"])


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
    reason: str
    thanks: str
    decided_at: datetime | None

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


class HoursConfirmIn(Schema):
    thanks: str = Field("", max_length=text_limit(HoursEntry, "thanks"))


class HoursAdjustIn(Schema):
    hours: Amount = Field(
        ge=Decimal("0.25"), le=24, decimal_places=2, description="as the decision form: ¼ to 24"
    )
    reason: str = Field(
        max_length=text_limit(HoursEntry, "reason"), description="why the hours changed"
    )
    thanks: str = Field("", max_length=text_limit(HoursEntry, "thanks"))


class HoursDeclineIn(Schema):
    reason: str = Field(
        max_length=text_limit(HoursEntry, "reason"), description="told to the volunteer"
    )


@router.get(
    "/organizations/{int:pk}/hours/pending",
    response=list[PendingHoursOut],
    summary="Hours waiting for the organisation's decision, oldest first (its editors)",
)
@paginate(Pages, page_size=50)
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
    """The decision form's action (`services.hours_decide`) by the move's name."""
    user = api_user(request)
    entry = permissions.get_entry_for_organiser(user, pk)
    return services.hours_decide(
        actor=user, entry=entry, decision=decision, hours=hours, reason=reason, thanks=thanks
    )


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
