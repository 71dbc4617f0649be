"""The public pages of city initiatives: the list with its filters and the districts'
map, and an initiative's page with its timeline, team, links and comments."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dobry.civic import forms, permissions, selectors
from dobry.civic.map import district_map
from dobry.civic.models import COMMENT_WORKFLOW, INITIATIVE_WORKFLOW
from dobry.civic.services.links import LINK_KINDS, link_kind_choices
from dobry.core.page_cache import public_page
from dobry.core.request_values import form_values, paginate, query_without


@public_page
def initiatives(request: HttpRequest) -> HttpResponse:
    form = forms.InitiativeFilterForm(request.GET or None)
    filters = form_values(form)
    found = selectors.initiative_list(request.user, filters)
    context = {
        "form": form,
        "page": paginate(request.GET, found, selectors.INITIATIVE_PAGE),
        "query": query_without(request.GET, "page"),
        "map": district_map(selectors.district_counts(request.user)),
        "can_create": permissions.can_create_initiative(request.user),
        "no_skills": bool(filters.get("my_skills")) and not selectors.my_skills(request.user),
    }
    return render(request, "civic/initiatives.html", context)


def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    initiative = permissions.get_initiative_for_user(user, pk)
    context = {
        "initiative": initiative,
        **selectors.initiative_page(user, initiative),
        "moves": INITIATIVE_WORKFLOW.moves_for(user, initiative, permissions.can_move_initiative),
        "can_edit": permissions.can_edit_initiative(user, initiative),
        "can_support": permissions.can_support(user, initiative),
        "can_join": permissions.can_join_team(user, initiative),
        "can_comment": permissions.can_comment(user, initiative),
        "can_post_result": permissions.can_post_result(user, initiative),
        "can_respond": permissions.can_respond(user, initiative),
        "can_link": permissions.can_link(user, initiative),
        "is_coordinator": permissions.is_coordinator(user),
        "comment_moves": [m for m in COMMENT_WORKFLOW.moves if m.button],
        "comment_form": forms.CommentForm(),
        "team_form": forms.TeamForm(),
        "timeline_form": forms.TimelineForm(),
        "response_form": forms.ResponseForm(initial={"response": initiative.response}),
        "link_form": forms.LinkForm(kinds=link_kind_choices()),
        "link_kinds": LINK_KINDS,
    }
    return render(request, "civic/initiative.html", context)
