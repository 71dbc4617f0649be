"""Generated organisations with their areas and owners (`manage.py generate_data`)."""

from django.db import transaction

from dobry.core.generating import World
from dobry.core.models import District
from dobry.core.typography import quoted
from dobry.organizations.areas import Area
from dobry.organizations.models import Membership, Organization, OrganizationArea

# The mix of a city's civil society (passport, section 2): mostly СО НКО and initiative
# groups, some associations, municipal institutions and businesses.
KINDS = (
    [Organization.Kind.SONKO] * 5
    + [Organization.Kind.INITIATIVE_GROUP] * 3
    + [Organization.Kind.PUBLIC_ASSOCIATION] * 2
    + [Organization.Kind.MUNICIPAL, Organization.Kind.BUSINESS]
)
FORMS = {
    Organization.Kind.SONKO: "АНО",
    Organization.Kind.INITIATIVE_GROUP: "Инициативная группа",
    Organization.Kind.PUBLIC_ASSOCIATION: "Общественное объединение",
    Organization.Kind.MUNICIPAL: "МБУ",
    Organization.Kind.BUSINESS: "ООО",
}


def generate(world: World) -> None:
    """`scale.organizations` verified organisations, each with one to three areas and a
    resident as its owner. `ids["organizations"]`, `ids["districts"]`."""
    world.ids["districts"] = list(District.objects.order_by("pk").values_list("pk", flat=True)) or [
        District.objects.create(name="Центр", slug=f"{world.tag}-center").pk
    ]
    total = world.scale.organizations
    areas = list(Area)
    with transaction.atomic():
        organizations = []
        for n in range(total):
            kind = world.rng.choice(KINDS)
            title = world.names.title(2)
            organization = Organization(
                kind=kind,
                name=f"{FORMS[kind]} {quoted(title, 'ru')}",
                short_name=title,  # two words: within the field's 120
                address=world.names.address(),
                district_id=world.pick("districts"),
                email=f"org{n}@{world.tag}.example.org",
                description=world.names.text(4),
                status=Organization.Status.VERIFIED,
            )
            organization.search_text = organization.folded_search_text()
            organizations.append(organization)
        made = Organization.objects.bulk_create(organizations)
        OrganizationArea.objects.bulk_create(
            OrganizationArea(organization=organization, area=area)
            for organization in made
            for area in world.rng.sample(areas, world.rng.randint(1, 3))
        )
        Membership.objects.bulk_create(
            Membership(
                organization=organization,
                user_id=world.pick("residents"),
                role=Membership.Role.OWNER,
            )
            for organization in made
        )
    world.ids["organizations"] = [organization.pk for organization in made]
    world.progress("organisations", total, total)
