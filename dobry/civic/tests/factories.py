"""Test data of the civic app: initiatives and the people around them."""

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dobry.accounts.tests.factories import UserFactory
from dobry.civic.models import Comment, Initiative, Support, TeamMember, TimelineEntry
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
