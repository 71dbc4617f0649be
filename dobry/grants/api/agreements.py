"""After the award: the winners' agreements (made, signed with the scan, terminated), their
tranches (requested, paid), amendments (proposed, approved, rejected) and versions — the
same permission functions and services as the pages."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from dobry.accounts.auth import api_user
from dobry.api.fields import Amount, Day, Id, Money, Pages
from dobry.core.input_schema import InputSchema
from dobry.core.text_limits import MESSAGE
from dobry.grants import permissions
from dobry.grants.api.access import competition_for
from dobry.grants.models import Agreement, Amendment, Tranche
from dobry.grants.services import agreements as services

router = Router()
PAGE = 50


class BudgetLineOut(Schema):
    id: int
    position: int
    item: str
    amount: Money
    signed_amount: Money


class TrancheOut(Schema):
    id: int
    position: int
    planned_on: date
    amount: Money
    status: Tranche.Status
    requested_at: datetime | None
    paid_on: date | None
    payment_order: str


class ReportDueOut(Schema):
    kind: str
    period_ends_on: date
    working_days: int
    due_on: date


class AmendmentOut(Schema):
    id: int
    kind: Amendment.Kind
    status: Amendment.Status
    reason: str
    changes: dict[str, Any]
    proposed_at: datetime
    decided_at: datetime | None
    decision_comment: str
    version: int | None


class VersionOut(Schema):
    version: int
    made_at: datetime
    reason: str
    snapshot: dict[str, Any]


class AgreementRowOut(Schema):
    id: int
    number: str
    concluded_on: date
    application_id: int
    grantee: str
    project: str
    amount: Money
    status: Agreement.Status
    version: int

    @staticmethod
    def resolve_grantee(obj: Agreement) -> str:
        return obj.application.applicant_name

    @staticmethod
    def resolve_project(obj: Agreement) -> str:
        return obj.application.title


class AgreementOut(AgreementRowOut):
    starts_on: date
    ends_on: date
    signed_on: date | None
    has_signed_scan: bool
    terminated_reason: str
    calendar: list[dict[str, str]]
    indicators: list[dict[str, str]]
    lines: list[BudgetLineOut]
    tranches: list[TrancheOut]
    reports_due: list[ReportDueOut]
    amendments: list[AmendmentOut]
    versions: list[VersionOut]

    @staticmethod
    def resolve_has_signed_scan(obj: Agreement) -> bool:
        return bool(obj.signed_scan)

    @staticmethod
    def resolve_lines(obj: Agreement) -> list[Any]:
        return list(obj.lines.all())

    @staticmethod
    def resolve_tranches(obj: Agreement) -> list[Any]:
        return list(obj.tranches.all())

    @staticmethod
    def resolve_reports_due(obj: Agreement) -> list[Any]:
        return list(obj.reports_due.all())

    @staticmethod
    def resolve_amendments(obj: Agreement) -> list[Any]:
        return list(obj.amendments.all())

    @staticmethod
    def resolve_versions(obj: Agreement) -> list[Any]:
        return list(obj.versions.all())


class TerminationIn(InputSchema):
    reason: str = Field(min_length=1, max_length=MESSAGE)


class PaymentIn(InputSchema):
    payment_order: str = Field(min_length=1, max_length=services.PAYMENT_ORDER_MAX)
    paid_on: Day | None = None


class AgreementAmendmentIn(InputSchema):
    kind: Amendment.Kind
    reason: str = Field(min_length=1, max_length=MESSAGE)
    lines: dict[Id, Amount] = Field(
        default_factory=dict, description="budget: line id → its new amount in roubles"
    )
    ends_on: Day | None = Field(None, description="dates: the project's new last day")
    tranches: dict[Id, Day] = Field(
        default_factory=dict, description="dates: unpaid tranche id → its new planned day"
    )


class RejectionIn(InputSchema):
    reason: str = Field(min_length=1, max_length=MESSAGE)


class ApprovalIn(InputSchema):
    comment: str = Field("", max_length=MESSAGE)


def _agreement(request: HttpRequest, pk: int, action: str = "view") -> Agreement:
    return permissions.get_agreement_for_user(api_user(request), pk, action=action)


@router.get(
    "/competitions/{int:pk}/agreements",
    response=list[AgreementRowOut],
    summary="The winners' agreements of a competition (organisers)",
)
@paginate(Pages, page_size=PAGE)
def competition_agreements(request: HttpRequest, pk: int) -> Any:
    competition = competition_for(request, pk, action="manage")
    return (
        Agreement.objects.filter(application__competition=competition)
        .select_related("application__organization", "application__applicant")
        .order_by("number", "pk")
    )


@router.post(
    "/competitions/{int:pk}/agreements",
    response={201: list[AgreementRowOut]},
    summary="Prepare a draft agreement for each winner without one (after the decision)",
)
def agreements_prepare(request: HttpRequest, pk: int) -> Status[list[Agreement]]:
    competition = competition_for(request, pk, action="manage")
    made = services.agreements_prepare(actor=api_user(request), competition=competition)
    return Status(201, made)


@router.get(
    "/agreements/{int:pk}",
    response=AgreementOut,
    summary="An agreement with its budget, tranches, reports due, amendments and versions",
)
def agreement_detail(request: HttpRequest, pk: int) -> Agreement:
    return _agreement(request, pk)


@router.post(
    "/agreements/{int:pk}/signature",
    response=AgreementOut,
    summary="Record the signing: the day and the signed scan (PDF, JPEG or PNG; multipart)",
)
def agreement_sign(
    request: HttpRequest, pk: int, signed_on: Form[Day], file: File[UploadedFile]
) -> Agreement:
    agreement = _agreement(request, pk, "manage")
    return services.agreement_sign(
        actor=api_user(request), agreement=agreement, signed_on=signed_on, upload=file
    )


@router.post(
    "/agreements/{int:pk}/termination", response=AgreementOut, summary="Terminate the agreement"
)
def agreement_terminate(request: HttpRequest, pk: int, payload: TerminationIn) -> Agreement:
    agreement = _agreement(request, pk, "manage")
    return services.agreement_terminate(
        actor=api_user(request), agreement=agreement, reason=payload.reason
    )


def _tranche(request: HttpRequest, pk: int) -> Tranche:
    tranche = get_object_or_404(Tranche, pk=pk)
    tranche.agreement = _agreement(request, tranche.agreement_id)
    return tranche


@router.post(
    "/tranches/{int:pk}/request",
    response=TrancheOut,
    summary="Ask for a planned tranche (the grantee or the organisers)",
)
def tranche_request(request: HttpRequest, pk: int) -> Tranche:
    return services.tranche_request(actor=api_user(request), tranche=_tranche(request, pk))


@router.post(
    "/tranches/{int:pk}/payment",
    response=TrancheOut,
    summary="Record that a requested tranche was paid, with the payment order (organisers)",
)
def tranche_pay(request: HttpRequest, pk: int, payload: PaymentIn) -> Tranche:
    return services.tranche_pay(
        actor=api_user(request),
        tranche=_tranche(request, pk),
        payment_order=payload.payment_order,
        paid_on=payload.paid_on,
    )


@router.post(
    "/agreements/{int:pk}/amendments",
    response={201: AmendmentOut},
    summary="Propose a change: money between budget lines within the limit, or dates",
)
def amendment_propose(
    request: HttpRequest, pk: int, payload: AgreementAmendmentIn
) -> Status[Amendment]:
    agreement = _agreement(request, pk)
    values: dict[str, Any] = {"kind": payload.kind, "reason": payload.reason}
    if payload.kind == Amendment.Kind.BUDGET:
        values["lines"] = payload.lines
    else:
        values |= {"ends_on": payload.ends_on, "tranches": payload.tranches}
    amendment = services.amendment_propose(actor=api_user(request), agreement=agreement, **values)
    return Status(201, amendment)


def _amendment(request: HttpRequest, pk: int) -> Amendment:
    amendment = get_object_or_404(Amendment, pk=pk)
    amendment.agreement = _agreement(request, amendment.agreement_id)
    return amendment


@router.post(
    "/amendments/{int:pk}/approval",
    response=AmendmentOut,
    summary="Approve a proposed change: applied, the agreement's next version (organisers)",
)
def amendment_approve(request: HttpRequest, pk: int, payload: ApprovalIn) -> Amendment:
    return services.amendment_approve(
        actor=api_user(request), amendment=_amendment(request, pk), comment=payload.comment
    )


@router.post(
    "/amendments/{int:pk}/rejection",
    response=AmendmentOut,
    summary="Reject a proposed change, saying why (organisers)",
)
def amendment_reject(request: HttpRequest, pk: int, payload: RejectionIn) -> Amendment:
    return services.amendment_reject(
        actor=api_user(request), amendment=_amendment(request, pk), reason=payload.reason
    )
