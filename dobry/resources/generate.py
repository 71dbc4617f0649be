"""Generated support records of the resource centre (`manage.py generate_data`)."""

from decimal import Decimal

from dobry.core.generating import World
from dobry.resources.models import Giver, SupportKind, SupportRecord

DESCRIPTIONS = ["Консультация", "Помещение для встречи", "Печать материалов", "Семинар"]


def generate(world: World) -> None:
    """One support record per organisation a year on average: kinds, givers and values in
    roubles (whole thousands, up to 200,000)."""
    kinds = [kind.value for kind in SupportKind]
    givers = [giver.value for giver in Giver]
    total = world.scale.organizations * world.scale.years
    SupportRecord.objects.bulk_create(
        SupportRecord(
            organization_id=world.pick("organizations"),
            kind=world.rng.choice(kinds),
            date=world.day(),
            description=world.rng.choice(DESCRIPTIONS),
            giver=world.rng.choice(givers),
            value_rub=Decimal(world.rng.randrange(0, 200_000, 1000)),
        )
        for _n in range(total)
    )
    world.progress("support records", total, total)
