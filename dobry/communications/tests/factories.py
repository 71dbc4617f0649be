"""News for tests: items written straight into the table (a published city item by
default), and the people of an organisation's newsroom."""

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from dobry.accounts.tests.factories import UserFactory
from dobry.communications.models import NewsItem, NewsTag
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory


class NewsTagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsTag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"метка{n}")
    slug = factory.LazyAttribute(lambda tag: tag.name.lower())


class NewsItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsItem
        skip_postgeneration_save = True

    kind = NewsItem.Kind.NEWS
    publisher = NewsItem.Publisher.CITY
    title = factory.Sequence(lambda n: f"Новость номер {n}")
    lead = "Коротко о главном."
    body = "<p>Текст новости.</p>"
    status = NewsItem.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        # `organization=<Organization>` names it (an organisation's item with
        # `publisher="organization"`)
        organization = None

    organization_kind = factory.LazyAttribute(lambda o: "organization" if o.organization else "")
    organization_pk = factory.LazyAttribute(lambda o: o.organization.pk if o.organization else None)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set([NewsTagFactory(name=name, slug=name.lower()) for name in extracted])


def organization_item(organization, **kwargs) -> NewsItem:
    """An organisation's item (published unless `status` says otherwise)."""
    return NewsItemFactory(
        publisher=NewsItem.Publisher.ORGANIZATION, organization=organization, **kwargs
    )


def editor_of(organization=None, *, role=Membership.Role.EDITOR):
    """A user who is an editor (or `role`) of `organization` (a new verified one by
    default)."""
    organization = organization or OrganizationFactory()
    return MembershipFactory(organization=organization, user=UserFactory(), role=role).user


def png(name: str = "cover.png", size: tuple[int, int] = (40, 20)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
