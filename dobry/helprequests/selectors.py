"""Reads for help pages and the API alike: the catalogue of programmes."""

from typing import Any

from django.db.models import Q

from dobry.core.permissions import Actor
from dobry.helprequests.models import Programme, ProgrammeQuerySet
from dobry.helprequests.permissions import editable_organizations
from dobry.organizations.models import Organization
from dobry.organizations.sections import Section


def filtered_programmes(data: dict[str, Any]) -> ProgrammeQuerySet:
    """Running programmes with the catalogue's filters, by name: the page and
    GET /api/v1/programmes alike.

    `data` keys (all optional): category, district (a District or its id: programmes working
    there, and those working in the whole city — no districts given), organization (an
    Organization or its id).
    """
    items = Programme.objects.running()
    if data.get("category"):
        items = items.filter(category=data["category"])
    if data.get("district"):
        items = items.filter(Q(districts__isnull=True) | Q(districts=data["district"]))
    if data.get("organization"):
        items = items.filter(organization=data["organization"])
    return (
        items.select_related("organization")
        .prefetch_related("districts")
        .distinct()
        .order_by("name", "pk")
    )


def kept_programmes(user: Actor) -> ProgrammeQuerySet:
    """Every programme `user` keeps (finished, future and stopped ones too): its
    organisation's editors and coordinators."""
    if not user.is_authenticated:
        return Programme.objects.none()
    return Programme.objects.filter(organization__in=editable_organizations(user)).select_related(
        "organization"
    )


def organization_section(organization: Organization, user: Actor) -> Section:
    """The organisation page's «Программы помощи»: its running programmes as the catalogue
    lists them, and — for those who keep them — the others, which the catalogue hides."""
    running = list(filtered_programmes({"organization": organization}))
    shown = {programme.pk for programme in running}
    kept = [
        programme
        for programme in kept_programmes(user).filter(organization=organization)
        if programme.pk not in shown
    ]
    return Section("helprequests/_organization_programmes.html", {"running": running, "kept": kept})
