"""Reads of the civic app: the initiatives list (pages and the API share its filters), an
initiative's page, the map's counts by district, the coordinators' queues. Every list has
a fixed query count."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from dobry.civic.models import Comment, Initiative, InitiativeLink, TeamMember, skill_words
from dobry.civic.models.initiatives import InitiativeQuerySet
from dobry.civic.permissions import visible_comments, visible_initiatives
from dobry.core import references
from dobry.core.models import District
from dobry.core.moderation import reported_comments
from dobry.core.permissions import Actor
from dobry.volunteering.models import VolunteerProfile

INITIATIVE_PAGE = 20
COMMENT_PAGE = 50
# At most this many of a person's skills are matched (a long list is not a query bomb).
MAX_SKILLS = 20


def my_skills(user: Actor) -> list[str]:
    """The skills of the person's volunteer profile, as `skill_words` reads them."""
    if not user.is_authenticated:
        return []
    text = VolunteerProfile.objects.filter(user_id=user.pk).values_list("skills", flat=True)
    return skill_words(text.first() or "")[:MAX_SKILLS]


def initiative_list(user: Actor, filters: dict[str, Any]) -> InitiativeQuerySet:
    """Initiatives, newest first; `filters` (the filter form's or the API's cleaned
    data): q, district, area, stage, my_skills (those needing a skill of the person's
    volunteer profile — none if the profile names none)."""
    initiatives = visible_initiatives(user).with_counts().select_related("district", "group")
    if filters.get("q"):
        initiatives = initiatives.search(filters["q"])
    for name, field in (("district", "district"), ("area", "area"), ("stage", "status")):
        if filters.get(name):
            initiatives = initiatives.filter(**{field: filters[name]})
    if filters.get("my_skills"):
        wanted = Q(pk__in=[])
        for skill in my_skills(user):
            wanted |= Q(needed_skills__icontains=skill)
        initiatives = initiatives.filter(wanted)
    return initiatives.order_by("-created_at", "-pk")


@dataclass(frozen=True)
class DistrictCount:
    district: District
    count: int


def district_counts(user: Actor) -> list[DistrictCount]:
    """Every district with how many initiatives it has (the map; two queries: the
    initiatives counted by district in one pass, then the districts)."""
    counts = dict(
        visible_initiatives(user)
        .order_by()
        .values_list("district")
        .annotate(n=Count("pk"))
        .values_list("district", "n")
    )
    districts = District.objects.order_by("position", "name")
    return [DistrictCount(district, counts.get(district.pk, 0)) for district in districts]


def initiative_page(user: Actor, initiative: Initiative) -> dict[str, Any]:
    """What an initiative's page shows besides the initiative: its timeline, team,
    comments as `user` may see them, links resolved for `user`, and the person's own
    support, follow and team place."""
    links = references.attach(InitiativeLink.objects.filter(initiative=initiative), "target", user)
    uid = int(user.pk or 0) if user.is_authenticated else 0
    return {
        "timeline": list(initiative.timeline.select_related("author")),
        "team": list(
            TeamMember.objects.current().filter(initiative=initiative).select_related("user")
        ),
        "comments": list(visible_comments(user, initiative).select_related("author")),
        "links": [link for link in links if references.link_of(link, "target") is not None],
        "support_count": initiative.supports.current().count(),
        "supported": initiative.supports.current().filter(user_id=uid).exists(),
        "following": initiative.follows.filter(user_id=uid).exists(),
        "my_team_place": TeamMember.objects.current()
        .filter(initiative=initiative, user_id=uid)
        .first(),
    }


def moderation_queue() -> QuerySet[Comment]:
    """Reported comments, oldest first, with their reports (coordinators)."""
    return reported_comments(Comment, "initiative")


def awaiting_response() -> InitiativeQuerySet:
    """Initiatives over the threshold the resource centre has not answered, the most
    urgent first (coordinators)."""
    return (
        Initiative.objects.awaiting_response()
        .with_counts()
        .select_related("district")
        .order_by("response_due", "pk")
    )
