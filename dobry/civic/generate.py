"""Generated city initiatives and their supports (`manage.py generate_data`)."""

from decimal import Decimal

from django.db import transaction

from dobry.civic.models import Initiative, Support
from dobry.core.generating import World, chunks
from dobry.organizations.areas import Area

# Most initiatives stay ideas or gather support; fewer reach the centre and are done.
STAGES = (
    [Initiative.Status.IDEA] * 4
    + [Initiative.Status.GATHERING] * 3
    + [Initiative.Status.RESOURCE_CENTRE, Initiative.Status.IN_PROGRESS, Initiative.Status.DONE]
)
SKILLS = ["столярное дело", "дизайн", "работа с детьми", "юрист", "водитель", ""]


def generate(world: World) -> None:
    """`scale.initiatives` initiatives of residents at every stage, and up to
    `scale.supports` supports (one per account and initiative)."""
    areas = [area.value for area in Area]
    with transaction.atomic():
        initiatives = Initiative.objects.bulk_create(
            _initiative(world, areas) for _n in range(world.scale.initiatives)
        )
    world.ids["initiatives"] = [initiative.pk for initiative in initiatives]
    world.progress("initiatives", len(initiatives), len(initiatives))
    pairs = sorted(
        {(world.pick("initiatives"), world.pick("residents")) for _n in range(world.scale.supports)}
    )
    for chunk in chunks(len(pairs)):
        with transaction.atomic():
            Support.objects.bulk_create(
                Support(initiative_id=pairs[n][0], user_id=pairs[n][1]) for n in chunk
            )
        world.progress("supports", chunk.stop, len(pairs))


def _initiative(world: World, areas: list[str]) -> Initiative:
    money = world.rng.random() < 0.3
    initiative = Initiative(
        title=world.names.title(3),
        problem=world.names.text(2),
        idea=world.names.text(3),
        district_id=world.pick("districts"),
        address=world.names.address(),
        area=world.rng.choice(areas),
        needed_skills=world.rng.choice(SKILLS),
        needed_money=Decimal(world.rng.randrange(5_000, 300_000, 1_000)) if money else None,
        author_id=world.pick("residents"),
        status=world.rng.choice(STAGES),
    )
    initiative.search_text = initiative.folded_search_text()
    return initiative
