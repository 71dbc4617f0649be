from contextlib import suppress
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StringConstraints

from dobry.accounts.auth import api_user
from dobry.accounts.models import User
from dobry.api.fields import (
    Amount,
    Day,
    DistrictSlug,
    Id,
    Moment,
    Pages,
    district_by_slug,
    known_object,
    nested,
    sent_fields,
)
from dobry.core.clock import local_today
from dobry.core.input_schema import InputSchema
from dobry.core.models import District
from dobry.core.text_limits import PHONE, text_limit
from dobry.helprequests import permissions, selectors, services
from dobry.helprequests.matching import candidates
from dobry.helprequests.models import (
    Category,
    HealthInfo,
    HelpOffer,
    HelpReport,
    HelpRequest,
    Programme,
)
from dobry.organizations.models import Organization
from dobry.volunteering.services import (
    HOURS_DECIMAL_PLACES,
    MAX_HOURS_PER_ENTRY,
    MIN_HOURS_PER_ENTRY,
)

router = Router(tags=["help requests"])


class PublicRequestOut(Schema):
    id: int
    category: str
    summary: str
    district: str | None = nested("district.slug")
    status: str
    priority: int
    created_at: datetime


class PrivateFields(Schema):
    recipient_name: str
    recipient_phone: str
    address: str
    details: str
    asap: bool
    wanted_from: datetime | None
    wanted_to: datetime | None
    volunteers_needed: int
    needs_car: bool
    woman_volunteer: bool
    adults_only: bool


class RequestOut(PublicRequestOut):
    private: PrivateFields | None = None
    health_info: str | None = None
    programme_id: int | None = Field(
        None,
        description="the programme it was handed to; shown to those who work the request "
        "(coordinators and that programme's staff)",
    )


class RequestIn(InputSchema):
    category: Category
    summary: str = Field(min_length=3, max_length=140)
    details: str = Field(min_length=1, max_length=text_limit(HelpRequest, "details"))
    district: str | None = Field(
        None, max_length=text_limit(District, "slug"), description="district slug"
    )
    address: str = Field("", max_length=text_limit(HelpRequest, "address"))
    recipient_name: str = Field(min_length=1, max_length=200)
    recipient_phone: str = Field("", max_length=PHONE)
    asap: bool = False
    wanted_from: Moment | None = None
    wanted_to: Moment | None = None
    recurrence: HelpRequest.Recurrence = HelpRequest.Recurrence.ONCE
    volunteers_needed: int = Field(1, ge=1, le=20)
    needs_car: bool = False
    woman_volunteer: bool = False
    adults_only: bool = False
    relation: HelpRequest.Relation = HelpRequest.Relation.SELF
    health_info: str = Field(
        "",
        max_length=text_limit(HealthInfo, "text"),
        description=(
            "needs the consent of 152-ФЗ art. 10: the requester's written consent (signed "
            "online or on paper) and `health_consent`; for a request a coordinator registers, "
            "the scan of the form the person signed, which only the page accepts (here: 422 "
            "on `consent_scan`)"
        ),
    )
    health_consent: bool = Field(
        False,
        description=(
            "the requester consents to processing the health information of this request "
            "under the current text of the health-data consent (the page's checkbox); "
            "required with `health_info` (422 on `health_consent` without it)"
        ),
    )
    health_on_behalf: bool = Field(
        False,
        description=(
            "asking for someone else (`relation` other than `self`), the requester confirms "
            "being that person's legal representative or having their consent to pass on "
            "their health information (the page's second checkbox); required then with "
            "`health_info` (422 on `health_on_behalf` without it)"
        ),
    )


class RequestPatch(InputSchema):
    """Only the fields sent are changed (health information is not edited here). `None`
    means "not sent"; only the district and the time window may be cleared with null."""

    category: Category | None = None
    summary: str | None = Field(None, min_length=3, max_length=140)
    details: str | None = Field(None, min_length=1, max_length=text_limit(HelpRequest, "details"))
    district: str | None = Field(
        None,
        max_length=text_limit(District, "slug"),
        description="district slug; empty string clears it",
    )
    address: str | None = Field(None, max_length=text_limit(HelpRequest, "address"))
    recipient_name: str | None = Field(None, min_length=1, max_length=200)
    recipient_phone: str | None = Field(None, max_length=PHONE)
    asap: bool | None = None
    wanted_from: Moment | None = None
    wanted_to: Moment | None = None
    recurrence: HelpRequest.Recurrence | None = None
    volunteers_needed: int | None = Field(None, ge=1, le=20)
    needs_car: bool | None = None
    woman_volunteer: bool | None = None
    adults_only: bool | None = None
    relation: HelpRequest.Relation | None = None


class ReportIn(InputSchema):
    text: str = Field(min_length=1, max_length=4000)
    hours: Amount = Field(
        ge=MIN_HOURS_PER_ENTRY,
        le=MAX_HOURS_PER_ENTRY,
        decimal_places=HOURS_DECIMAL_PLACES,
        description="as the report form: ¼ to 24, in hundredths",
    )
    day: Day | None = Field(
        None, description="the city's day the help was given (today if not sent)"
    )


class ReportOut(Schema):
    id: int
    request_id: int
    volunteer_id: int
    text: str
    hours: Decimal
    day: date


class FeedbackIn(InputSchema):
    rating: int = Field(ge=1, le=5)
    feedback: str = Field("", max_length=2000)


class TransitionIn(InputSchema):
    to: HelpRequest.Status
    reason: str = Field("", max_length=text_limit(HelpRequest, "reason"))


class OffersIn(InputSchema):
    """By id (the candidates of GET …/candidates) or by email, as the page's form; at least
    one of them."""

    volunteers: list[Id] = Field([], max_length=1000)
    emails: list[Annotated[str, StringConstraints(max_length=254)]] = Field([], max_length=100)


class OfferOut(Schema):
    id: int
    request_id: int
    volunteer_id: int
    status: str
    expires_at: datetime


class OfferListOut(OfferOut):
    volunteer: str
    created_at: datetime

    @staticmethod
    def resolve_volunteer(obj: HelpOffer) -> str:
        return obj.volunteer.display_name


class ProgrammeOut(Schema):
    id: int
    organization_id: int
    organization: str
    name: str
    category: str
    target_group: str
    starts_on: date
    ends_on: date | None
    capacity: int | None
    funding: list[str]
    districts: list[str]

    @staticmethod
    def resolve_organization(obj: Programme) -> str:
        return str(obj.organization)

    @staticmethod
    def resolve_districts(obj: Programme) -> list[str]:
        return [d.slug for d in obj.districts.all()]


def _handler(request: HttpRequest, pk: int) -> tuple[User, HelpRequest]:
    user = api_user(request)
    return user, permissions.get_request_to_handle(user, pk)


def _out(user: User, help_request: HelpRequest) -> dict:
    """Field visibility by role: the same rules as the pages."""
    data = PublicRequestOut.from_orm(help_request).dict()
    if services.private_fields_read(user=user, help_request=help_request):
        data["private"] = PrivateFields.from_orm(help_request).dict()
    if help_request.has_health_info:
        with suppress(PermissionDenied):  # the service decides, and audits the read
            data["health_info"] = services.health_info_read(user=user, help_request=help_request)
    if help_request.programme_id and permissions.can_handle(user, help_request):
        data["programme_id"] = help_request.programme_id
    return data


@router.get(
    "/help-requests/public",
    response=list[PublicRequestOut],
    auth=None,
    summary="Open requests: summaries only",
)
@paginate(Pages, page_size=50)
def public_requests(
    request: HttpRequest, category: Category | None = None, district: DistrictSlug | None = None
) -> object:
    items = HelpRequest.objects.filter(status__in=permissions.PUBLIC_STATUSES).select_related(
        "district"
    )
    if category:
        items = items.filter(category=category)
    if district:  # an unknown slug is refused (422), as the programmes' catalogue does
        items = items.filter(district=district_by_slug(district))
    return items.order_by("-priority", "created_at")


@router.post(
    "/help-requests", response={201: RequestOut}, summary="Ask for help (requester or coordinator)"
)
def create_request(request: HttpRequest, payload: RequestIn) -> Status[dict]:
    user = api_user(request)
    data = payload.dict()
    health_info = data.pop("health_info")
    health_consent = data.pop("health_consent")
    health_on_behalf = data.pop("health_on_behalf")
    data["district"] = district_by_slug(data.pop("district"))
    # The same service as the page: health information needs `health_consent`, as the page
    # needs its checkbox; a JSON body carries no scan, so a coordinator's health data is
    # refused on `consent_scan` (422).
    created = services.request_submit(
        requester=user,
        fields=data,
        health_info=health_info,
        health_consent=health_consent,
        health_on_behalf=health_on_behalf,
    )
    return Status(201, _out(user, created))


@router.get(
    "/help-requests/{int:pk}", response=RequestOut, summary="A request, fields visible by role"
)
def get_request(request: HttpRequest, pk: int) -> dict:
    user = api_user(request)
    return _out(user, permissions.get_request_for_user(user, pk))


@router.patch(
    "/help-requests/{int:pk}",
    response=RequestOut,
    summary="Correct a request (coordinator; the requester while new or waiting)",
)
def update_request(request: HttpRequest, pk: int, payload: RequestPatch) -> dict:
    user = api_user(request)
    help_request = permissions.get_request_to_edit(user, pk)
    fields = sent_fields(payload, nullable={"district", "wanted_from", "wanted_to"})
    if "district" in fields:
        fields["district"] = district_by_slug(fields["district"])
    return _out(user, services.request_update(actor=user, help_request=help_request, fields=fields))


class CancelIn(InputSchema):
    reason: str = Field("", max_length=text_limit(HelpRequest, "reason"))


@router.post(
    "/help-requests/{int:pk}/cancel",
    response=RequestOut,
    summary="Cancel one's own request until help has started (the requester)",
)
def cancel_request(request: HttpRequest, pk: int, payload: CancelIn) -> dict:
    user = api_user(request)
    help_request = permissions.get_request_to_cancel(user, pk)
    return _out(
        user, services.request_cancel(user=user, help_request=help_request, reason=payload.reason)
    )


@router.post(
    "/help-requests/{int:pk}/report",
    response={201: ReportOut},
    summary="Report what was done and the hours (the accepted volunteer)",
)
def report(request: HttpRequest, pk: int, payload: ReportIn) -> Status[HelpReport]:
    user = api_user(request)
    help_request = permissions.get_request_for_user(user, pk)
    return Status(
        201,
        services.help_report(
            volunteer=user,
            help_request=help_request,
            text=payload.text,
            hours=payload.hours,
            day=payload.day,
        ),
    )


@router.post(
    "/help-requests/{int:pk}/complete",
    response=RequestOut,
    summary="Close as done; hours go to the record books (coordinator or programme staff)",
)
def complete(request: HttpRequest, pk: int) -> dict:
    user, help_request = _handler(request, pk)
    return _out(user, services.request_complete(actor=user, help_request=help_request))


@router.post(
    "/help-requests/{int:pk}/feedback",
    response=RequestOut,
    summary="Rate the help once it is done (the requester; a later rating replaces the earlier)",
)
def feedback(request: HttpRequest, pk: int, payload: FeedbackIn) -> dict:
    user = api_user(request)
    help_request = permissions.get_request_for_user(user, pk)
    return _out(
        user,
        services.request_feedback(
            user=user, help_request=help_request, rating=payload.rating, feedback=payload.feedback
        ),
    )


@router.post(
    "/help-requests/{int:pk}/invite",
    response={204: None},
    summary="Invite the person helped to volunteer (coordinator or programme staff)",
)
def invite(request: HttpRequest, pk: int) -> Status[None]:
    user, help_request = _handler(request, pk)
    services.recipient_invite(actor=user, help_request=help_request)
    return Status(204, None)


@router.post(
    "/help-requests/{int:pk}/transition",
    response=RequestOut,
    summary="Move along the workflow (coordinator or programme staff)",
)
def transition(request: HttpRequest, pk: int, payload: TransitionIn) -> dict:
    user, help_request = _handler(request, pk)
    return _out(
        user,
        services.request_transition(
            actor=user, help_request=help_request, to=payload.to, reason=payload.reason
        ),
    )


@router.post(
    "/help-requests/{int:pk}/offers",
    response={201: list[OfferOut]},
    summary="Offer to volunteers (coordinator or programme staff)",
)
def make_offers(request: HttpRequest, pk: int, payload: OffersIn) -> Status[list[HelpOffer]]:
    user, help_request = _handler(request, pk)
    return Status(
        201,
        services.offer_make_to(
            actor=user,
            help_request=help_request,
            volunteer_ids=payload.volunteers,
            emails=payload.emails,
        ),
    )


@router.get(
    "/help-requests/{int:pk}/offers",
    response=list[OfferListOut],
    summary="Whom a request was offered to and how each answered (coordinator or programme staff)",
)
@paginate(Pages, page_size=50)
def list_offers(request: HttpRequest, pk: int) -> object:
    _user, help_request = _handler(request, pk)
    return selectors.offers_of(help_request)


def _answer(request: HttpRequest, pk: int, accept: bool) -> HelpOffer:
    user = api_user(request)
    offer = get_object_or_404(HelpOffer, pk=pk, volunteer=user)
    return services.offer_answer(user=user, offer=offer, accept=accept)


@router.post(
    "/offers/{int:pk}/accept", response=OfferOut, summary="Accept an offer (the volunteer)"
)
def accept_offer(request: HttpRequest, pk: int) -> HelpOffer:
    return _answer(request, pk, True)


@router.post(
    "/offers/{int:pk}/decline", response=OfferOut, summary="Decline an offer (the volunteer)"
)
def decline_offer(request: HttpRequest, pk: int) -> HelpOffer:
    return _answer(request, pk, False)


@router.get(
    "/programmes",
    response=list[ProgrammeOut],
    auth=None,
    summary="Public catalogue of programmes of help",
)
@paginate(Pages, page_size=50)
def list_programmes(
    request: HttpRequest,
    category: Category | None = None,
    district: DistrictSlug | None = None,
    organization: Id | None = None,
) -> object:
    """The catalogue page's selector: a district includes programmes for the whole city."""
    return selectors.filtered_programmes(
        {
            "category": category,
            "district": district_by_slug(district),
            "organization": known_object(
                Organization.objects.all(), organization, name="organization"
            ),
        }
    )


class ProgrammeRecordIn(InputSchema):
    month: Day = Field(description="Any day of the month recorded")
    people: int = Field(ge=0, le=1_000_000, description="People helped in the month")
    first_time: int = Field(ge=0, le=1_000_000, description="Of them, first time in the programme")
    note: str = Field("", max_length=2000)


class ProgrammeRecordOut(Schema):
    month: date
    people: int
    first_time: int
    note: str


@router.get(
    "/programmes/{int:pk}/records",
    response=list[ProgrammeRecordOut],
    summary="People a programme helped, month by month, the latest first (its organisation "
    "or coordinators)",
)
@paginate(Pages, page_size=selectors.PROGRAMME_RECORDS_PAGE)
def list_programme_records(request: HttpRequest, pk: int) -> object:
    programme = permissions.get_programme_to_keep(api_user(request), pk)
    return selectors.programme_records(programme)


@router.post(
    "/programmes/{int:pk}/records",
    response=ProgrammeRecordOut,
    summary="Record or correct a month of a programme (its organisation or coordinators)",
)
def save_programme_record(request: HttpRequest, pk: int, payload: ProgrammeRecordIn) -> object:
    user = api_user(request)
    programme = permissions.get_programme_to_keep(user, pk)
    return services.programme_record_save(actor=user, programme=programme, **payload.dict())


class CandidateOut(Schema):
    volunteer_id: int
    name: str
    score: int
    reasons: list[str]


@router.get(
    "/help-requests/{int:pk}/candidates",
    response=list[CandidateOut],
    summary="Top candidates with reasons (coordinator or programme staff)",
)
def list_candidates(request: HttpRequest, pk: int, limit: int = 10) -> list[dict]:
    user, help_request = _handler(request, pk)
    return [
        {
            "volunteer_id": c.user.pk,
            "name": c.user.display_name,
            "score": c.score,
            "reasons": c.reasons,
        }
        for c in candidates(help_request, limit=max(1, min(limit, 50)), actor=user)
    ]


class BatchRequestOut(Schema):
    request_id: int
    summary: str
    priority: int
    wanted_from: datetime | None
    matches: list[CandidateOut] = Field(
        description="proposed volunteers with the ranking's score and reasons; empty: "
        "nobody suitable and free is left, the request stays in the queue"
    )


class BatchPlanOut(Schema):
    day: date
    key: str = Field(description="names this plan: confirm with it")
    requests: list[BatchRequestOut]


class BatchConfirmIn(InputSchema):
    day: Day
    key: str = Field(min_length=1, max_length=64, description="the key of the plan read")


class BatchSkippedOut(Schema):
    request_id: int
    reason: str


class BatchResultOut(Schema):
    sent: int
    skipped: list[BatchSkippedOut]


def _plan_out(plan: selectors.DayPlan) -> dict:
    return {
        "day": plan.day,
        "key": plan.key,
        "requests": [
            {
                "request_id": row.help_request.pk,
                "summary": row.help_request.summary,
                "priority": row.help_request.priority,
                "wanted_from": row.help_request.wanted_from,
                "matches": [
                    {
                        "volunteer_id": match.volunteer.pk,
                        "name": match.volunteer.display_name,
                        "score": match.score,
                        "reasons": match.reasons,
                    }
                    for match in row.matches
                ],
            }
            for row in plan.rows
        ],
    }


def _batch_planner(request: HttpRequest) -> User:
    user = api_user(request)
    if not (decision := permissions.can_plan_batch(user)):
        raise PermissionDenied(decision.reason)
    return user


@router.get(
    "/help-requests/batch",
    response=BatchPlanOut,
    summary="The day's batch plan: who is proposed for each open request, and why (coordinator)",
)
def batch_plan(request: HttpRequest, day: Day | None = None) -> dict:
    _batch_planner(request)
    return _plan_out(selectors.day_plan(day or local_today()))


@router.post(
    "/help-requests/batch/confirm",
    response=BatchResultOut,
    summary="Confirm the day's batch plan read with its key: the offers are sent "
    "(coordinator; 409 if the plan has changed since)",
)
def batch_confirm(request: HttpRequest, payload: BatchConfirmIn) -> dict:
    result = services.batch_plan_confirm(
        actor=_batch_planner(request), day=payload.day, key=payload.key
    )
    return {
        "sent": result.sent,
        "skipped": [
            {"request_id": help_request.pk, "reason": reason}
            for help_request, reason in result.skipped
        ],
    }


# --- the coordinators' queue and triage (the queue page, the request page's «Разбор») ----------


class QueueFilters(Schema):
    status: HelpRequest.Status | None = Field(
        None, description="one status; without it the open requests (the page's first tab)"
    )


class QueueItemOut(Schema):
    id: int
    summary: str
    category: str
    status: HelpRequest.Status
    priority: HelpRequest.Priority
    district: str | None = nested("district.slug")
    programme_id: int | None
    programme: str | None
    possible_duplicate_of_id: int | None
    created_at: datetime
    waiting: Literal["ok", "warning", "danger"] = Field(
        description="how long it has waited against its urgency: `warning` past half of its "
        "time, `danger` past all of it"
    )

    @staticmethod
    def resolve_programme(obj: HelpRequest) -> str | None:
        return obj.programme.name if obj.programme else None

    @staticmethod
    def resolve_waiting(obj: HelpRequest, context: dict) -> str:
        return selectors.waiting_level(obj, context["request"].queue_now)


class PriorityIn(InputSchema):
    priority: HelpRequest.Priority = Field(description="0 normal, 1 urgent, 2 very urgent")


class RouteIn(InputSchema):
    programme: Id = Field(description="a running programme (GET /programmes)")


def _triage(request: HttpRequest, pk: int) -> tuple[User, HelpRequest]:
    user = api_user(request)
    return user, permissions.get_request_to_triage(user, pk)


@router.get(
    "/help-requests/queue",
    response=list[QueueItemOut],
    summary="The queue: open requests (or one status), most urgent and longest waiting first "
    "(coordinator)",
)
@paginate(Pages, page_size=30)
def triage_queue(request: HttpRequest, filters: Query[QueueFilters]) -> object:
    user = api_user(request)
    if not (decision := permissions.can_triage(user)):
        raise PermissionDenied(decision.reason)
    request.queue_now = timezone.now()  # type: ignore[attr-defined]
    return selectors.triage_queue(filters.status)


@router.post(
    "/help-requests/{int:pk}/priority",
    response=RequestOut,
    summary="Set how urgent a request is (coordinator)",
)
def set_priority(request: HttpRequest, pk: int, payload: PriorityIn) -> dict:
    user, help_request = _triage(request, pk)
    return _out(
        user,
        services.request_set_priority(
            actor=user, help_request=help_request, priority=payload.priority
        ),
    )


@router.post(
    "/help-requests/{int:pk}/route",
    response=RequestOut,
    summary="Hand a request to a running programme; a new or waiting one goes to matching "
    "(coordinator)",
)
def route(request: HttpRequest, pk: int, payload: RouteIn) -> dict:
    user, help_request = _triage(request, pk)
    programme = selectors.routable_programme(payload.programme)
    return _out(
        user, services.request_route(actor=user, help_request=help_request, programme=programme)
    )
