"""Applications: a draft started, saved and submitted by the applicant, withdrawn, and
screened by the organisers."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.responses import Status

from dobry.accounts.auth import api_user
from dobry.accounts.models import User
from dobry.api.fields import Id, Moment, Money
from dobry.core.input_schema import InputSchema
from dobry.core.text_limits import text_limit
from dobry.grants import permissions, results
from dobry.grants.api.access import application_for, competition_for, require
from dobry.grants.models import Application, Competition
from dobry.grants.services import applications
from dobry.organizations.models import Organization

router = Router()


class ApplicationCreate(InputSchema):
    organization: Id | None = Field(
        None, description="the applying organisation (not for residents' contests)"
    )


class ApplicationIn(InputSchema):
    title: str | None = Field(None, max_length=300)
    content: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            "texts: summary, problem, target_group, goals, tasks, team, partners; tables: "
            "calendar [{title, starts_on, ends_on}], indicators [{name, unit, target}], "
            "budget [{item, quantity, unit_cost, requested, cofinancing, cofinancing_source}]"
        ),
    )


class ApplicationOut(Schema):
    id: int
    competition_id: int
    number: str
    status: str
    title: str
    applicant: str | None = Field(
        None,
        description="who applies: the organisation's name, or the person's when one applies "
        "alone; null when hidden (blind review)",
    )
    organization_id: int | None = None
    organization: str | None = Field(
        None,
        description="the applying organisation's name; null for a person applying alone, "
        "or when hidden (blind review)",
    )
    content: dict[str, Any]

    @staticmethod
    def resolve_applicant(obj: Application | dict[str, Any]) -> str | None:
        # an Application, or the dict `_application_out` made of one (names may be hidden)
        return obj.get("applicant") if isinstance(obj, dict) else obj.applicant_name

    @staticmethod
    def resolve_organization(obj: Application | dict[str, Any]) -> str | None:
        if isinstance(obj, dict):
            return obj.get("organization")
        return str(obj.organization) if obj.organization_id else None

    requested_amount: Money
    submitted_at: datetime | None
    screening_reason: str
    screening_comment: str
    returned_until: datetime | None
    score: Decimal | None = None
    awarded_amount: Money | None = None
    result: Application.Result | None = Field(
        None,
        description="the commission's decision on an admitted application: to the organisers "
        "once taken, to everyone else once the results are published",
    )
    status_label: str = Field(
        "", description="the state in words at its latest stage («победитель, грант N ₽»)"
    )

    @staticmethod
    def resolve_result(obj: Application | dict[str, Any]) -> str | None:
        value = obj.get("result") if isinstance(obj, dict) else obj.result
        return value or None


class ScreeningIn(InputSchema):
    decision: Application.Status
    reason: Application.Reason | None = None
    comment: str = Field("", max_length=text_limit(Application, "screening_comment"))
    returned_until: Moment | None = None


def _application_out(user: User, application: Application) -> dict[str, Any]:
    """Applicant names are hidden from experts under blind review; the score is for the
    organisers (and for everyone once the results are published)."""
    data = ApplicationOut.from_orm(application).dict()
    manager = permissions.can_manage(user, application.competition)
    hide_names = (
        application.competition.blind_review
        and not manager
        and not permissions.is_applicant(user, application)
    )
    data["applicant"] = None if hide_names else application.applicant_name
    if hide_names:
        data["organization_id"] = None
        data["organization"] = None
    published = application.competition.status == Competition.Status.RESULTS
    if not (manager or published):
        data["score"] = None
        data["awarded_amount"] = None
    decided = results.decision_visible(application, staff=bool(manager))
    data["result"] = application.result if decided and application.result else None
    data["status_label"] = results.status_label(application, staff=bool(manager))
    return data


@router.post(
    "/competitions/{int:pk}/applications",
    response={201: ApplicationOut},
    summary="Start an application (a draft)",
)
def application_create(
    request: HttpRequest, pk: int, payload: ApplicationCreate
) -> Status[dict[str, Any]]:
    user = api_user(request)
    competition = competition_for(request, pk)
    organization = (
        get_object_or_404(Organization, pk=payload.organization) if payload.organization else None
    )
    application = applications.application_create(
        user=user, competition=competition, organization=organization
    )
    return Status(201, _application_out(user, application))


@router.get("/applications/{int:pk}", response=ApplicationOut, summary="An application")
def application_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _application_out(api_user(request), application_for(request, pk))


@router.patch(
    "/applications/{int:pk}", response=ApplicationOut, summary="Save the draft (only what is sent)"
)
def application_save(request: HttpRequest, pk: int, payload: ApplicationIn) -> dict[str, Any]:
    user = api_user(request)
    application = applications.application_save(
        user=user,
        application=application_for(request, pk),
        title=payload.title,
        content=payload.content,
    )
    return _application_out(user, application)


@router.post("/applications/{int:pk}/submit", response=ApplicationOut, summary="Submit")
def application_submit(request: HttpRequest, pk: int) -> dict[str, Any]:
    user = api_user(request)
    application = applications.application_submit(
        user=user, application=application_for(request, pk)
    )
    return _application_out(user, application)


@router.post("/applications/{int:pk}/withdraw", response=ApplicationOut, summary="Withdraw")
def application_withdraw(request: HttpRequest, pk: int) -> dict[str, Any]:
    user = api_user(request)
    application = applications.application_withdraw(
        user=user, application=application_for(request, pk)
    )
    return _application_out(user, application)


@router.post(
    "/applications/{int:pk}/screening", response=ApplicationOut, summary="Admit, return or refuse"
)
def application_screen(request: HttpRequest, pk: int, payload: ScreeningIn) -> dict[str, Any]:
    user = api_user(request)
    application = application_for(request, pk)
    require(permissions.can_manage(user, application.competition))
    application = applications.application_screen(
        actor=user,
        application=application,
        decision=payload.decision,
        reason=payload.reason or "",
        comment=payload.comment,
        returned_until=payload.returned_until,
    )
    return _application_out(user, application)
