"""Generated charity campaigns and their donations (`manage.py generate_data`)."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction

from dobry.charity.models import Campaign, Donation
from dobry.core.generating import World, chunks

PURPOSES = ["Лечение", "Инвалидная коляска", "Летний лагерь", "Продуктовые наборы", "Ремонт"]


def generate(world: World) -> None:
    """`scale.campaigns` campaigns of organisations (`scale.collecting` still collecting,
    the rest finished) with goals of 20,000–500,000 roubles, and `scale.donations` donations of
    100–10,000 roubles, half from donors with accounts (counted once by `donor_key`)."""
    with transaction.atomic():
        campaigns = Campaign.objects.bulk_create(
            _campaign(world, n < world.scale.collecting) for n in range(world.scale.campaigns)
        )
    world.ids["campaigns"] = [campaign.pk for campaign in campaigns]
    world.progress("campaigns", len(campaigns), len(campaigns))
    owners = {campaign.pk: campaign for campaign in campaigns}
    total = world.scale.donations
    for chunk in chunks(total, 5_000):
        with transaction.atomic():
            Donation.objects.bulk_create(_donation(world, owners) for _n in chunk)
        world.progress("donations", chunk.stop, total)


def _campaign(world: World, collecting: bool) -> Campaign:
    deadline = (
        world.today + timedelta(days=world.rng.randint(10, 90))
        if collecting
        else world.day() + timedelta(days=1)
    )
    campaign = Campaign(
        organization_id=world.pick("organizations"),
        title=f"{world.rng.choice(PURPOSES)}: {world.names.title(2)}",
        purpose=world.names.sentence()[:300],
        story=world.names.text(6),
        goal=Decimal(world.rng.randrange(20_000, 500_000, 1_000)),
        deadline=deadline,
        district_id=world.pick("districts"),
        status=Campaign.Status.ACTIVE if collecting else Campaign.Status.FINISHED,
        finished_on=None if collecting else deadline,
        created_by_id=world.pick("residents"),
    )
    campaign.search_text = campaign.folded_search_text()
    return campaign


def _donation(world: World, campaigns: dict[int, Campaign]) -> Donation:
    campaign = campaigns[world.pick("campaigns")]
    with_account = world.rng.random() < 0.5
    donor = world.pick("residents") if with_account else None
    first, _middle, last = world.names.person()
    return Donation(
        organization_id=campaign.organization_id,
        campaign=campaign,
        amount=Decimal(world.rng.randrange(100, 10_000, 50)),
        received_on=min(campaign.deadline, world.today) - timedelta(days=world.rng.randrange(30)),
        source=Donation.Source.MANUAL,
        donor_id=donor,
        donor_name=f"{first} {last}",
        donor_key=f"u{donor}" if donor else f"{world.tag}-{first}-{last}",
        is_anonymous=world.rng.random() < 0.7,
    )
