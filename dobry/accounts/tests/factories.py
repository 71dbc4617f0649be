import secrets

import factory
from allauth.account.models import EmailAddress
from django.test import Client

from dobry.accounts.models import ConsentDocument, ConsentRecord, User
from dobry.accounts.services import api_token_create

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = "Иван"
    last_name = factory.Sequence(lambda n: f"Тестов{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
            for kind in ConsentDocument.REQUIRED_AT_SIGNUP:
                ConsentRecord.objects.create(user=self, document=ConsentDocument.current(kind))
        if create:
            self.save()


def written_consent(user, kind: str = ConsentDocument.Kind.HEALTH_DATA) -> ConsentRecord:
    """A written consent signed on paper (152-ФЗ art. 9 part 4), as a coordinator records it."""
    return ConsentRecord.objects.create(
        user=user,
        document=ConsentDocument.current(kind),
        method=ConsentRecord.Method.PAPER,
        scan=f"consents/{secrets.token_hex(16)}.pdf",  # a name in the private storage
    )


def bearer(user: User) -> Client:
    """A client that calls the API with a fresh token of `user` (no session, no CSRF)."""
    _token, raw = api_token_create(user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
