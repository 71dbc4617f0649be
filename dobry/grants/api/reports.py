"""The grantee's reports: opened on a signed agreement, filled, files attached, submitted,
returned with a comment per section or accepted (the final one with the project's rating);
the organisers' queue; the project's links to the platform's events and programmes. The
same permission functions, selectors and services as the pages."""

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from dobry.accounts.auth import api_user
from dobry.api.fields import Id, Pages, chosen_object, known_object
from dobry.api.moves import register_moves
from dobry.core.clock import local_today
from dobry.core.errors import PermissionDenied
from dobry.core.input_schema import InputSchema
from dobry.events.models import Event
from dobry.grants import permissions, selectors
from dobry.grants.models import (
    REPORT_WORKFLOW,
    GrantReport,
    ReportDue,
    ReportFile,
    ReportVersion,
)
from dobry.grants.reporting import content as sections
from dobry.grants.reporting.deadlines import is_late
from dobry.grants.services import reports as services
from dobry.helprequests.models import Programme

router = Router()
PAGE = 50
Comment = Annotated[str, Field(max_length=services.COMMENT_MAX)]
COMMENTS_HELP = f"section ({', '.join(sections.SECTIONS)}) → the comment on it"


class GrantReportFileOut(Schema):
    id: int
    version: int
    kind: ReportFile.Kind
    line_id: int | None
    file_name: str
    url: str

    @staticmethod
    def resolve_url(obj: ReportFile) -> str:
        return obj.file.url


class GrantReportVersionOut(Schema):
    version: int
    content: dict[str, Any]
    figures: dict[str, Any] = Field(
        description="counted by the platform from its records: {from, to, values}"
    )
    submitted_at: datetime | None
    decision: str
    comments: dict[str, str]
    decided_at: datetime | None


class GrantReportRowOut(Schema):
    id: int
    agreement_id: int
    kind: ReportDue.Kind
    status: GrantReport.Status
    version: int
    submitted_at: datetime | None
    submitted_late: bool
    rating: str


class GrantReportOut(GrantReportRowOut):
    due_on: date | None
    late: bool
    versions: list[GrantReportVersionOut]
    files: list[GrantReportFileOut]


class GrantReportQueueRowOut(Schema):
    agreement_id: int
    agreement_number: str
    grantee: str
    kind: ReportDue.Kind
    due_on: date
    late: bool
    state: str
    report_id: int | None


class GrantReportQueueFilter(InputSchema):
    state: str = Field("", pattern=f"^({'|'.join(selectors.QUEUE_STATES)})?$")
    competition: Id | None = Field(
        None, description="A competition whose reports the caller keeps (else a 422)."
    )
    kind: ReportDue.Kind | None = None
    late: bool | None = Field(None, description="true: late ones only; false: on time.")


class GrantReportOpenIn(InputSchema):
    kind: ReportDue.Kind


class GrantReportIn(InputSchema):
    """What the grantee fills (see the report's `content`): rows matched by position
    (activities, indicators) and by the budget line's id (spending)."""

    activities: list[dict[str, Any]] = Field(default_factory=list, max_length=200)
    indicators: list[dict[str, Any]] = Field(default_factory=list, max_length=200)
    spending: list[dict[str, Any]] = Field(default_factory=list, max_length=200)
    publications: list[dict[str, Any]] = Field(default_factory=list, max_length=200)
    participants: int | None = Field(None, ge=0, le=sections.COUNT_MAX)
    recipients: int | None = Field(None, ge=0, le=sections.COUNT_MAX)


class GrantReportReturnIn(InputSchema):
    comments: dict[str, Comment] = Field(default_factory=dict, description=COMMENTS_HELP)


class GrantReportAcceptIn(InputSchema):
    comments: dict[str, Comment] = Field(default_factory=dict, description=COMMENTS_HELP)
    rating: GrantReport.Rating | None = Field(None, description="the final report's only")


class GrantProjectLinksIn(InputSchema):
    events: list[Id] = Field(default_factory=list, max_length=200)
    programmes: list[Id] = Field(default_factory=list, max_length=200)


def _detail(report: GrantReport) -> dict[str, Any]:
    due = ReportDue.objects.filter(agreement_id=report.agreement_id, kind=report.kind).first()
    versions: list[ReportVersion] = list(report.versions.all())
    return {
        **{name: getattr(report, name) for name in GrantReportRowOut.model_fields},
        "due_on": due.due_on if due else None,
        "late": due is not None and is_late(report, due, local_today()),
        "versions": versions,
        "files": list(report.files.all()),
    }


def _report(request: HttpRequest, pk: int) -> GrantReport:
    return permissions.get_report_for_user(api_user(request), pk)


@router.get(
    "/reports", response=list[GrantReportQueueRowOut], summary="The queue of reports (organisers)"
)
@paginate(Pages, page_size=PAGE)
def report_queue(request: HttpRequest, filters: Query[GrantReportQueueFilter]) -> Any:
    user = api_user(request)
    # a filter naming nothing the caller keeps is a 422 naming it, as for every filter
    # (nobody else keeps any: an outsider learns nothing from it)
    competition = known_object(
        selectors.queue_competitions(user), filters.competition, name="competition"
    )
    if not (allowed := permissions.can_keep_reports(user)):
        raise PermissionDenied(str(allowed.reason))
    return [
        {
            "agreement_id": row.due.agreement_id,
            "agreement_number": row.due.agreement.number,
            "grantee": row.due.agreement.application.applicant_name,
            "kind": row.due.kind,
            "due_on": row.due.due_on,
            "late": row.late,
            "state": row.state,
            "report_id": row.report.pk if row.report else None,
        }
        for row in selectors.report_queue(
            user,
            local_today(),
            filters.state,
            competition=competition,
            kind=filters.kind or "",
            late=filters.late,
        )
    ]


@router.post(
    "/agreements/{int:pk}/reports",
    response={201: GrantReportOut},
    summary="Start the report of a kind the agreement asks for (the grantee); the same one again",
)
def report_open(
    request: HttpRequest, pk: int, payload: GrantReportOpenIn
) -> Status[dict[str, Any]]:
    agreement = permissions.get_agreement_for_user(api_user(request), pk)
    report = services.report_open(actor=api_user(request), agreement=agreement, kind=payload.kind)
    return Status(201, _detail(report))


@router.get(
    "/reports/{int:pk}",
    response=GrantReportOut,
    summary="A report with its versions (comments per section) and files",
)
def report_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _detail(_report(request, pk))


@router.put(
    "/reports/{int:pk}", response=GrantReportOut, summary="Fill the version being worked on"
)
def report_save(request: HttpRequest, pk: int, payload: GrantReportIn) -> dict[str, Any]:
    report = _report(request, pk)
    services.report_save(actor=api_user(request), report=report, data=payload.model_dump())
    return _detail(report)


@router.post(
    "/reports/{int:pk}/files",
    response={201: GrantReportFileOut},
    summary="Attach a receipt (optionally to a budget line) or a photo (multipart)",
)
def report_attach(
    request: HttpRequest,
    pk: int,
    kind: Form[ReportFile.Kind],
    file: File[UploadedFile],
    line: Form[Id | None] = None,
) -> Status[ReportFile]:
    report = _report(request, pk)
    attached = services.report_attach(
        actor=api_user(request), report=report, kind=kind, upload=file, line_id=line
    )
    return Status(201, attached)


@router.delete(
    "/report-files/{int:pk}",
    response={204: None},
    summary="Remove a file of the version being worked on",
)
def report_detach(request: HttpRequest, pk: int) -> Status[None]:
    attached = get_object_or_404(ReportFile, pk=pk)
    attached.report = _report(request, attached.report_id)
    services.report_detach(actor=api_user(request), attached=attached)
    return Status(204, None)


def _move_report(request: HttpRequest, pk: int, name: str) -> dict[str, Any]:
    report = _report(request, pk)
    return _detail(services.report_submit(actor=api_user(request), report=report))


register_moves(
    router,
    "/reports/{int:pk}",
    REPORT_WORKFLOW,
    _move_report,
    noun="report",
    response=GrantReportOut,
    summaries={"submit": "Submit the version being worked on (the grantee)"},
)


@router.post(
    "/reports/{int:pk}/return",
    response=GrantReportOut,
    summary="Return a submitted report with a comment on at least one section (organisers)",
)
def return_report(request: HttpRequest, pk: int, payload: GrantReportReturnIn) -> dict[str, Any]:
    report = _report(request, pk)
    returned = services.report_return(
        actor=api_user(request), report=report, comments=payload.comments
    )
    return _detail(returned)


@router.post(
    "/reports/{int:pk}/accept",
    response=GrantReportOut,
    summary="Accept a submitted report; the final one with the project's rating (organisers)",
)
def accept_report(request: HttpRequest, pk: int, payload: GrantReportAcceptIn) -> dict[str, Any]:
    report = _report(request, pk)
    accepted = services.report_accept(
        actor=api_user(request),
        report=report,
        comments=payload.comments,
        rating=payload.rating or "",
    )
    return _detail(accepted)


def _chosen(queryset: Any, pks: list[int], name: str) -> list[Any]:
    return [chosen_object(queryset, pk, name=name) for pk in dict.fromkeys(pks)]


@router.put(
    "/agreements/{int:pk}/links",
    response={204: None},
    summary="Name the grantee organisation's events and help programmes the project runs on",
)
def project_links(request: HttpRequest, pk: int, payload: GrantProjectLinksIn) -> Status[None]:
    user = api_user(request)
    agreement = permissions.get_agreement_for_user(user, pk)
    services.project_links_set(
        actor=user,
        agreement=agreement,
        events=_chosen(Event.objects.all(), payload.events, "events"),
        programmes=_chosen(Programme.objects.all(), payload.programmes, "programmes"),
    )
    return Status(204, None)
