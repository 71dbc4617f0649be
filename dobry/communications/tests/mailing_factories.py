"""Subscribers, segments and mailings for the mailings' tests."""

from django.utils import timezone

from dobry.accounts.models import ConsentDocument, ConsentRecord
from dobry.accounts.tests.factories import UserFactory
from dobry.communications.models import Mailing, MailingContact, Segment


def subscriber(**kwargs):
    """An account that gave the consent to mailings."""
    user = UserFactory(**kwargs)
    ConsentRecord.objects.create(
        user=user, document=ConsentDocument.current(ConsentDocument.Kind.NEWSLETTER)
    )
    return user


def contact(email: str, *, confirmed: bool = True, **kwargs) -> MailingContact:
    return MailingContact.objects.create(
        email=email, confirmed_at=timezone.now() if confirmed else None, **kwargs
    )


def segment(**kwargs) -> Segment:
    kwargs.setdefault("name", "Все")
    return Segment.objects.create(**kwargs)


def mailing(**kwargs) -> Mailing:
    kwargs.setdefault("subject", "Новости города")
    kwargs.setdefault("body_text", "Здравствуйте! Новости недели.")
    if "segment" not in kwargs:
        kwargs["segment"] = segment()
    return Mailing.objects.create(**kwargs)


def scheduled(**kwargs) -> Mailing:
    return mailing(status=Mailing.Status.SCHEDULED, scheduled_at=timezone.now(), **kwargs)
