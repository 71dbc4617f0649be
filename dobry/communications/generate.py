"""Generated news of the city and of organisations, and the resource centre's mailings to
volunteers with their deliveries (`manage.py generate_data`)."""

from datetime import timedelta

from django.db import connection, transaction

from dobry.communications.models.mailings import Delivery, Mailing, Segment
from dobry.communications.models.news import ORGANIZATION_KIND, NewsItem
from dobry.core.generating import World, chunks, insert_rows
from dobry.core.references import Reference

DELIVERY_COLUMNS = [
    "mailing_id",
    "key",
    "email",
    "user_id",
    "state",
    "attempts",
    "claimed_by",
    "last_error",
    "sent_at",
    "bounced_at",
    "unsubscribed_at",
]


def generate(world: World) -> None:
    """`scale.news` published news over the scale's years, a third from the resource
    centre and the rest from organisations, each with a lead and a body of paragraphs;
    then `scale.mailings` sent mailings with `scale.deliveries` deliveries in all."""
    total = world.scale.news
    for chunk in chunks(total, 2_000):
        with transaction.atomic():
            NewsItem.objects.bulk_create(_item(world) for _n in chunk)
        world.progress("news", chunk.stop, total)
    _mailings(world)


def _mailings(world: World) -> None:
    """Mailings to the volunteers' segment, each sent to a share of the volunteers: almost
    every delivery sent, one in a hundred bounced, one in two hundred unsubscribed after."""
    segment = Segment.objects.create(name="Волонтёры", roles=[Segment.Role.VOLUNTEER])
    email = {pk: f"r{n}@{world.tag}.example.org" for n, pk in enumerate(world.ids["residents"])}
    total = world.scale.mailings
    each = min(len(world.ids["volunteers"]), max(1, world.scale.deliveries // total))
    ops = connection.ops
    for done in range(1, total + 1):
        started = world.moment()
        with transaction.atomic():
            mailing = Mailing.objects.create(
                subject=world.names.title(4),
                body_text="\n\n".join(world.names.text(3) for _paragraph in range(2)),
                segment=segment,
                status=Mailing.Status.SENT,
                scheduled_at=started,
                started_at=started,
                finished_at=started + timedelta(minutes=30),
                created_by_id=world.pick("residents"),
            )
            sent = ops.adapt_datetimefield_value(started + timedelta(minutes=10))
            insert_rows(
                Delivery,
                DELIVERY_COLUMNS,
                (
                    _delivery(world, mailing.pk, n, email[user], user, sent)
                    for n, user in enumerate(world.rng.sample(world.ids["volunteers"], each))
                ),
            )
        world.progress("mailings", done, total)


def _delivery(
    world: World, mailing: int, n: int, email: str, user: int, sent: object
) -> tuple[object, ...]:
    roll = world.rng.random()
    bounced, unsubscribed = roll < 0.01, 0.01 <= roll < 0.015
    return (
        mailing,
        f"{world.tag}-{mailing}-{n}",
        email,
        user,
        Delivery.State.SENT.value,
        1,
        "",
        "",
        sent,
        sent if bounced else None,
        sent if unsubscribed else None,
    )


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
