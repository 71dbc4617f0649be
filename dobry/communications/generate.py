"""Generated news of the city and of organisations (`manage.py generate_data`)."""

from django.db import transaction

from dobry.communications.models.news import ORGANIZATION_KIND, NewsItem
from dobry.core.generating import World, chunks
from dobry.core.references import Reference


def generate(world: World) -> None:
    """`scale.news` published news over the scale's years, a third from the resource
    centre and the rest from organisations, each with a lead and a body of paragraphs."""
    total = world.scale.news
    for chunk in chunks(total, 2_000):
        with transaction.atomic():
            NewsItem.objects.bulk_create(_item(world) for _n in chunk)
        world.progress("news", chunk.stop, total)


def _item(world: World) -> NewsItem:
    published = world.moment()
    of_city = world.rng.random() < 0.33
    item = NewsItem(
        kind=NewsItem.Kind.NEWS if world.rng.random() < 0.8 else NewsItem.Kind.ANNOUNCEMENT,
        publisher=NewsItem.Publisher.CITY if of_city else NewsItem.Publisher.ORGANIZATION,
        title=world.names.title(4),
        lead=world.names.sentence()[:400],
        body="\n\n".join(world.names.text(3) for _paragraph in range(3)),
        status=NewsItem.Status.PUBLISHED,
        published_at=published,
        author_id=world.pick("residents"),
    )
    if not of_city:
        item.organization = Reference(ORGANIZATION_KIND, world.pick("organizations"))
    item.search_text = item.folded_search_text()
    return item
