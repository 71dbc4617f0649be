"""Mailings through the API (staff only): compose, test, schedule, cancel, progress and
statistics; segments with their size; the import of contacts. The same permission
function, selectors and services as the pages."""

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StringConstraints

from dobry.accounts.auth import api_user
from dobry.accounts.models import User
from dobry.api.fields import Id, Moment, Pages
from dobry.communications import permissions
from dobry.communications.mailings import compose, contacts, segments, selectors, services
from dobry.communications.models import Mailing, Segment
from dobry.core.errors import DomainError, PermissionDenied
from dobry.core.input_schema import InputSchema
from dobry.core.text_limits import text_limit

router = Router(tags=["mailings"])

Subject = Annotated[str, StringConstraints(min_length=1, max_length=text_limit(Mailing, "subject"))]
BodyText = Annotated[
    str, StringConstraints(min_length=1, max_length=text_limit(Mailing, "body_text"))
]
BodyHtml = Annotated[str, StringConstraints(max_length=text_limit(Mailing, "body_html"))]
Name = Annotated[str, StringConstraints(min_length=1, max_length=text_limit(Segment, "name"))]
Code = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[a-z_]+$")]
Source = Annotated[str, StringConstraints(max_length=200)]


def _staff(request: HttpRequest) -> User:
    user = api_user(request)
    decision = permissions.can_manage_mailings(user)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    return user


class MailingIn(InputSchema):
    subject: Subject
    body_text: BodyText
    body_html: BodyHtml = Field("", description="sanitised: formatting, links and images only")
    segment_id: Id
    news_id: Id | None = Field(
        None, description="a published news item to insert at the end (title, lead, link)"
    )
    events_days: int | None = Field(
        None,
        ge=1,
        le=compose.EVENTS_DAYS_MAX,
        description="insert the published events of the next N days at the end",
    )

    def insert(self) -> compose.Insert | None:
        """What to insert; a news item that is not published is a 422 naming news_id."""
        if self.news_id is None and not self.events_days:
            return None
        news = compose.published_news(self.news_id)
        return compose.Insert(news=news, events_days=self.events_days)


EXCLUDED = {"segment_id", "news_id", "events_days"}


class MailingOut(Schema):
    id: int
    subject: str
    body_text: str
    body_html: str
    segment_id: int
    status: Mailing.Status
    scheduled_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None


class ScheduleIn(InputSchema):
    at: Moment | None = Field(
        None, description="when to send; without an offset, city time; now if empty"
    )


class Counts(Schema):
    queued: int
    sending: int
    sent: int
    failed: int
    suppressed: int


class Stats(Schema):
    sent: int
    failed: int
    suppressed: int
    bounced: int = Field(description="messages the provider or the bounce mailbox reported")
    complained: int = Field(description="messages their recipient marked as spam")
    unsubscribed: int = Field(description="recipients who left by this mailing's link")


class ProgressOut(Schema):
    status: Mailing.Status
    total: int
    done: int
    percent: int
    counts: Counts
    stats: Stats


class SegmentIn(InputSchema):
    name: Name
    roles: list[Segment.Role] = Field(default_factory=list, max_length=10)
    organization_kinds: list[Code] = Field(default_factory=list, max_length=20)
    areas: list[Code] = Field(default_factory=list, max_length=30)
    district_ids: list[Id] = Field(default_factory=list, max_length=100)
    active_months: int | None = Field(None, ge=1, le=120)


class SegmentOut(Schema):
    id: int
    name: str
    roles: list[str]
    organization_kinds: list[str]
    areas: list[str]
    active_months: int | None


class SegmentSizeOut(SegmentOut):
    size: int = Field(description="how many addresses it reaches now, each once")


class ImportIn(InputSchema):
    email_column: int = Field(ge=0, le=200, description="0-based column of the email")
    name_column: int | None = Field(None, ge=0, le=200)
    district_column: int | None = Field(None, ge=0, le=200)
    interests_column: int | None = Field(None, ge=0, le=200)
    source_column: int | None = Field(None, ge=0, le=200)
    source: Source = ""
    dry_run: bool = Field(False, description="check and report only; nothing is imported")


class RowError(Schema):
    line: int
    email: str
    errors: list[str]


class ImportOut(Schema):
    rows: int
    created: int
    existing: int
    errors: list[RowError]


def _segment(user: User, segment_id: int) -> Segment:
    return permissions.get_segment_for_user(user, segment_id)


@router.get("/mailings", response=list[MailingOut], summary="Mailings, newest first")
@paginate(Pages, page_size=30)
def list_mailings(request: HttpRequest) -> object:
    _staff(request)
    return selectors.mailings()


@router.post("/mailings", response={201: MailingOut}, summary="Compose a mailing (a draft)")
def create_mailing(request: HttpRequest, payload: MailingIn) -> Status:
    user = _staff(request)
    segment = _segment(user, payload.segment_id)
    data = payload.dict(exclude=EXCLUDED)
    mailing = services.mailing_save(actor=user, segment=segment, insert=payload.insert(), **data)
    return Status(201, mailing)


@router.get("/mailings/{int:pk}", response=MailingOut, summary="One mailing")
def get_mailing(request: HttpRequest, pk: int) -> Mailing:
    return permissions.get_mailing_for_user(_staff(request), pk)


@router.put("/mailings/{int:pk}", response=MailingOut, summary="Change a draft")
def update_mailing(request: HttpRequest, pk: int, payload: MailingIn) -> Mailing:
    user = _staff(request)
    mailing = permissions.get_mailing_for_user(user, pk)
    segment = _segment(user, payload.segment_id)
    data = payload.dict(exclude=EXCLUDED)
    insert = payload.insert()
    return services.mailing_save(
        actor=user, mailing=mailing, segment=segment, insert=insert, **data
    )


@router.post("/mailings/{int:pk}/test", response={202: None}, summary="Send it to myself")
def test_mailing(request: HttpRequest, pk: int) -> Status:
    user = _staff(request)
    services.mailing_test_send(actor=user, mailing=permissions.get_mailing_for_user(user, pk))
    return Status(202, None)


@router.post("/mailings/{int:pk}/schedule", response=MailingOut, summary="Schedule a draft")
def schedule_mailing(request: HttpRequest, pk: int, payload: ScheduleIn) -> Mailing:
    user = _staff(request)
    mailing = permissions.get_mailing_for_user(user, pk)
    return services.mailing_schedule(actor=user, mailing=mailing, at=payload.at)


@router.post("/mailings/{int:pk}/cancel", response=MailingOut, summary="Cancel a mailing")
def cancel_mailing(request: HttpRequest, pk: int) -> Mailing:
    user = _staff(request)
    mailing = permissions.get_mailing_for_user(user, pk)
    return services.mailing_cancel(actor=user, mailing=mailing)


@router.get(
    "/mailings/{int:pk}/progress",
    response=ProgressOut,
    summary="Deliveries by state (the progress bar) and the statistics",
)
def mailing_progress(request: HttpRequest, pk: int) -> dict:
    mailing = permissions.get_mailing_for_user(_staff(request), pk)
    return {"status": mailing.status, **selectors.progress(mailing)}


@router.get("/mailings/{int:pk}/stats", response=Stats, summary="A mailing's statistics")
def mailing_stats(request: HttpRequest, pk: int) -> dict:
    mailing = permissions.get_mailing_for_user(_staff(request), pk)
    return selectors.progress(mailing)["stats"]


@router.get("/mailing-segments", response=list[SegmentOut], summary="Saved segments")
@paginate(Pages, page_size=30)
def list_segments(request: HttpRequest) -> object:
    _staff(request)
    return Segment.objects.order_by("name", "pk")


@router.post("/mailing-segments", response={201: SegmentSizeOut}, summary="Save a segment")
def create_segment(request: HttpRequest, payload: SegmentIn) -> Status:
    user = _staff(request)
    segment = services.segment_save(actor=user, **payload.dict())
    return Status(201, _with_size(segment))


@router.get(
    "/mailing-segments/{int:pk}",
    response=SegmentSizeOut,
    summary="A segment with its size now (one COUNT)",
)
def get_segment(request: HttpRequest, pk: int) -> dict:
    return _with_size(_segment(_staff(request), pk))


@router.put("/mailing-segments/{int:pk}", response=SegmentSizeOut, summary="Change a segment")
def update_segment(request: HttpRequest, pk: int, payload: SegmentIn) -> dict:
    user = _staff(request)
    segment = services.segment_save(actor=user, segment=_segment(user, pk), **payload.dict())
    return _with_size(segment)


def _with_size(segment: Segment) -> dict:
    return {
        "id": segment.pk,
        "name": segment.name,
        "roles": segment.roles,
        "organization_kinds": segment.organization_kinds,
        "areas": segment.areas,
        "active_months": segment.active_months,
        "size": segments.segment_size(segment),
    }


@router.post(
    "/mailing-contacts/import",
    response=ImportOut,
    summary="Import contacts from CSV or XLSX; each new one gets the double opt-in email",
)
def import_contacts(
    request: HttpRequest, payload: Form[ImportIn], file: File[UploadedFile]
) -> dict:
    user = _staff(request)
    table = contacts.read_table(file.read(), file.name or "")
    mapping = {
        "email": payload.email_column,
        "name": payload.name_column,
        "district": payload.district_column,
        "interests": payload.interests_column,
        "source": payload.source_column,
    }
    try:
        rows = contacts.check_rows(table, mapping, payload.source)
    except DomainError as error:
        # The mapping's fields are named here as the caller sent them: `email_column`.
        raise DomainError(
            error.message,
            field_errors={f"{name}_column": found for name, found in error.field_errors.items()},
        ) from None
    bad = [row for row in rows if row.errors]
    if payload.dry_run:
        # What the import would do now: the good rows not yet contacts are created.
        existing = sum(1 for row in rows if row.exists and not row.errors)
        created = sum(1 for row in rows if not row.exists and not row.errors)
    else:
        report = contacts.contacts_import(actor=user, rows=rows)
        created, existing = report.created, report.existing
    return {
        "rows": len(rows),
        "created": created,
        "existing": existing,
        "errors": [{"line": r.line, "email": r.email, "errors": r.errors} for r in bad],
    }
