"""The grant competition API: the whole process, from the call to the published results,
thin over the services and with the same visibility rules as the pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StringConstraints

from dobry.accounts.auth import api_user, api_viewer
from dobry.accounts.models import User
from dobry.api.auth import OPTIONAL_AUTH
from dobry.api.fields import Amount, Day, Id, Moment, Pages, sent_fields
from dobry.core.input_schema import InputSchema
from dobry.core.permissions import Decision
from dobry.core.text_limits import text_limit
from dobry.grants import permissions, results, selectors
from dobry.grants.content import TOO_MUCH
from dobry.grants.models import (
    Application,
    CommissionMember,
    Competition,
    Criterion,
    Expert,
    Meeting,
    Review,
)
from dobry.grants.rules import Rule
from dobry.grants.services import applications, competitions, decisions, reviews
from dobry.grants.services.reviews import COMMENT_LIMIT
from dobry.organizations.models import Organization

router = Router(tags=["grant competitions"])


def _require(decision: Decision) -> None:
    if not decision:
        raise PermissionDenied(str(decision.reason))


def _competition(request: HttpRequest, pk: int, *, manage: bool = False) -> Competition:
    competition = get_object_or_404(Competition, pk=pk)
    user = api_viewer(request)
    if not permissions.can_view_competition(user, competition):
        raise Http404
    if manage:
        _require(permissions.can_manage(user, competition))
    return competition


def _application(request: HttpRequest, pk: int) -> Application:
    application = permissions.get_application_for_user(api_user(request), pk)
    _require(permissions.can_view_application(api_user(request), application))
    return application


# --- competitions ------------------------------------------------------------------------


class CriterionOut(Schema):
    id: int
    position: int
    title: str
    description: str
    weight: Decimal
    max_score: int


class CompetitionOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    rules: str
    budget: Decimal
    min_grant: Decimal
    max_grant: Decimal
    eligible_kinds: list[str]
    local_only: bool
    min_registered_months: int
    one_per_applicant: bool
    applications_open: datetime
    applications_close: datetime
    review_deadline: datetime
    results_on: date
    sections: list[str]
    experts_per_application: int
    divergence_percent: Decimal
    comment_below: int
    passing_score: Decimal
    allocation_rule: str
    partial_funding: bool
    blind_review: bool
    lottery_winners: int
    lottery_amount: Decimal
    lottery_min_score: Decimal
    lottery_seed: str
    criteria: list[CriterionOut]

    @staticmethod
    def resolve_criteria(obj: Competition) -> list[Criterion]:
        return list(obj.criteria.all())


class CompetitionTerms(InputSchema):
    """Terms that may be set at creation and changed until the decision."""

    title: str | None = Field(None, min_length=1, max_length=300)
    rules: str | None = Field(None, max_length=text_limit(Competition, "rules"))
    budget: Amount | None = Field(None, gt=0, lt=TOO_MUCH)
    min_grant: Amount | None = Field(None, ge=0, lt=TOO_MUCH)
    max_grant: Amount | None = Field(None, gt=0, lt=TOO_MUCH)
    eligible_kinds: list[Organization.Kind] | None = None
    local_only: bool | None = None
    min_registered_months: int | None = Field(None, ge=0, le=600)
    one_per_applicant: bool | None = None
    applications_open: Moment | None = None
    applications_close: Moment | None = None
    review_deadline: Moment | None = None
    results_on: Day | None = None
    sections: list[str] | None = None
    experts_per_application: int | None = Field(None, ge=1, le=10)
    divergence_percent: Amount | None = Field(None, gt=0, le=100)
    comment_below: int | None = Field(None, ge=0, le=100)
    passing_score: Amount | None = Field(None, ge=0, lt=1_000_000)
    allocation_rule: Rule | None = None
    partial_funding: bool | None = None
    blind_review: bool | None = None
    lottery_winners: int | None = Field(None, ge=0, le=1000)
    lottery_amount: Amount | None = Field(None, ge=0, lt=TOO_MUCH)
    lottery_min_score: Amount | None = Field(None, ge=0, lt=1_000_000)
    lottery_seed: str | None = Field(None, max_length=64)


class CompetitionIn(CompetitionTerms):
    kind: Competition.Kind
    title: str = Field(min_length=1, max_length=300)
    budget: Amount = Field(gt=0, lt=TOO_MUCH)
    max_grant: Amount = Field(gt=0, lt=TOO_MUCH)
    applications_open: Moment
    applications_close: Moment
    review_deadline: Moment
    results_on: Day


class CriterionIn(InputSchema):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field("", max_length=text_limit(Criterion, "description"))
    weight: Amount = Field(gt=0, le=100)
    max_score: int = Field(10, ge=1, le=100)


@router.get(
    "/competitions",
    response=list[CompetitionOut],
    auth=OPTIONAL_AUTH,
    summary="Announced competitions (newest first)",
)
@paginate(Pages, page_size=20)
def competition_list(request: HttpRequest) -> Any:
    return Competition.objects.public().prefetch_related("criteria")


@router.post("/competitions", response={201: CompetitionOut}, summary="Set up a competition")
def competition_create(request: HttpRequest, payload: CompetitionIn) -> Status[Competition]:
    user = api_user(request)
    _require(permissions.can_create_competition(user))
    data = payload.dict(exclude_none=True)
    competition = competitions.competition_create(actor=user, **data)
    return Status(201, competition)


@router.get(
    "/competitions/{pk}", response=CompetitionOut, auth=OPTIONAL_AUTH, summary="A competition"
)
def competition_detail(request: HttpRequest, pk: int) -> Competition:
    return _competition(request, pk)


@router.patch("/competitions/{pk}", response=CompetitionOut, summary="Change the terms")
def competition_update(request: HttpRequest, pk: int, payload: CompetitionTerms) -> Competition:
    competition = _competition(request, pk, manage=True)
    return competitions.competition_update(
        actor=api_user(request), competition=competition, **sent_fields(payload)
    )


@router.post("/competitions/{pk}/publish", response=CompetitionOut, summary="Announce")
def competition_publish(request: HttpRequest, pk: int) -> Competition:
    competition = _competition(request, pk, manage=True)
    return competitions.competition_publish(actor=api_user(request), competition=competition)


@router.post("/competitions/{pk}/criteria", response={201: CriterionOut}, summary="Add a criterion")
def criterion_add(request: HttpRequest, pk: int, payload: CriterionIn) -> Status[Criterion]:
    competition = _competition(request, pk, manage=True)
    criterion = competitions.criterion_save(
        actor=api_user(request), competition=competition, **payload.dict()
    )
    return Status(201, criterion)


@router.put("/criteria/{pk}", response=CriterionOut, summary="Change a criterion")
def criterion_change(request: HttpRequest, pk: int, payload: CriterionIn) -> Criterion:
    criterion = get_object_or_404(Criterion, pk=pk)
    competition = _competition(request, criterion.competition_id, manage=True)
    return competitions.criterion_save(
        actor=api_user(request), competition=competition, criterion=criterion, **payload.dict()
    )


# --- applications ------------------------------------------------------------------------


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

    requested_amount: Decimal
    submitted_at: datetime | None
    screening_reason: str
    screening_comment: str
    returned_until: datetime | None
    score: Decimal | None = None
    awarded_amount: Decimal | None = None
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
    "/competitions/{pk}/applications",
    response={201: ApplicationOut},
    summary="Start an application (a draft)",
)
def application_create(
    request: HttpRequest, pk: int, payload: ApplicationCreate
) -> Status[dict[str, Any]]:
    user = api_user(request)
    competition = _competition(request, pk)
    organization = (
        get_object_or_404(Organization, pk=payload.organization) if payload.organization else None
    )
    application = applications.application_create(
        user=user, competition=competition, organization=organization
    )
    return Status(201, _application_out(user, application))


@router.get("/applications/{pk}", response=ApplicationOut, summary="An application")
def application_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _application_out(api_user(request), _application(request, pk))


@router.patch(
    "/applications/{pk}", response=ApplicationOut, summary="Save the draft (only what is sent)"
)
def application_save(request: HttpRequest, pk: int, payload: ApplicationIn) -> dict[str, Any]:
    user = api_user(request)
    application = applications.application_save(
        user=user,
        application=_application(request, pk),
        title=payload.title,
        content=payload.content,
    )
    return _application_out(user, application)


@router.post("/applications/{pk}/submit", response=ApplicationOut, summary="Submit")
def application_submit(request: HttpRequest, pk: int) -> dict[str, Any]:
    user = api_user(request)
    application = applications.application_submit(user=user, application=_application(request, pk))
    return _application_out(user, application)


@router.post("/applications/{pk}/withdraw", response=ApplicationOut, summary="Withdraw")
def application_withdraw(request: HttpRequest, pk: int) -> dict[str, Any]:
    user = api_user(request)
    application = applications.application_withdraw(
        user=user, application=_application(request, pk)
    )
    return _application_out(user, application)


@router.post(
    "/applications/{pk}/screening", response=ApplicationOut, summary="Admit, return or refuse"
)
def application_screen(request: HttpRequest, pk: int, payload: ScreeningIn) -> dict[str, Any]:
    user = api_user(request)
    application = _application(request, pk)
    _require(permissions.can_manage(user, application.competition))
    application = applications.application_screen(
        actor=user,
        application=application,
        decision=payload.decision,
        reason=payload.reason or "",
        comment=payload.comment,
        returned_until=payload.returned_until,
    )
    return _application_out(user, application)


# --- experts and reviews -----------------------------------------------------------------


class ExpertIn(InputSchema):
    user: Id | None = None
    email: str | None = Field(
        None, max_length=text_limit(User, "email"), description="or the person's account email"
    )
    sector: Expert.Sector


class ExpertOut(Schema):
    id: int
    user_id: int
    name: str
    sector: str
    is_active: bool
    load: int = 0

    @staticmethod
    def resolve_name(obj: Expert) -> str:
        return obj.user.display_name


class ConflictIn(InputSchema):
    conflict: bool
    reason: str = Field("", max_length=text_limit(Review, "conflict_reason"))


class RecusalIn(InputSchema):
    reason: str = Field("", max_length=text_limit(Review, "conflict_reason"))


class ReviewOut(Schema):
    id: int
    application_id: int
    competition_id: int
    status: str
    declared: bool
    for_divergence: bool
    due_at: datetime = Field(
        description="when the review is due: the competition's review deadline, or a "
        "replacement's own (set when assigned after that deadline)"
    )
    scores: dict[str, int]
    comments: dict[str, str]
    comment: str
    total: Decimal | None
    submitted_at: datetime | None

    @staticmethod
    def resolve_competition_id(obj: Review) -> int:
        return obj.application.competition_id

    @staticmethod
    def resolve_declared(obj: Review) -> bool:
        return obj.declared_at is not None


class OtherReviewOut(Schema):
    expert: str | None
    status: str
    scores: dict[str, int]
    comments: dict[str, str]
    comment: str
    total: Decimal | None


class AssignmentOut(Schema):
    """An expert's review of an application as the organisers follow it (no scores)."""

    id: int
    application_id: int
    number: str
    expert_id: int
    expert: str
    status: str
    for_divergence: bool
    due_at: datetime = Field(description="when the review is due (its own due time)")
    overdue: bool = Field(description="still unsubmitted at its due time")

    @staticmethod
    def resolve_number(obj: Review) -> str:
        return obj.application.number

    @staticmethod
    def resolve_expert(obj: Review) -> str:
        return obj.expert.user.display_name

    @staticmethod
    def resolve_overdue(obj: Review) -> bool:
        return obj.overdue()


class AssignmentIn(InputSchema):
    expert: Id
    due_on: Day | None = Field(
        None,
        description="after the competition's review deadline: the last day (city time) the "
        "replacement has; default: a few working days on. Refused before the deadline.",
    )


class DueIn(InputSchema):
    due_on: Day = Field(description="the last day (city time) the review has")


class WaitingApplicationOut(Schema):
    id: int
    number: str
    title: str


class FinalAllocationWaitOut(Schema):
    ready: bool = Field(description="the final allocation can be run")
    reviews: list[AssignmentOut] = Field(
        description="reviews assigned and not yet submitted, replacements' included"
    )
    needs_expert: list[WaitingApplicationOut] = Field(
        description="admitted applications short of experts, or due one more for diverging totals"
    )


# a criterion's id as a key of scores and comments
CriterionKey = Annotated[str, StringConstraints(max_length=20)]


class ReviewIn(InputSchema):
    scores: dict[CriterionKey, int | None] = Field(
        default_factory=dict, description="by criterion id"
    )
    comments: dict[CriterionKey, Annotated[str, StringConstraints(max_length=COMMENT_LIMIT)]] = (
        Field(default_factory=dict, description="by criterion id")
    )
    comment: str = Field("", max_length=text_limit(Review, "comment"))
    submit: bool = False


@router.get(
    "/competitions/{pk}/experts",
    response=list[ExpertOut],
    summary="The pool, with loads, in the order the experts joined (organisers)",
)
@paginate(Pages, page_size=selectors.EXPERTS_PAGE)
def expert_list(request: HttpRequest, pk: int) -> Any:
    return selectors.expert_pool(_competition(request, pk, manage=True))


@router.post(
    "/competitions/{pk}/experts", response={201: ExpertOut}, summary="Add an expert to the pool"
)
def expert_add(request: HttpRequest, pk: int, payload: ExpertIn) -> Status[Expert]:
    competition = _competition(request, pk, manage=True)
    if payload.user:
        person = get_object_or_404(User, pk=payload.user, is_active=True)
    else:
        person = get_object_or_404(
            User, email__iexact=(payload.email or "").strip(), is_active=True
        )
    expert = reviews.expert_add(
        actor=api_user(request), competition=competition, user=person, sector=payload.sector
    )
    return Status(201, expert)


@router.post(
    "/competitions/{pk}/assign",
    response=list[ReviewOut],
    summary="Assign experts to every admitted application (balanced, conflicts respected)",
)
def assign(request: HttpRequest, pk: int) -> list[Review]:
    competition = _competition(request, pk, manage=True)
    return reviews.assign_experts(actor=api_user(request), competition=competition)


@router.post(
    "/applications/{pk}/experts",
    response={201: AssignmentOut},
    summary="Put a particular expert on an application (after the review deadline: a "
    "replacement with its own due day)",
)
def review_assign(request: HttpRequest, pk: int, payload: AssignmentIn) -> Status[Review]:
    application = _application(request, pk)
    _require(permissions.can_manage(api_user(request), application.competition))
    expert = get_object_or_404(Expert, pk=payload.expert, competition=application.competition)
    review = reviews.review_assign(
        actor=api_user(request), application=application, expert=expert, due_on=payload.due_on
    )
    return Status(201, review)


@router.put(
    "/reviews/{pk}/due",
    response=AssignmentOut,
    summary="A new due day for an unsubmitted review, after the review deadline (organisers)",
)
def review_reschedule(request: HttpRequest, pk: int, payload: DueIn) -> Review:
    review = get_object_or_404(
        Review.objects.select_related("application__competition", "expert__user"), pk=pk
    )
    _competition(request, review.application.competition_id, manage=True)
    return reviews.review_reschedule(actor=api_user(request), review=review, due_on=payload.due_on)


@router.get(
    "/competitions/{pk}/final-allocation/wait",
    response=FinalAllocationWaitOut,
    summary="What the final allocation waits for: outstanding reviews with their due "
    "times, applications short of an expert (organisers)",
)
def final_allocation_wait(request: HttpRequest, pk: int) -> dict[str, Any]:
    competition = _competition(request, pk, manage=True)
    wait = selectors.final_allocation_wait(competition)
    return {"ready": wait.ready, "reviews": wait.reviews, "needs_expert": wait.needs_expert}


@router.post(
    "/applications/{pk}/conflicts",
    response=ReviewOut,
    summary="The assigned expert declares a conflict of interest (or that there is none)",
)
def conflict_declare(request: HttpRequest, pk: int, payload: ConflictIn) -> Review:
    user = api_user(request)
    application = permissions.get_application_for_user(user, pk)
    return reviews.conflict_declare(
        user=user,
        application=application,
        conflict=payload.conflict,
        reason=payload.reason,
    )


@router.post(
    "/reviews/{pk}/recusal",
    response=ReviewOut,
    summary="Set a review aside for a conflict of interest found late (the expert or staff)",
)
def review_recuse(request: HttpRequest, pk: int, payload: RecusalIn) -> Review:
    review = get_object_or_404(Review, pk=pk)
    return reviews.review_recuse(actor=api_user(request), review=review, reason=payload.reason)


@router.get(
    "/me/reviews",
    response=list[ReviewOut],
    summary="My reviews as an expert, in the order of «Мои экспертизы»",
)
@paginate(Pages, page_size=selectors.MY_REVIEWS_PAGE)
def my_reviews(request: HttpRequest) -> Any:
    return selectors.my_reviews(api_user(request))


def _own_review(request: HttpRequest, pk: int) -> Review:
    return permissions.get_review_for_user(api_user(request), pk)


@router.get("/reviews/{pk}", response=ReviewOut, summary="My review")
def review_detail(request: HttpRequest, pk: int) -> Review:
    return _own_review(request, pk)


@router.put("/reviews/{pk}", response=ReviewOut, summary="Score (and submit) my review")
def review_save(request: HttpRequest, pk: int, payload: ReviewIn) -> Review:
    return reviews.review_save(
        user=api_user(request),
        review=_own_review(request, pk),
        scores=payload.scores,
        comments=payload.comments,
        comment=payload.comment,
        submit=payload.submit,
    )


@router.get(
    "/applications/{pk}/reviews",
    response=list[OtherReviewOut],
    summary="The submitted reviews of an application (organisers; an expert after submitting)",
)
def application_reviews(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    user = api_user(request)
    application = permissions.get_application_for_user(user, pk)
    _require(permissions.can_see_reviews(user, application))
    return results.visible_reviews(user, application)


# --- ranking, allocation, decision, results ----------------------------------------------


class ExpertTotalOut(Schema):
    expert_id: int
    expert: str
    total: Decimal
    z_score: float | None


class RankedOut(Schema):
    rank: int
    application_id: int
    number: str
    title: str
    applicant: str
    score: Decimal
    requested: Decimal
    complete: bool
    totals: list[ExpertTotalOut]


class ResultRowOut(Schema):
    rank: int
    application_id: int
    number: str
    title: str
    applicant: str
    score: Decimal
    requested: Decimal
    awarded: Decimal
    tier: str


class ResultsOut(Schema):
    competition_id: int
    title: str
    budget: Decimal
    awarded_total: Decimal
    lottery_seed: str
    published_at: datetime | None
    applications: list[ResultRowOut]


class AllocationIn(InputSchema):
    final: bool = False


class AllocationOut(Schema):
    id: int
    final: bool
    rule: str
    created_at: datetime
    result: dict[str, Any]


class MemberIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    position: str = Field("", max_length=text_limit(CommissionMember, "position"))
    sector: Expert.Sector
    role: str = Field("member", max_length=text_limit(CommissionMember, "role"))
    present: bool = True


class CommissionMeetingIn(InputSchema):
    held_at: Moment
    place: str = Field("", max_length=text_limit(Meeting, "place"))
    agenda: str = Field("", max_length=text_limit(Meeting, "agenda"))
    quorum: int = Field(ge=1)
    members: list[MemberIn]


class AmendmentIn(InputSchema):
    application: Id
    amount: Amount = Field(ge=0)
    reason: str = Field(min_length=1, max_length=2000)


class CommissionDecisionIn(InputSchema):
    amendments: list[AmendmentIn] = Field(default_factory=list)


class CommissionMeetingOut(Schema):
    id: int
    competition_id: int
    held_at: datetime
    place: str
    quorum: int
    present: int
    decision: str
    amendments: list[dict[str, Any]]

    @staticmethod
    def resolve_present(obj: Meeting) -> int:
        return obj.members.filter(present=True).count()


@router.get(
    "/competitions/{pk}/ranking",
    response=list[RankedOut],
    summary="The ranking with each expert's totals and z-scores (organisers); ranked whole, "
    "given a page at a time",
)
@paginate(Pages, page_size=selectors.RANKING_PAGE)
def ranking(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    competition = _competition(request, pk, manage=True)
    return [
        {
            "rank": item.rank,
            "application_id": item.application.pk,
            "number": item.application.number,
            "title": item.application.title,
            "applicant": item.application.applicant_name,
            "score": item.score,
            "requested": item.application.requested_amount,
            "complete": item.complete,
            "totals": [
                {
                    "expert_id": t.review.expert_id,
                    "expert": t.review.expert.user.display_name,
                    "total": t.total,
                    "z_score": t.z_score,
                }
                for t in item.totals
            ],
        }
        for item in selectors.ranking(competition)
    ]


@router.post(
    "/competitions/{pk}/allocation",
    response={201: AllocationOut},
    summary="Allocate the budget over the ranking (trial, or final for the commission)",
)
def allocation(request: HttpRequest, pk: int, payload: AllocationIn) -> Status[Any]:
    competition = _competition(request, pk, manage=True)
    run = decisions.allocation_run(
        actor=api_user(request), competition=competition, final=payload.final
    )
    return Status(201, run)


@router.post(
    "/competitions/{pk}/meetings",
    response={201: CommissionMeetingOut},
    summary="The commission's meeting",
)
def meeting_create(request: HttpRequest, pk: int, payload: CommissionMeetingIn) -> Status[Meeting]:
    competition = _competition(request, pk, manage=True)
    data = payload.dict()
    meeting = decisions.meeting_create(actor=api_user(request), competition=competition, **data)
    return Status(201, meeting)


@router.post(
    "/meetings/{pk}/decision",
    response=CommissionMeetingOut,
    summary="The commission adopts the final allocation (or amends it with reasons)",
)
def meeting_decide(request: HttpRequest, pk: int, payload: CommissionDecisionIn) -> Meeting:
    meeting = get_object_or_404(Meeting, pk=pk)
    _competition(request, meeting.competition_id, manage=True)
    return decisions.meeting_decide(
        actor=api_user(request),
        meeting=meeting,
        amendments=[a.dict() for a in payload.amendments],
    )


@router.post(
    "/competitions/{pk}/results/publish", response=CompetitionOut, summary="Publish the results"
)
def results_publish(request: HttpRequest, pk: int) -> Competition:
    competition = _competition(request, pk, manage=True)
    return decisions.results_publish(actor=api_user(request), competition=competition)


@router.get(
    "/competitions/{pk}/results",
    response=ResultsOut,
    auth=OPTIONAL_AUTH,
    summary="Open data: every scored application's final score, rank and grant",
)
def competition_results(request: HttpRequest, pk: int) -> dict[str, Any]:
    competition = _competition(request, pk)
    if competition.status != Competition.Status.RESULTS:
        raise Http404
    return results.results_data(competition)
