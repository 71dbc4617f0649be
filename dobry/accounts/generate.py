"""Generated residents' accounts (`manage.py generate_data`, `dobry.core.generating`)."""

from django.contrib.auth.hashers import make_password
from django.db import transaction

from dobry.accounts.models import User
from dobry.core.generating import World, chunks


def generate(world: World) -> None:
    """`scale.residents` accounts with Russian names, joined over the scale's years; none
    can sign in (an unusable password). `ids["residents"]`: their user ids, oldest first."""
    total = world.scale.residents
    password = make_password(None)
    made: list[int] = []
    for chunk in chunks(total, 5_000):
        with transaction.atomic():
            users = User.objects.bulk_create(_resident(world, n, password) for n in chunk)
        made.extend(user.pk for user in users)
        world.progress("residents", len(made), total)
    world.ids["residents"] = made


def _resident(world: World, n: int, password: str) -> User:
    first, middle, last = world.names.person()
    return User(
        email=f"r{n}@{world.tag}.example.org",
        first_name=first,
        middle_name=middle,
        last_name=last,
        phone=f"+79{world.seed % 100:02d}{n:07d}",
        password=password,
        date_joined=world.moment(),
    )
