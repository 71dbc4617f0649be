from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dobry.accounts.auth import api_user, api_viewer
from dobry.accounts.models import User
from dobry.api.auth import OPTIONAL_AUTH
from dobry.api.fields import (
    Amount,
    Day,
    Id,
    Moment,
    Money,
    Pages,
    SearchText,
    known_object,
    nested,
)
from dobry.api.references import ReferenceIn, ReferenceOut, reference_out
from dobry.core import references
from dobry.core.clock import start_of_local_day
from dobry.core.errors import DomainError
from dobry.core.file_views import private_file_answer
from dobry.core.input_schema import InputSchema
from dobry.core.text_limits import text_limit
from dobry.organizations.models import Organization
from dobry.resources import groups, library, permissions, rooms, selectors, services
from dobry.resources.models import (
    Consultation,
    ConsultationMessage,
    Decision,
    Giver,
    GroupTask,
    LibraryItem,
    Meeting,
    ProjectGroup,
    Room,
    RoomBooking,
    SupportKind,
    SupportRecord,
)
from dobry.resources.models.rooms import MAX_ATTENDEES

router = Router(tags=["resource centre"])


class SupportRecordOut(Schema):
    id: int
    organization_id: int | None
    organization: str | None
    kind: str
    date: date
    description: str
    giver: str
    giver_name: str
    value_rub: Money | None
    source: ReferenceOut | None = Field(
        description="the record it rests on, as the caller may see it (null: none, or "
        "deleted, or not the caller's to see)"
    )

    @staticmethod
    def resolve_organization(obj: SupportRecord) -> str | None:
        return str(obj.organization) if obj.organization_id else None

    @staticmethod
    def resolve_description(obj: SupportRecord) -> str:
        return obj.description_text

    @staticmethod
    def resolve_source(obj: SupportRecord) -> ReferenceOut | None:
        return reference_out(references.link_of(obj, "source"))


class SupportFilters(FilterSchema):
    organization: Id | None = None
    kind: SupportKind | None = None
    from_: Day | None = Field(None, alias="from")
    to: Day | None = None


class SupportRecordIn(InputSchema):
    organization: Id
    kind: SupportKind
    date: Day
    description: str = Field(min_length=1, max_length=text_limit(SupportRecord, "description"))
    giver: Giver = Giver.RESOURCE_CENTRE
    giver_name: str = Field("", max_length=text_limit(SupportRecord, "giver_name"))
    value_rub: Amount | None = Field(None, ge=0)
    source: ReferenceIn | None = None


class AttachmentOut(Schema):
    name: str
    url: str = Field(
        description="GET it to download the file (GET /api/v1/consultations/{id}/messages/"
        "{message_id}/attachment): whoever may read the consultation, as the page's link"
    )


class MessageOut(Schema):
    id: int
    author_id: int | None
    text: str
    created_at: datetime
    attachment: AttachmentOut | None = Field(description="the file sent with the message")

    @staticmethod
    def resolve_attachment(obj: ConsultationMessage) -> dict[str, str] | None:
        """The same file and name the consultation page links (null: none sent)."""
        if not obj.attachment:
            return None
        url = f"/api/v1/consultations/{obj.consultation_id}/messages/{obj.pk}/attachment"
        return {"name": obj.attachment_name or _("файл"), "url": url}


class ConsultationOut(Schema):
    id: int
    topic: str
    subject: str
    status: str
    channel: str
    organization_id: int | None
    consultant_id: int | None
    summary: str
    rating: int | None
    created_at: datetime
    closed_at: datetime | None
    messages: list[MessageOut]

    @staticmethod
    def resolve_messages(obj: Consultation) -> list[ConsultationMessage]:
        return list(obj.messages.all())


class ConsultationIn(InputSchema):
    topic: Consultation.Topic
    subject: str = Field(min_length=1, max_length=text_limit(Consultation, "subject"))
    text: str = Field(min_length=1, max_length=text_limit(ConsultationMessage, "text"))
    organization: Id | None = None


class MessageIn(InputSchema):
    text: str = Field(min_length=1, max_length=text_limit(ConsultationMessage, "text"))


class CloseIn(InputSchema):
    summary: str = Field(min_length=1, max_length=text_limit(Consultation, "summary"))


class RateIn(InputSchema):
    rating: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=text_limit(Consultation, "rating_comment"))


@router.get(
    "/support-records", response=list[SupportRecordOut], summary="The support registry (staff)"
)
@paginate(Pages, page_size=50, links=["source"])
def list_support(request: HttpRequest, filters: Query[SupportFilters]) -> object:
    if not permissions.can_read_support_registry(api_user(request)):
        raise PermissionDenied
    return selectors.support_records(
        {
            "organization": known_object(
                Organization.objects.all(), filters.organization, name="organization"
            ),
            "kind": filters.kind,
            "date_from": filters.from_,
            "date_to": filters.to,
        }
    )


@router.post(
    "/support-records",
    response={201: SupportRecordOut},
    summary="Record an act of support (coordinator)",
)
def create_support(request: HttpRequest, payload: SupportRecordIn) -> Status[SupportRecord]:
    user = api_user(request)
    if not permissions.is_consultant(user):
        raise PermissionDenied
    data = payload.dict(exclude={"source"})
    organization = get_object_or_404(Organization, pk=data.pop("organization"))
    record = services.support_record_create(
        actor=user,
        organization=organization,
        day=data.pop("date"),
        source=payload.source.reference() if payload.source else None,
        **data,
    )
    references.attach([record], "source", user)
    return Status(201, record)


@router.post("/consultations", response={201: ConsultationOut}, summary="Ask the resource centre")
def ask(request: HttpRequest, payload: ConsultationIn) -> Status[Consultation]:
    data = payload.dict()
    organization = (
        get_object_or_404(Organization, pk=data.pop("organization"))
        if data["organization"]
        else None
    )
    data.pop("organization", None)
    return Status(
        201, services.consultation_ask(user=api_user(request), organization=organization, **data)
    )


@router.get(
    "/consultations/{int:pk}", response=ConsultationOut, summary="A consultation with its thread"
)
def get_consultation(request: HttpRequest, pk: int) -> Consultation:
    return permissions.get_consultation_for_user(api_user(request), pk)


@router.get(
    "/consultations/{int:pk}/messages/{int:message_pk}/attachment",
    response={200: None, 404: None},
    summary="Download the file sent with a message",
)
def message_attachment(request: HttpRequest, pk: int, message_pk: int) -> HttpResponseBase:
    """The file the consultation page links, by the same rule
    (`files.can_read_consultation_attachment`: whoever may read the consultation); 404 for
    no file, no such message, or a consultation the caller may not read."""
    consultation = permissions.get_consultation_for_user(api_user(request), pk)
    message = get_object_or_404(consultation.messages, pk=message_pk)
    return private_file_answer(api_user(request), message, "attachment")


@router.post(
    "/consultations/{int:pk}/messages", response={201: MessageOut}, summary="Add a message"
)
def add_message(request: HttpRequest, pk: int, payload: MessageIn) -> Status[ConsultationMessage]:
    user = api_user(request)
    consultation = permissions.get_consultation_for_user(user, pk)
    return Status(
        201, services.consultation_reply(author=user, consultation=consultation, text=payload.text)
    )


@router.post(
    "/consultations/{int:pk}/close",
    response=ConsultationOut,
    summary="Close with a summary (consultant)",
)
def close(request: HttpRequest, pk: int, payload: CloseIn) -> Consultation:
    user = api_user(request)
    consultation = permissions.get_consultation_for_user(user, pk, answer=True)
    return services.consultation_close(
        actor=user, consultation=consultation, summary=payload.summary
    )


@router.post(
    "/consultations/{int:pk}/rate", response=ConsultationOut, summary="Rate the answer (asker)"
)
def rate(request: HttpRequest, pk: int, payload: RateIn) -> Consultation:
    user = api_user(request)
    consultation = permissions.get_consultation_for_user(user, pk)
    return services.consultation_rate(
        user=user, consultation=consultation, rating=payload.rating, comment=payload.comment
    )


class BusyOut(Schema):
    starts_at: datetime
    ends_at: datetime
    status: str
    organization: str | None = Field(
        description="who booked it: a verified organisation's name once the booking is "
        "confirmed, else null (busy) — as the room's page shows it"
    )

    @staticmethod
    def resolve_organization(obj: RoomBooking) -> str | None:
        return obj.public_organization  # type: ignore[attr-defined]  # selectors.room_busy


class AvailabilityOut(Schema):
    room_id: int
    opens_at: str
    closes_at: str
    busy: list[BusyOut]


class BookingIn(InputSchema):
    organization: Id
    starts_at: Moment
    ends_at: Moment
    purpose: str = Field(min_length=1, max_length=300)
    attendees: int = Field(1, ge=1, le=MAX_ATTENDEES)


class BookingOut(Schema):
    id: int
    room_id: int
    organization_id: int
    starts_at: datetime
    ends_at: datetime
    status: str
    reason: str = Field(description="why staff declined it (empty otherwise)")
    moves: list[str] = Field(
        description="what the caller may do with it now: confirm, decline (staff), cancel "
        "(the person who booked, until it begins)"
    )

    @staticmethod
    def resolve_moves(booking: RoomBooking, context: dict) -> list[str]:
        user = context["request"].auth
        return [move.name for move in permissions.booking_moves(user, booking)]


class BookingDeclineIn(InputSchema):
    reason: str = Field(
        min_length=1,
        max_length=text_limit(RoomBooking, "reason"),
        description="told to the person who booked",
    )


class PeriodQuery(Schema):
    from_: Day = Field(alias="from")
    to: Day


@router.get(
    "/rooms/{int:pk}/availability",
    response=AvailabilityOut,
    auth=None,
    summary="Busy times of a room",
)
def availability(request: HttpRequest, pk: int, period: Query[PeriodQuery]) -> dict:
    room = get_object_or_404(Room, pk=pk, is_active=True)
    if period.to < period.from_ or (period.to - period.from_).days > 62:
        raise DomainError(
            _("Период — до двух месяцев, «from» не позже «to»."),
            field_errors={"to": [_("Неверный период.")]},
        )
    start = start_of_local_day(period.from_)
    end = start_of_local_day(period.to + timedelta(days=1))
    return {
        "room_id": room.pk,
        "opens_at": room.opens_at.strftime("%H:%M"),
        "closes_at": room.closes_at.strftime("%H:%M"),
        "busy": selectors.room_busy(room, start, end),
    }


@router.post("/rooms/{int:pk}/bookings", response={201: BookingOut}, summary="Ask to book a room")
def book(request: HttpRequest, pk: int, payload: BookingIn) -> Status[RoomBooking]:
    room = get_object_or_404(Room, pk=pk)
    organization = get_object_or_404(Organization, pk=payload.organization)
    booking = rooms.booking_request(
        user=api_user(request),
        room=room,
        organization=organization,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        purpose=payload.purpose,
        attendees=payload.attendees,
    )
    return Status(201, booking)


# The buttons of the desk's queue «Заявки на помещения» and of «Мои брони»: the same access
# check (`permissions.get_booking_for_user`) and services (`rooms.booking_*`) as the pages.


@router.post(
    "/room-bookings/{int:pk}/confirm",
    response=BookingOut,
    summary="Confirm a requested room booking (the resource centre's staff)",
)
def confirm_booking(request: HttpRequest, pk: int) -> RoomBooking:
    """Counted as property support of the organisation. Anyone but staff: 403, whether or
    not the booking exists; a booking already decided: 409."""
    user = api_user(request)
    booking = permissions.get_booking_for_user(user, pk, action="decide")
    return rooms.booking_confirm(actor=user, booking=booking)


@router.post(
    "/room-bookings/{int:pk}/decline",
    response=BookingOut,
    summary="Decline a requested room booking with a reason (the resource centre's staff)",
)
def decline_booking(request: HttpRequest, pk: int, payload: BookingDeclineIn) -> RoomBooking:
    """The reason is told to the person who booked (a blank one: 422 at `reason`). Anyone
    but staff: 403; a booking already decided: 409."""
    user = api_user(request)
    booking = permissions.get_booking_for_user(user, pk, action="decide")
    return rooms.booking_decline(actor=user, booking=booking, reason=payload.reason)


@router.post(
    "/room-bookings/{int:pk}/cancel",
    response=BookingOut,
    summary="Give back a booked room's time (the person who booked, until it begins)",
)
def cancel_booking(request: HttpRequest, pk: int) -> RoomBooking:
    """Someone else's booking is a 404 (staff, who see every booking: 403); one that no
    longer holds the room or has begun: 409. A confirmed one's support entry goes too."""
    user = api_user(request)
    booking = permissions.get_booking_for_user(user, pk)
    return rooms.booking_cancel(user=user, booking=booking)


class LibraryItemOut(Schema):
    id: int
    title: str
    kind: str
    category: str | None = nested("category.name")
    tags: list[str]
    description: str
    url: str
    members_only: bool
    download_count: int
    page: str

    @staticmethod
    def resolve_tags(obj: LibraryItem) -> list[str]:
        return obj.tag_list

    @staticmethod
    def resolve_page(obj: LibraryItem) -> str:
        return obj.get_absolute_url()


@router.get(
    "/library",
    response=list[LibraryItemOut],
    auth=OPTIONAL_AUTH,
    summary="Search the НКО library (members-only items for those who may read them)",
)
@paginate(Pages, page_size=20)
def library_search(
    request: HttpRequest, q: SearchText = "", kind: LibraryItem.Kind | None = None
) -> object:
    viewer = api_viewer(request)
    items = permissions.library_items_for_user(viewer).select_related("category")
    if kind:
        items = items.filter(kind=kind)
    return library.search(items, q)


class TaskOut(Schema):
    id: int
    title: str
    owner_id: int
    due_on: date
    done_at: datetime | None


class GroupDecisionOut(Schema):
    id: int
    text: str
    tasks: list[TaskOut]

    @staticmethod
    def resolve_tasks(obj: Decision) -> list[GroupTask]:
        return list(obj.tasks.all())


class GroupMeetingOut(Schema):
    id: int
    starts_at: datetime
    place: str
    agenda: str
    minutes: str
    decisions: list[GroupDecisionOut]

    @staticmethod
    def resolve_decisions(obj: Meeting) -> list[Decision]:
        return list(obj.decisions.all())


class GroupOut(Schema):
    id: int
    title: str
    topic: str
    is_active: bool
    meetings: list[GroupMeetingOut]

    @staticmethod
    def resolve_meetings(obj: ProjectGroup) -> list[Meeting]:
        return list(obj.meetings.all())


class GroupMeetingIn(InputSchema):
    starts_at: Moment
    place: str = Field("", max_length=text_limit(Meeting, "place"))
    agenda: str = Field(min_length=1, max_length=text_limit(Meeting, "agenda"))


class GroupDecisionIn(InputSchema):
    text: str = Field(min_length=1, max_length=text_limit(Decision, "text"))
    task: str = Field("", max_length=text_limit(GroupTask, "title"))
    owner: Id | None = None
    due_on: Day | None = None


# A group with what `GroupOut` shows, in a fixed number of queries however many groups.
_GROUP_TREE = "meetings__decisions__tasks"


def _group(user: User, pk: int) -> ProjectGroup:
    group = get_object_or_404(ProjectGroup.objects.prefetch_related(_GROUP_TREE), pk=pk)
    if not groups.can_view_group(user, group):
        raise Http404
    return group


@router.get(
    "/groups",
    response=list[GroupOut],
    summary="My project groups (all, for staff), active first, as «Проектные группы»",
)
@paginate(Pages, page_size=selectors.GROUPS_PAGE)
def list_groups(request: HttpRequest) -> object:
    return selectors.visible_groups(api_user(request)).prefetch_related(_GROUP_TREE)


@router.get(
    "/groups/{int:pk}",
    response=GroupOut,
    summary="A project group with meetings, decisions and tasks",
)
def get_group(request: HttpRequest, pk: int) -> ProjectGroup:
    return _group(api_user(request), pk)


@router.post(
    "/groups/{int:pk}/meetings",
    response={201: GroupMeetingOut},
    summary="Schedule a meeting (lead)",
)
def add_meeting(request: HttpRequest, pk: int, payload: GroupMeetingIn) -> Status[Meeting]:
    user = api_user(request)
    group = _group(user, pk)
    if not groups.can_lead_group(user, group):
        raise PermissionDenied
    return Status(201, groups.meeting_create(actor=user, group=group, **payload.dict()))


@router.post(
    "/meetings/{int:pk}/decisions",
    response={201: GroupDecisionOut},
    summary="Record a decision, optionally with a task",
)
def add_decision(request: HttpRequest, pk: int, payload: GroupDecisionIn) -> Status[Decision]:
    user = api_user(request)
    meeting = get_object_or_404(Meeting, pk=pk)
    group = _group(user, meeting.group_id)
    if not groups.can_lead_group(user, group):
        raise PermissionDenied
    data = payload.dict()
    owner_id = data.pop("owner")
    owner = User.objects.filter(pk=owner_id).first() if owner_id else None
    return Status(201, groups.decision_add(actor=user, meeting=meeting, owner=owner, **data))


@router.post("/tasks/{int:pk}/done", response=TaskOut, summary="Mark a task done (owner or lead)")
def mark_done(request: HttpRequest, pk: int) -> GroupTask:
    user = api_user(request)
    task = get_object_or_404(GroupTask.objects.select_related("decision__meeting"), pk=pk)
    group = _group(user, task.decision.meeting.group_id)
    if task.owner_id != user.pk and not groups.can_lead_group(user, group):
        raise PermissionDenied
    return groups.task_done(actor=user, task=task)
