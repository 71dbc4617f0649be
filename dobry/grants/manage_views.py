"""The organisers' desk: set up a competition, screen applications, seat and assign
experts, read the ranking, allocate, hold the commission, publish the results."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.accounts.models import User
from dobry.core import rows
from dobry.core.dates import moment_text
from dobry.core.documents import docx_response
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message, form_error_message
from dobry.core.forms import add_service_error
from dobry.core.request_values import form_values, id_param
from dobry.grants import deadlines, permissions, selectors
from dobry.grants.forms import (
    LISTED_STATUSES,
    AllocationForm,
    AmendmentFormSet,
    ApplicationFilterForm,
    CompetitionForm,
    CriterionForm,
    ExpertForm,
    ManagerForm,
    MeetingForm,
    MemberFormSet,
    ProtocolForm,
    ReviewDueForm,
    ScreeningForm,
)
from dobry.grants.models import Application, Competition, Criterion, Expert, Meeting, Review
from dobry.grants.protocol import protocol_docx
from dobry.grants.services import applications, assignments, competitions, decisions
from dobry.grants.services.competitions import TERMS


def _managed(request: HttpRequest, pk: int, action: str = "") -> Competition:
    """The competition if the user manages it — and, for a page that exists only for one
    `action` (a form), if its stage allows that action now; 403 with the reason otherwise."""
    competition = permissions.get_competition_for_user(request.user, pk, action="manage")
    if action:
        allowed = permissions.can_act(request.user, competition, action)
        if not allowed:
            raise PermissionDenied(allowed.reason)
    return competition


@login_required
def competition_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not permissions.can_create_competition(user):
        raise PermissionDenied
    form = CompetitionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        rules_file = data.pop("rules_file")
        if not data["eligible_kinds"]:
            data.pop("eligible_kinds")  # the kind's defaults
        if not data["sections"]:
            data.pop("sections")
        try:
            competition = competitions.competition_create(actor=user, **data)
            if rules_file:
                competitions.competition_rules_document(
                    actor=user, competition=competition, upload=rules_file
                )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Конкурс создан как черновик. Проверьте критерии и объявите его."),
            )
            return redirect("grants:manage", competition.pk)
    return render(request, "grants/competition_form.html", {"form": form})


@login_required
def competition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    competition = _managed(request, pk, "terms")
    form = CompetitionForm(request.POST or None, request.FILES or None, instance=competition)
    if request.method == "POST" and form.is_valid():
        terms = {name: form.cleaned_data[name] for name in TERMS if name in form.cleaned_data}
        try:
            competition = competitions.competition_update(
                actor=user, competition=competition, **terms
            )
            if form.cleaned_data["rules_file"]:
                competitions.competition_rules_document(
                    actor=user, competition=competition, upload=form.cleaned_data["rules_file"]
                )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Условия конкурса сохранены."))
            return redirect("grants:manage", competition.pk)
    return render(
        request, "grants/competition_form.html", {"form": form, "competition": competition}
    )


@login_required
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The desk: state and actions, criteria, applications, the expert pool."""
    competition = _managed(request, pk)
    # Drafts are the applicants' own until submitted (`permissions.can_view_application`)
    items = competition.applications.exclude(status=Application.Status.DRAFT)
    items = items.select_related("organization", "applicant").annotate(
        reviews_total=Count("reviews", filter=~Q(reviews__status=Review.Status.CONFLICT)),
        reviews_done=Count("reviews", filter=Q(reviews__status=Review.Status.SUBMITTED)),
    )
    status = form_values(ApplicationFilterForm(request.GET or None)).get("status", "")
    if status:
        items = items.filter(status=status)
    experts = [
        (expert, expert.load)  # type: ignore[attr-defined]
        for expert in selectors.expert_pool(competition)
    ]
    sectors = _sector_counts(expert for expert, _load in experts if expert.is_active)
    context = {
        "competition": competition,
        "criteria": competition.criteria.all(),
        "applications": items.order_by("number", "id"),
        "status": status,
        "statuses": LISTED_STATUSES,
        "experts": experts,
        "sectors": sectors,
        "expert_form": ExpertForm(auto_id="expert_%s"),
        "manager_form": ManagerForm(auto_id="manager_%s"),
        "managers": competition.managers.all(),
        "criterion_form": CriterionForm(),
        "actions": permissions.competition_actions(request.user, competition),
    }
    return render(request, "grants/manage.html", context)


def _sector_counts(experts: Any) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for expert in experts:
        label = str(expert.get_sector_display())
        counts[label] = counts.get(label, 0) + 1
    return sorted(counts.items())


@login_required
@require_POST
def competition_publish(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _managed(request, pk)
    with domain_error_message(request, success=_("Конкурс объявлен.")):
        competitions.competition_publish(actor=request_user(request), competition=competition)
    return redirect("grants:manage", competition.pk)


@login_required
def criterion_edit(request: HttpRequest, pk: int, criterion_pk: int | None = None) -> HttpResponse:
    user = request_user(request)
    competition = _managed(request, pk, "criteria")
    criterion = (
        get_object_or_404(Criterion, pk=criterion_pk, competition=competition)
        if criterion_pk
        else None
    )
    form = CriterionForm(request.POST or None, instance=criterion)
    if request.method == "POST" and form.is_valid():
        try:
            competitions.criterion_save(
                actor=user,
                competition=competition,
                criterion=criterion,
                **{name: form.cleaned_data[name] for name in CriterionForm.Meta.fields},
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Критерий сохранён."))
            return redirect("grants:manage", competition.pk)
    return render(
        request,
        "grants/criterion_form.html",
        {"form": form, "competition": competition, "criterion": criterion},
    )


@login_required
@require_POST
def criterion_delete(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    competition = _managed(request, pk)
    criterion = get_object_or_404(Criterion, pk=criterion_pk, competition=competition)
    with domain_error_message(request):
        competitions.criterion_delete(actor=request_user(request), criterion=criterion)
    return redirect("grants:manage", competition.pk)


# --- screening and experts -----------------------------------------------------------------


def _experts_of(
    user: User, application: Application, competition: Competition
) -> tuple[list[Review], list[Expert]]:
    """The reviews on `application` (each marked `recusable` where the recusal is allowed)
    and the competition's active experts free to take it (not on it, no conflict)."""
    assigned = list(application.reviews.select_related("expert__user"))
    for review in assigned:  # the «отвести» link exactly where the recusal is allowed
        review.application = application
        review.recusable = permissions.can_recuse(user, review).allowed  # type: ignore[attr-defined]
    taken = {review.expert_id for review in assigned}
    conflicted = assignments.conflicted_user_ids(application)
    free = [
        expert
        for expert in competition.experts.filter(is_active=True).select_related("user")
        if expert.pk not in taken and expert.user_id not in conflicted
    ]
    return assigned, free


@login_required
def screening(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff's view of one application: admission, and the experts on it (override)."""
    user = request_user(request)
    application = get_object_or_404(
        Application.objects.select_related("competition", "organization", "applicant"), pk=pk
    )
    competition = _managed(request, application.competition_id)
    form = ScreeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            applications.application_screen(
                actor=user,
                application=application,
                decision=data["decision"],
                reason=data["reason"],
                comment=data["comment"],
                returned_until=data["returned_until"],
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Решение о допуске записано, заявитель уведомлён."))
            return redirect("grants:manage", competition.pk)
    assigned, free = _experts_of(user, application, competition)
    # after the review deadline a new expert is a replacement with a due day of their own
    replacing = deadlines.after_review_deadline(competition)
    default_due = deadlines.default_replacement_day(competition=competition)
    context = {
        "application": application,
        "competition": competition,
        "form": form,
        "assigned": assigned,
        "free_experts": free,
        "replacing": replacing,
        "replacement_days": deadlines.REPLACEMENT_WORKING_DAYS,
        "due_form": ReviewDueForm(
            auto_id="assign_%s", initial={"due_on": default_due}, required=False
        ),
        "reschedule_form": ReviewDueForm(initial={"due_on": default_due}),
        "actions": permissions.competition_actions(user, competition),
    }
    return render(request, "grants/screening.html", context)


@login_required
@require_POST
def expert_add(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _managed(request, pk)
    form = ExpertForm(request.POST)
    if not form.is_valid():
        form_error_message(request, form, _("Укажите email и кого представляет эксперт."))
        return redirect("grants:manage", competition.pk)
    person = User.objects.filter(
        email__iexact=form.cleaned_data["email"], is_active=True, erased_at__isnull=True
    ).first()
    if person is None:
        messages.error(request, _("На портале нет пользователя с таким email."))
        return redirect("grants:manage", competition.pk)
    with domain_error_message(request, success=_("Эксперт добавлен в пул.")):
        assignments.expert_add(
            actor=request_user(request),
            competition=competition,
            user=person,
            sector=form.cleaned_data["sector"],
        )
    return redirect("grants:manage", competition.pk)


@login_required
@require_POST
def manager_add(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _managed(request, pk)
    form = ManagerForm(request.POST)
    if not form.is_valid():
        form_error_message(request, form, _("Укажите email организатора."))
        return redirect("grants:manage", competition.pk)
    person = User.objects.filter(
        email__iexact=form.cleaned_data["email"], is_active=True, erased_at__isnull=True
    ).first()
    if person is None:
        messages.error(request, _("На портале нет пользователя с таким email."))
    else:
        competitions.competition_manager_add(
            actor=request_user(request), competition=competition, user=person
        )
        messages.success(request, _("Организатор добавлен."))
    return redirect("grants:manage", competition.pk)


@login_required
@require_POST
def manager_remove(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    competition = _managed(request, pk)
    person = get_object_or_404(competition.managers, pk=user_pk)
    competitions.competition_manager_remove(
        actor=request_user(request), competition=competition, user=person
    )
    messages.success(request, _("Организатор больше не управляет конкурсом."))
    return redirect("grants:manage", competition.pk)


@login_required
@require_POST
def expert_remove(request: HttpRequest, pk: int, expert_pk: int) -> HttpResponse:
    competition = _managed(request, pk)
    expert = get_object_or_404(Expert, pk=expert_pk, competition=competition)
    with domain_error_message(
        request, success=_("Эксперт выведен из пула, его неначатые заявки освобождены.")
    ):
        assignments.expert_remove(actor=request_user(request), expert=expert)
    return redirect("grants:manage", competition.pk)


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _managed(request, pk)
    with domain_error_message(request) as outcome:
        created = assignments.assign_experts(actor=request_user(request), competition=competition)
    if outcome.ok:
        messages.success(request, _("Назначено экспертиз: %(count)s.") % {"count": len(created)})
    return redirect("grants:manage", competition.pk)


@login_required
@require_POST
def review_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """An expert for the application; after the review deadline, a replacement due at the
    end of the day chosen (`grants.deadlines`)."""
    application = get_object_or_404(Application.objects.select_related("competition"), pk=pk)
    competition = _managed(request, application.competition_id)
    expert = get_object_or_404(
        Expert, pk=id_param(request.POST, "expert") or 0, competition=competition
    )
    due_on = form_values(ReviewDueForm(request.POST, required=False)).get("due_on")
    with domain_error_message(request) as outcome:
        review = assignments.review_assign(
            actor=request_user(request), application=application, expert=expert, due_on=due_on
        )
    if outcome.ok:
        messages.success(
            request,
            _("Эксперт назначен, оценить до %(due)s.") % {"due": moment_text(review.due_at)},
        )
    return redirect("grants:screening", application.pk)


@login_required
@require_POST
def review_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """A new due day for an unsubmitted review once the competition's deadline has passed."""
    item = get_object_or_404(Review.objects.select_related("application"), pk=pk)
    _managed(request, item.application.competition_id)
    data = form_values(ReviewDueForm(request.POST))
    with domain_error_message(request) as outcome:
        item = assignments.review_reschedule(
            actor=request_user(request), review=item, due_on=data["due_on"]
        )
    if outcome.ok:
        messages.success(
            request, _("Новый срок оценки: %(due)s.") % {"due": moment_text(item.due_at)}
        )
    return redirect("grants:screening", item.application_id)


@login_required
@require_POST
def review_unassign(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Review.objects.select_related("application", "expert__user"), pk=pk)
    _managed(request, item.application.competition_id)
    with domain_error_message(request):
        assignments.review_unassign(actor=request_user(request), review=item)
    return redirect("grants:screening", item.application_id)


# --- ranking, allocation, commission, results ----------------------------------------------


@login_required
def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _managed(request, pk)
    ranked = selectors.ranking(competition)
    runs = list(competition.allocation_runs.all()[:10])
    latest = runs[0] if runs else None
    by_id = {item.application.pk: item for item in ranked}
    awards = []
    if latest:
        for award in latest.result.get("awards", []):
            item = by_id.get(int(award["application"]))
            if item:
                awards.append((item, award))
    context = {
        "competition": competition,
        "actions": permissions.competition_actions(request.user, competition),
        "wait": selectors.final_allocation_wait(competition),
        "ranked": ranked,
        # the residents' vote column and its explanation, only where a vote fed the ranking
        "residents_vote": any(item.residents for item in ranked),
        "runs": runs,
        "latest": latest,
        "awards": awards,
        "reserve": [
            by_id[pk] for pk in (latest.result.get("reserve", []) if latest else []) if pk in by_id
        ],
    }
    return render(request, "grants/ranking.html", context)


@login_required
@require_POST
def allocation(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _managed(request, pk)
    # the kind of run is required: a POST without it is a 400 naming `final`
    final = form_values(AllocationForm(request.POST))["final"]
    with domain_error_message(
        request,
        success=_("Итоговое распределение готово для комиссии.")
        if final
        else _("Пробное распределение рассчитано."),
    ):
        decisions.allocation_run(actor=request_user(request), competition=competition, final=final)
    return redirect("grants:ranking", competition.pk)


@login_required
def commission(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting (composition, quorum, agenda), its decision, the protocol."""
    user = request_user(request)
    competition = _managed(request, pk)
    meeting = competition.meetings.first()
    admitted = competition.applications.admitted()
    change = rows.row_change(request.POST, ("members", "amend"))
    data = rows.formset_data(request.POST, change) if change else request.POST
    meeting_data = data if change is None or change.prefix == "members" else None
    meeting_form = MeetingForm(meeting_data or None, prefix="meeting")
    members = MemberFormSet(meeting_data or None, prefix="members")
    amendments = AmendmentFormSet(
        data if change and change.prefix == "amend" else None,
        prefix="amend",
        form_kwargs={"applications": admitted},
    )
    if change:  # a row added or removed without JavaScript: shown again as typed
        rows.shown_as_typed(meeting_form, members, amendments)
    elif (
        request.method == "POST"
        and meeting is None
        and meeting_form.is_valid()
        and members.is_valid()
    ):
        chosen = [form.cleaned_data for form in members if form.cleaned_data.get("name")]
        try:
            decisions.meeting_create(
                actor=user, competition=competition, members=chosen, **meeting_form.cleaned_data
            )
        except DomainError as error:
            add_service_error(meeting_form, error)
        else:
            messages.success(request, _("Заседание комиссии записано."))
            return redirect("grants:commission", competition.pk)
    context: dict[str, Any] = {
        "competition": competition,
        "actions": permissions.competition_actions(user, competition),
        "meeting": meeting,
        "meeting_form": meeting_form,
        "members_formset": members,
        "final_run": competition.allocation_runs.filter(final=True).first(),
        "amendments": amendments,
        "protocol_form": ProtocolForm(),
    }
    if meeting is not None:
        context["members"] = meeting.members.all()
        context["present"] = sum(1 for m in context["members"] if m.present)
    return render(request, "grants/commission.html", context)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("competition"), pk=pk)
    competition = _managed(request, meeting.competition_id)
    formset = AmendmentFormSet(
        request.POST,
        prefix="amend",
        form_kwargs={"applications": competition.applications.admitted()},
    )
    if not formset.is_valid():
        form_error_message(
            request, formset, _("Проверьте изменения: сумма — число, заявка — из списка.")
        )
        return redirect("grants:commission", competition.pk)
    changes = [
        {
            "application": form.cleaned_data["application"].pk,
            "amount": str(
                form.cleaned_data["amount"] if form.cleaned_data["amount"] is not None else ""
            ),
            "reason": form.cleaned_data["reason"],
        }
        for form in formset
        if form.cleaned_data.get("application")
    ]
    with domain_error_message(
        request,
        success=_("Решение комиссии записано, гранты закреплены за заявками."),
        details=True,
    ):
        decisions.meeting_decide(actor=request_user(request), meeting=meeting, amendments=changes)
    return redirect("grants:commission", competition.pk)


@login_required
def protocol(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("competition"), pk=pk)
    _managed(request, meeting.competition_id)
    return docx_response(f"protocol-{meeting.competition_id}.docx", protocol_docx(meeting))


@login_required
@require_POST
def protocol_upload(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("competition"), pk=pk)
    _managed(request, meeting.competition_id)
    form = ProtocolForm(request.POST, request.FILES)
    if not form.is_valid():
        form_error_message(request, form, _("Выберите файл скана."))
    else:
        with domain_error_message(request, success=_("Подписанный протокол приложен.")):
            decisions.meeting_attach_protocol(
                actor=request_user(request), meeting=meeting, upload=form.cleaned_data["file"]
            )
    return redirect("grants:commission", meeting.competition_id)


@login_required
@require_POST
def results_publish(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _managed(request, pk)
    with domain_error_message(request) as outcome:
        decisions.results_publish(actor=request_user(request), competition=competition)
    if not outcome.ok:
        return redirect("grants:commission", competition.pk)
    messages.success(request, _("Итоги опубликованы, заявители уведомлены."))
    return redirect("grants:results", competition.pk)
