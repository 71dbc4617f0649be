"""News pages: the public feed and an item's page; the authors' desk, the form, the
buttons of moderation and publication."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.accounts.models import User
from dobry.communications import open_graph, permissions, selectors
from dobry.communications.models import NewsItem
from dobry.communications.news import services
from dobry.communications.news.forms import NewsDeskForm, NewsFilterForm, NewsForm, NewsMoveForm
from dobry.communications.news.newsrooms import newsrooms
from dobry.core import references
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message
from dobry.core.forms import add_service_error
from dobry.core.page_cache import public_page
from dobry.core.request_values import form_values, id_param, paginate, query_without

SUCCESS = {
    "submit": gettext_lazy(
        "Новость отправлена на модерацию. Координатор посмотрит её и опубликует."
    ),
    "withdraw": gettext_lazy("Новость снова черновик."),
    "publish": gettext_lazy("Новость опубликована."),
    "schedule": gettext_lazy("Публикация запланирована."),
    "return": gettext_lazy("Новость возвращена автору с объяснением."),
    "unpublish": gettext_lazy("Новость снята с публикации."),
    "redraft": gettext_lazy("Новость снова черновик: её можно править."),
}


@public_page
def news_list(request: HttpRequest) -> HttpResponse:
    chosen = id_param(request.GET, "organization")
    publisher = selectors.news_organization(chosen, request.user) if chosen else None
    form = NewsFilterForm(
        request.GET or None,
        tags=list(selectors.news_tags_in_use()),
        organizations=[publisher] if publisher else [],
    )
    data = form_values(form)
    page = paginate(request.GET, selectors.public_news(data), selectors.NEWS_PAGE)
    references.attach(page.object_list, "organization", request.user)
    context = {
        "form": form,
        "page": page,
        "query": query_without(request.GET, "page"),
        "all_organizations_query": query_without(request.GET, "page", "organization"),
        "organization_name": publisher[1] if publisher else None,
        "organization_pk": publisher[0] if publisher else None,
        "can_write": permissions.can_write_news(request.user).allowed,
    }
    return render(request, "communications/news/list.html", context)


def news_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = permissions.get_news_for_user(request.user, pk)
    references.attach([item], "organization", request.user)
    references.attach([item], "subject", request.user)
    context = {
        "item": item,
        "moves": permissions.news_moves(request.user, item),
        "can_edit": permissions.can_edit_news(request.user, item).allowed,
        "move_form": NewsMoveForm(),
        "og": open_graph.card(
            title=item.title,
            description=item.lead,
            path=item.get_absolute_url(),
            image=item.cover or None,
            image_alt=item.cover_alt,
        ),
    }
    return render(request, "communications/news/detail.html", context)


def _form(request: HttpRequest, user: User, item: NewsItem | None) -> NewsForm:
    city = (
        permissions.is_city_author(user)
        if item is None
        else item.publisher == NewsItem.Publisher.CITY
    )
    moderator = permissions.is_news_moderator(user)
    rooms = newsrooms().verified() if city or moderator else newsrooms().edited_by(user)
    return NewsForm(
        request.POST or None,
        request.FILES or None,
        instance=item,
        organizations=[(organization.pk, str(organization)) for organization in rooms],
        organization_required=not city,
    )


@login_required
def news_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    decision = permissions.can_write_news(user)
    if not decision:
        raise PermissionDenied(decision.reason)
    form = _form(request, user, None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.news_create(
                author=user, fields=form.service_fields(), cover=form.cleaned_data.get("cover")
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Черновик сохранён. Проверьте его и опубликуйте."))
            return redirect(item)
    return render(request, "communications/news/form.html", {"form": form, "item": None})


@login_required
def news_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    item = permissions.get_news_for_user(user, pk, action="edit")
    form = _form(request, user, item)
    if request.method == "POST" and form.is_valid():
        try:
            services.news_update(
                actor=user,
                item=item,
                fields=form.service_fields(),
                cover=form.cleaned_data.get("cover") or None,
                remove_cover=bool(form.cleaned_data.get("remove_cover")),
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Изменения сохранены."))
            return redirect(item)
    return render(request, "communications/news/form.html", {"form": form, "item": item})


@login_required
@require_POST
def news_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    item = permissions.get_news_for_user(user, pk)
    # the button's move is required: a POST without one is a 400 naming `decision`
    data = form_values(NewsMoveForm(request.POST))
    move = data["decision"]
    with domain_error_message(request, success=str(SUCCESS.get(move, "")), details=True):
        services.news_move(actor=user, item=item, move=move, reason=data["reason"])
    return redirect(item)


@login_required
def news_desk(request: HttpRequest) -> HttpResponse:
    """The items whose side the person is on: drafts, moderation, scheduled, published.
    Coordinators find the organisations' items waiting for them under «на модерации»."""
    user = request_user(request)
    if not (permissions.can_write_news(user) or permissions.is_news_moderator(user)):
        raise PermissionDenied
    form = NewsDeskForm(request.GET or None)
    data: dict[str, Any] = form_values(form)
    page = paginate(
        request.GET, selectors.news_desk(user, status=data.get("status") or ""), selectors.NEWS_PAGE
    )
    references.attach(page.object_list, "organization", user)
    context = {
        "form": form,
        "page": page,
        "query": query_without(request.GET, "page"),
        "status": data.get("status") or "",
        "statuses": NewsItem.Status.choices,
    }
    return render(request, "communications/news/desk.html", context)
