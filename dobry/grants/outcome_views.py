"""A grant project's public page (issue 15, «public evaluation»): what the project is,
and once it is finished the grantee's summary with photos, residents' ratings and
comments; the posts of its forms and the grantee's summary page. Access is
`permissions.get_outcome_for_user`, the same as the API's."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message, form_error_message
from dobry.core.forms import add_service_error
from dobry.core.redirects import redirect_to_next
from dobry.core.request_values import form_values, paginate
from dobry.grants import permissions
from dobry.grants.models import PROJECT_COMMENT_WORKFLOW, Agreement, ProjectSummary
from dobry.grants.outcome_forms import (
    CommentForm,
    CommentMoveForm,
    PhotoForm,
    RatingForm,
    ReportForm,
    SummaryForm,
)
from dobry.grants.services import outcomes as services

# Comments shown on a page of the project's page and of the API's list.
COMMENT_PAGE = 50


def outcome_url(agreement: Agreement, anchor: str = "") -> str:
    url = reverse("grants:outcome", args=[agreement.pk])
    return f"{url}#{anchor}" if anchor else url


def _summary(agreement: Agreement) -> ProjectSummary | None:
    return ProjectSummary.objects.filter(agreement=agreement).first()


def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's public page: everyone who sees the competition's results."""
    user = request.user
    agreement = permissions.get_outcome_for_user(user, pk)
    finished = permissions.is_finished(agreement)
    context: dict[str, Any] = {
        "agreement": agreement,
        "application": agreement.application,
        "finished": finished,
        "can_edit_summary": permissions.can_edit_summary(user, agreement),
    }
    if finished:
        mine = None
        if user.is_authenticated:
            mine = agreement.ratings.filter(author_id=user.pk).first()
        moderator = permissions.can_moderate_project(user, agreement)
        context |= {
            "summary": _summary(agreement),
            "photos": list(agreement.photos.all()),
            "ratings": services.rating_summary(agreement),
            "my_rating": mine,
            "can_rate": permissions.can_rate_project(user, agreement),
            "rating_form": RatingForm(initial={"score": mine.score if mine else None}),
            "page": paginate(
                request.GET,
                permissions.visible_project_comments(user, agreement).select_related("author"),
                COMMENT_PAGE,
            ),
            "can_comment": permissions.can_comment_project(user, agreement),
            "comment_form": CommentForm(),
            "is_moderator": bool(moderator),
            "comment_moves": [m for m in PROJECT_COMMENT_WORKFLOW.moves if m.button],
        }
    return render(request, "grants/outcome.html", context)


@login_required
@require_POST
def outcome_rate(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    agreement = permissions.get_outcome_for_user(user, pk)
    form = RatingForm(request.POST)
    if not form.is_valid():
        form_error_message(request, form, _("Оценка не сохранена."))
        return redirect(outcome_url(agreement, "ratings"))
    with domain_error_message(request, success=_("Спасибо, ваша оценка сохранена.")):
        services.project_rate(actor=user, agreement=agreement, score=form.cleaned_data["score"])
    return redirect(outcome_url(agreement, "ratings"))


@login_required
@require_POST
def outcome_unrate(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    agreement = permissions.get_outcome_for_user(user, pk)
    with domain_error_message(request, success=_("Ваша оценка удалена.")):
        services.project_unrate(actor=user, agreement=agreement)
    return redirect(outcome_url(agreement, "ratings"))


@login_required
@require_POST
def outcome_comment(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    agreement = permissions.get_outcome_for_user(user, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        form_error_message(request, form, _("Комментарий не отправлен."))
        return redirect(outcome_url(agreement, "comments"))
    with domain_error_message(request, success=_("Комментарий опубликован."), details=True):
        services.project_comment_add(actor=user, agreement=agreement, **form.cleaned_data)
    return redirect(outcome_url(agreement, "comments"))


@login_required
@require_POST
def project_comment_report(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    comment = permissions.get_project_comment_for_user(user, pk)
    form = ReportForm(request.POST)
    back = outcome_url(comment.agreement, "comments")
    if not form.is_valid():
        form_error_message(request, form, _("Жалоба не отправлена."))
        return redirect(back)
    with domain_error_message(request, success=_("Спасибо: модератор посмотрит комментарий.")):
        services.project_comment_report(actor=user, comment=comment, **form.cleaned_data)
    return redirect(back)


@login_required
@require_POST
def project_comment_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    comment = permissions.get_project_comment_for_user(user, pk)
    name = form_values(CommentMoveForm(request.POST))["move"]
    with domain_error_message(request, success=_("Готово.")):
        services.project_comment_move(actor=user, comment=comment, name=name)
    return redirect_to_next(request, outcome_url(comment.agreement, "comments"))


@login_required
def comment_desk(request: HttpRequest) -> HttpResponse:
    """The organisers' desk: reported comments on the projects of the competitions they
    run, to keep or hide (the shape of the civic coordinators' desk)."""
    user = request_user(request)
    if not (allowed := permissions.can_moderate_projects(user)):
        raise PermissionDenied(str(allowed.reason))
    page = paginate(request.GET, permissions.reported_project_comments(user), COMMENT_PAGE)
    return render(request, "grants/comment_desk.html", {"page": page})


@login_required
def outcome_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The grantee writes the public summary and adds photos (403 to anyone else)."""
    user = request_user(request)
    agreement = permissions.get_outcome_for_user(user, pk)
    if not (allowed := permissions.can_edit_summary(user, agreement)) and not allowed.not_now:
        raise PermissionDenied(str(allowed.reason))
    summary = _summary(agreement)
    form = SummaryForm(request.POST or None, initial={"text": summary.text if summary else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.project_summary_save(actor=user, agreement=agreement, **form.cleaned_data)
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Итоги проекта сохранены."))
            return redirect(outcome_url(agreement))
    context = {
        "agreement": agreement,
        "form": form,
        "photo_form": PhotoForm(),
        "photos": list(agreement.photos.all()),
        "allowed": allowed,
    }
    return render(request, "grants/outcome_summary.html", context)


@login_required
@require_POST
def outcome_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    agreement = permissions.get_outcome_for_user(user, pk)
    form = PhotoForm(request.POST, request.FILES)
    back = reverse("grants:outcome_summary", args=[agreement.pk])
    if not form.is_valid():
        form_error_message(request, form, _("Фото не добавлено."))
        return redirect(back)
    with domain_error_message(request, success=_("Фото добавлено."), details=True):
        services.project_photo_add(
            actor=user,
            agreement=agreement,
            upload=form.cleaned_data["photo"],
            alt=form.cleaned_data["alt"],
        )
    return redirect(back)


@login_required
@require_POST
def outcome_photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    photo = permissions.get_project_photo_for_user(user, pk)
    with domain_error_message(request, success=_("Фото удалено.")):
        services.project_photo_delete(actor=user, photo=photo)
    return redirect("grants:outcome_summary", pk=photo.agreement.pk)
