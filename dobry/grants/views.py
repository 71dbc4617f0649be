"""Pages of grant competitions for residents, applicants and experts. The organisers'
desk is in `manage_views.py`."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.communications import open_graph
from dobry.core import rows
from dobry.core.dates import span_text
from dobry.core.documents import csv_response
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message, form_error_message
from dobry.core.forms import add_service_error
from dobry.core.page_cache import public_page
from dobry.core.request_values import paginate
from dobry.grants import content as application_content
from dobry.grants import permissions, results, selectors, stages
from dobry.grants.forms import (
    TABLES,
    ApplicationForm,
    ApplyForm,
    AttachmentForm,
    ConflictForm,
    RecusalForm,
    ReviewForm,
    table_rows,
    table_view,
)
from dobry.grants.models import (
    Agreement,
    Application,
    ApplicationAttachment,
    Competition,
    Expert,
    Review,
)
from dobry.grants.result_sections import results_sections
from dobry.grants.services import applications, reviews
from dobry.organizations.models import Membership, Organization

PAGE_SIZE = 20


def competition_list(request: HttpRequest) -> HttpResponse:
    competitions = Competition.objects.public()
    page = paginate(request.GET, competitions, PAGE_SIZE)
    return render(request, "grants/competitions.html", {"page": page})


def competition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    competition = permissions.get_competition_for_user(request.user, pk)
    mine = None
    if request.user.is_authenticated:
        user = request_user(request)
        mine = competition.applications.of(user).first()
    context = {
        "competition": competition,
        "criteria": competition.criteria.all(),
        "mine": mine,
        "eligible_labels": [
            str(Organization.Kind(kind).label)
            for kind in competition.eligible_kinds
            if kind in Organization.Kind.values
        ],
        "can_manage": permissions.can_manage(request.user, competition),
        "og": open_graph.card(
            title=competition.title,
            description=_("Конкурс %(kind)s: приём заявок %(span)s.")
            % {
                "kind": competition.get_kind_display(),
                "span": span_text(competition.applications_open, competition.applications_close),
            },
            path=competition.get_absolute_url(),
        ),
        "sectors": [
            (Expert.Sector(row["sector"]).label, row["count"])
            for row in competition.experts.filter(is_active=True)
            .values("sector")
            .annotate(count=Count("id"))
            .order_by("sector")
        ],
    }
    return render(request, "grants/competition.html", context)


def _my_organizations(request: HttpRequest, competition: Competition) -> object:
    return Organization.objects.filter(
        memberships__user=request_user(request),
        memberships__role__in=(Membership.Role.OWNER, Membership.Role.EDITOR),
        kind__in=competition.eligible_kinds,
    ).order_by("name")


@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Start an application: residents in their own name, organisations by an editor."""
    user = request_user(request)
    competition = permissions.get_competition_for_user(request.user, pk)
    form = (
        ApplyForm(request.POST or None, organizations=_my_organizations(request, competition))
        if competition.for_organizations
        else None
    )
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            application = applications.application_create(
                user=user,
                competition=competition,
                organization=form.cleaned_data["organization"] if form else None,
            )
        except DomainError as error:
            if form is None:
                messages.error(request, error.message)
                return redirect(competition)
            add_service_error(form, error)
        else:
            messages.success(request, _("Черновик заявки создан. Он сохраняется сам."))
            return redirect("grants:application_edit", application.pk)
    return render(request, "grants/apply.html", {"competition": competition, "form": form})


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    items = (
        Application.objects.of(user)
        .select_related("competition", "organization")
        .order_by("-created_at")
    )
    page = paginate(request.GET, items, PAGE_SIZE)
    return render(request, "grants/my_applications.html", {"page": page})


def _application_for(request: HttpRequest, pk: int) -> Application:
    """Applicants, organisers and experts (those still to declare are sent to it)."""
    return permissions.get_application_for_user(request.user, pk)


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    application = _application_for(request, pk)
    review = permissions.expert_review(user, application)
    if review is not None and review.declared_at is None:
        return redirect(review)
    competition = application.competition
    is_manager = bool(permissions.can_manage(user, competition))
    is_applicant = permissions.is_applicant(user, application)
    hide_names = competition.blind_review and not (is_manager or is_applicant)
    context = {
        "application": application,
        "competition": competition,
        "content": application.content,
        "is_manager": is_manager,
        "is_applicant": is_applicant,
        "hide_names": hide_names,
        "attachments": application.attachments.all(),
        "reviews": results.visible_reviews(user, application)
        if permissions.can_see_reviews(user, application)
        else None,
        "criteria": competition.criteria.all(),
        "my_review": review,
        "can_withdraw": any(
            move.name == "withdraw" for move in permissions.application_moves(user, application)
        ),
        "can_edit": is_applicant and bool(stages.editing(application)),
        # the applicant's finished projects and their ratings (a blind review hides them:
        # they name the applicant)
        "past_ratings": [] if hide_names else selectors.past_ratings(application),
        # the grant's agreement, to the grantee and the organisers (`can_view_agreement`)
        "agreement": Agreement.objects.filter(application=application).first()
        if is_manager or is_applicant
        else None,
    }
    return render(request, "grants/application.html", context)


def _posted_content(
    request: HttpRequest, form: ApplicationForm, change: rows.RowChange | None
) -> dict:
    data = {name: form.cleaned_data.get(name, "") for name in application_content.TEXTS}
    data = {name: value for name, value in data.items() if name in form.fields}
    for table, columns in application_content.ROWS.items():
        removed = change.remove if change and change.prefix == table else None
        data[table] = table_rows(request.POST, table, columns, skip=removed)
    return data


def _row_changed(application: Application, change: rows.RowChange) -> HttpResponse:
    """After «Добавить строку» / «Удалить строку» without JavaScript: the draft is saved
    with everything typed; the form comes back with an empty row to fill, focused."""
    url = reverse("grants:application_edit", args=[application.pk])
    if change.remove is not None:
        return redirect(f"{url}#{change.prefix}-heading")
    added = len(application.content.get(change.prefix) or [])
    first = TABLES[change.prefix].columns[0].name
    return redirect(f"{url}?{urlencode({'add': change.prefix})}#{change.prefix}-{added}-{first}")


@login_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The form: saved on every change (autosave posts here with `autosave=1`), submitted
    with the button; errors of a submission are shown at their fields. Rows are added and
    removed in the page (static/js/rows.js) or, without JavaScript, by saving the draft."""
    user = request_user(request)
    application = _application_for(request, pk)
    if not permissions.can_edit_application(user, application):
        raise PermissionDenied
    editable = stages.editing(application)
    if not editable:
        raise PermissionDenied(editable.reason)
    initial = {"title": application.title, **application.content}
    form = ApplicationForm(
        request.POST or None, initial=initial, competition=application.competition
    )
    change = rows.row_change(request.POST, application_content.ROWS)
    table_errors: dict[str, list[str]] = {}
    posted: dict | None = None  # shown again as typed when the save is refused
    autosave = bool(request.POST.get("autosave"))
    if request.method == "POST" and autosave and not form.is_valid():
        # a text over its limit: said, never reported as saved (the page shows it at the field)
        return _autosave_refused(application_content.not_saved(), _form_error_paths(form))
    if request.method == "POST" and form.is_valid():
        posted = _posted_content(request, form, change)
        try:
            application = applications.application_save(
                user=user,
                application=application,
                title=form.cleaned_data["title"],
                content=posted,
            )
        except DomainError as error:
            if autosave:
                return _autosave_refused(error.message, error.field_errors, status=409)
            if not error.field_errors:
                messages.error(request, error.message)
                return redirect(application)
            table_errors = _on_page(form, error)
        else:
            if autosave:
                return JsonResponse({"saved": True})
            return _after_save(request, form, application, change)
    elif request.method == "POST":
        posted = _posted_content(request, form, change)  # the tables as typed, with the form
        form.add_error(None, application_content.not_saved())
    return _edit_page(request, form, application, table_errors, posted)


def _form_error_paths(form: ApplicationForm) -> dict[str, list[str]]:
    """The form's errors keyed as the service and the API key them (`content.summary`)."""
    return {
        name if name in ("title", "__all__") else application_content.content_path(name): [
            str(message) for message in problems
        ]
        for name, problems in form.errors.items()
    }


def _on_page(form: ApplicationForm, error: DomainError, *, saved: bool = False) -> dict:
    """A service's refusal shown on the form: the message at the top — after «the draft is
    saved» when only the submission was refused —, the texts' errors at their fields;
    returns the errors keyed as the page names its table cells (`budget.2.requested`)."""
    errors = application_content.page_errors(error.field_errors)
    for field, problems in errors.items():
        if field in form.fields:
            form.add_error(field, problems)
    message = error.message
    if saved:
        message = _("Черновик сохранён, заявка не подана. %(reason)s") % {"reason": message}
    form.add_error(None, message)
    return errors


def _autosave_refused(
    message: str, errors: dict[str, list[str]], *, status: int = 422
) -> JsonResponse:
    if errors and status == 409:
        status = 422  # a field at fault, not a state that refuses the change
    return JsonResponse({"saved": False, "message": message, "errors": errors}, status=status)


def _after_save(
    request: HttpRequest,
    form: ApplicationForm,
    application: Application,
    change: rows.RowChange | None,
) -> HttpResponse:
    """After a save by a button: a row added or removed, the draft kept, or submitted
    (errors of a submission shown at their fields)."""
    if change is not None:
        return _row_changed(application, change)
    if "submit" not in request.POST:
        messages.success(request, _("Черновик сохранён."))
        return redirect("grants:application_edit", application.pk)
    try:
        applications.application_submit(user=request_user(request), application=application)
    except DomainError as error:
        return _edit_page(request, form, application, _on_page(form, error, saved=True))
    messages.success(
        request,
        _("Заявка подана, номер %(number)s. Подтверждение отправлено на почту.")
        % {"number": application.number},
    )
    return redirect(application)


def _edit_page(
    request: HttpRequest,
    form: ApplicationForm,
    application: Application,
    table_errors: dict[str, list[str]],
    posted: dict | None = None,
) -> HttpResponse:
    """The form with the saved tables — or, when a save was refused, the tables as typed."""
    content = posted if posted is not None else application.content
    added = request.GET.get("add", "") if request.method == "GET" else ""
    context = {
        "application": application,
        "competition": application.competition,
        "form": form,
        "tables": {
            table: table_view(
                table,
                content.get(table) or [],
                table_errors,
                added=added == table,
            )
            for table in application_content.ROWS
        },
        "table_problems": _table_problems(table_errors),
        "totals": application_content.budget_totals(content.get("budget") or []),
        "attachment_form": AttachmentForm(auto_id="attachment_%s"),
        "attachments": application.attachments.all(),
    }
    return render(request, "grants/application_form.html", context)


def _table_problems(errors: dict[str, list[str]]) -> list[dict[str, str]]:
    """The tables' errors for the summary at the top of the form, each linked to its
    field (`budget.2.requested` → #budget-2-requested) or its table's heading."""
    problems = []
    for key, messages_ in errors.items():
        table, _dot, rest = key.partition(".")
        if table not in TABLES:
            continue
        anchor = f"{table}-{rest.replace('.', '-')}" if rest else f"{table}-heading"
        label = str(TABLES[table].title)
        if rest:
            number, _dot, column = rest.partition(".")
            names = {c.name: c.label for c in TABLES[table].columns}
            label = f"{label}, {int(number) + 1}: {names.get(column, column)}"
        problems += [{"anchor": anchor, "label": label, "message": str(m)} for m in messages_]
    return problems


@login_required
@require_POST
def application_attach(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    application = _application_for(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        form_error_message(request, form, _("Выберите файл и назовите документ."))
    else:
        with domain_error_message(request, success=_("Файл приложен."), details=True):
            applications.application_attach(
                user=user,
                application=application,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
    return redirect("grants:application_edit", application.pk)


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    attachment = get_object_or_404(
        ApplicationAttachment.objects.select_related("application"), pk=pk
    )
    application = _application_for(request, attachment.application_id)
    with domain_error_message(request):
        applications.application_detach(user=user, attachment=attachment)
    return redirect("grants:application_edit", application.pk)


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    application = _application_for(request, pk)
    with domain_error_message(
        request, success=_("Заявка отозвана. Исправьте её и подайте снова до окончания приёма.")
    ):
        applications.application_withdraw(user=user, application=application)
    return redirect(application)


# --- experts -------------------------------------------------------------------------------


@login_required
def my_reviews(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    page = paginate(request.GET, selectors.my_reviews(user), selectors.MY_REVIEWS_PAGE)
    return render(request, "grants/my_reviews.html", {"page": page})


def _review_declaration(request: HttpRequest, item: Review) -> HttpResponse:
    """Step one of a review: the expert declares a conflict of interest or its absence."""
    declaration = ConflictForm(request.POST or None)
    if request.method == "POST" and declaration.is_valid():
        try:
            reviews.conflict_declare(
                user=request_user(request),
                application=item.application,
                conflict=declaration.cleaned_data["conflict"],
                reason=declaration.cleaned_data["reason"],
            )
        except DomainError as error:
            add_service_error(declaration, error)
        else:
            if declaration.cleaned_data["conflict"]:
                messages.success(request, _("Спасибо. Заявка передана другому эксперту."))
                return redirect("grants:my_reviews")
            return redirect(item)
    return render(request, "grants/review_declare.html", {"review": item, "form": declaration})


def _add_review_errors(form: ReviewForm, error: DomainError) -> None:
    """The service names fields `scores.<criterion>` and `comments.<criterion>`; the form's
    fields are `score_<criterion>` and `comment_<criterion>`."""
    for field, problems in error.field_errors.items():
        kind, _dot, key = field.partition(".")
        name = f"score_{key}" if kind == "scores" else f"comment_{key}"
        if name in form.fields:
            form.add_error(name, problems)
    form.add_error(None, error.message)


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The expert's page: first the declaration of conflicts, then the scoring form."""
    user = request_user(request)
    item = permissions.get_review_for_user(user, pk)
    application, competition = item.application, item.application.competition
    if item.status == Review.Status.CONFLICT:
        return render(request, "grants/review_conflict.html", {"review": item})
    if item.declared_at is None:
        return _review_declaration(request, item)
    criteria = list(competition.criteria.all())
    initial = {f"score_{k}": v for k, v in item.scores.items()}
    initial |= {f"comment_{k}": v for k, v in item.comments.items()}
    initial["comment"] = item.comment
    form = ReviewForm(request.POST or None, initial=initial, criteria=criteria)
    if request.method == "POST" and item.status == Review.Status.ASSIGNED and form.is_valid():
        submit = "submit" in request.POST
        try:
            reviews.review_save(
                user=user,
                review=item,
                scores=form.scores(),
                comments=form.comments(),
                comment=form.cleaned_data["comment"],
                submit=submit,
            )
        except DomainError as error:
            _add_review_errors(form, error)
        else:
            messages.success(
                request,
                _("Оценка отправлена. Спасибо!") if submit else _("Черновик оценки сохранён."),
            )
            return redirect(item)
    context = {
        "review": item,
        "application": application,
        "competition": competition,
        "content": application.content,
        "form": form,
        "hide_names": competition.blind_review,
        "others": results.visible_reviews(user, application)
        if item.status == Review.Status.SUBMITTED
        else None,
        "criteria": criteria,
        "attachments": application.attachments.all(),
        "can_recuse": permissions.can_recuse(user, item).allowed,
    }
    return render(request, "grants/review.html", context)


# --- results -------------------------------------------------------------------------------


@public_page
def competition_results(request: HttpRequest, pk: int) -> HttpResponse:
    competition = permissions.get_competition_for_user(request.user, pk, action="results")
    data = results.results_data(competition)
    context = {
        "competition": competition,
        "data": data,
        "sections": results_sections(competition),
    }
    return render(request, "grants/results.html", context)


def results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    competition = permissions.get_competition_for_user(request.user, pk, action="results")
    return csv_response(
        f"competition-{pk}-results.csv",
        results.CSV_HEADER,
        (
            [row[column] for column in results.CSV_HEADER]
            for row in results.public_rows(competition)
        ),
    )


def results_json(request: HttpRequest, pk: int) -> HttpResponse:
    competition = permissions.get_competition_for_user(request.user, pk, action="results")
    data = results.results_open_data(competition)
    return HttpResponse(
        json.dumps(data, default=str, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )


@login_required
def review_recuse(request: HttpRequest, pk: int) -> HttpResponse:
    """A conflict of interest found after the declaration, even after scoring: the expert
    (or a manager of the competition) sets the review aside with a reason."""
    user = request_user(request)
    item = get_object_or_404(
        Review.objects.select_related("application__competition", "expert"), pk=pk
    )
    allowed = permissions.can_recuse(user, item)
    if not allowed and not allowed.not_now:
        raise PermissionDenied(allowed.reason)
    if not allowed:
        # the API's 409: the page says why, and offers no form to send
        context = {"review": item, "refusal": allowed.reason}
        return render(request, "grants/review_recuse.html", context, status=409)
    form = RecusalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reviews.review_recuse(actor=user, review=item, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Оценка отведена; заявка передана другому эксперту."))
            if item.expert.user_id == user.pk:
                return redirect("grants:my_reviews")
            return redirect("grants:screening", item.application_id)
    return render(request, "grants/review_recuse.html", {"review": item, "form": form})
