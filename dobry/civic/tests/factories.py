"""Test data of the civic app: initiatives and the people around them."""

import io
from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from dobry.accounts.tests.factories import UserFactory
from dobry.civic.models import (
    Comment,
    Initiative,
    ResidentVerification,
    Support,
    TeamMember,
    TimelineEntry,
    Vote,
    VoteOption,
)
from dobry.core.models import District


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Скамейки у озера {n}")
    problem = "У озера негде присесть пожилым людям."
    idea = "Поставить пять скамеек силами жителей."
    address = "ул. Ленина, 10"
    needed_skills = "столяр, фотограф"
    author = factory.SubFactory(UserFactory)

    @factory.post_generation
    def started(self, create, extracted, **kwargs):
        if create:
            TimelineEntry.objects.create(initiative=self, stage=self.status, author=self.author)


class SupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Support

    initiative = factory.SubFactory(InitiativeFactory)
    user = factory.SubFactory(UserFactory)


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    initiative = factory.SubFactory(InitiativeFactory)
    user = factory.SubFactory(UserFactory)
    role = "делаю макет"


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    initiative = factory.SubFactory(InitiativeFactory)
    author = factory.SubFactory(UserFactory)
    text = "Отличная идея, готов помочь."


def coordinator():
    return UserFactory(is_coordinator=True)


def district(name: str = "Первомайский") -> District:
    slug = f"district-{District.objects.count() + 1}"
    return District.objects.get_or_create(name=name, defaults={"slug": slug})[0]


def picture(name: str = "result.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def verified_resident(**kwargs):
    """A resident a coordinator confirmed to vote."""
    user = UserFactory(**kwargs)
    ResidentVerification.objects.create(
        user=user, method=ResidentVerification.Method.COORDINATOR, verified_at=timezone.now()
    )
    return user


def running_vote(*, kind="approval", options=3, max_choices=2, budget=None, costs=None, **extra):
    """An announced vote, open since yesterday for another day, with `options` named
    options (costs in a budget vote: `costs` or 100 000 ₽ each)."""
    now = timezone.now()
    vote = Vote.objects.create(
        title=extra.pop("title", "Народный выбор"),
        kind=kind,
        max_choices=max_choices,
        budget=budget if budget is not None else (Decimal(250_000) if kind == "budget" else None),
        opens_at=extra.pop("opens_at", now - timedelta(days=1)),
        closes_at=extra.pop("closes_at", now + timedelta(days=1)),
        status=extra.pop("status", Vote.Status.OPEN),
        **extra,
    )
    for n in range(options):
        cost = (costs[n] if costs else Decimal(100_000)) if kind == "budget" else None
        VoteOption.objects.create(vote=vote, position=n + 1, title=f"Проект {n + 1}", cost=cost)
    return vote


def close_now(vote):
    """Move the vote's last moment into the past (as if its days had passed)."""
    vote.opens_at = timezone.now() - timedelta(days=3)
    vote.closes_at = timezone.now() - timedelta(minutes=1)
    vote.save(update_fields=["opens_at", "closes_at"])
    return vote
