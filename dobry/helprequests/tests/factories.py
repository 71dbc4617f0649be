from datetime import date, timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dobry.events.tests.factories import volunteer
from dobry.helprequests.models import HealthInfo, HelpOffer, HelpRequest, Programme
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.volunteering.models import VolunteerProfile


class HelpRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpRequest
        skip_postgeneration_save = True

    category = "delivery"
    summary = factory.Sequence(lambda n: f"Привезти продукты пожилому человеку №{n}")
    details = "Хлеб, молоко, лекарства по рецепту"
    recipient_name = "Мария Ивановна"
    recipient_phone = factory.Sequence(lambda n: f"+7913{n:07d}")
    address = factory.Sequence(lambda n: f"ул. Ленина, {n}, кв. 5")
    asap = True
    status = HelpRequest.Status.NEW

    @factory.post_generation
    def health_info(
        obj: HelpRequest, create: bool, extracted: str | None, **kwargs: object
    ) -> None:
        """`HelpRequestFactory(health_info="…")` gives the request its health row."""
        if extracted:
            HealthInfo.objects.create(
                help_request=obj, text=extracted, consent_version=1, consent_at=timezone.now()
            )
            obj.has_health_info = True
            obj.save(update_fields=["has_health_info"])


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Программа помощи {n}")
    category = "delivery"
    target_group = "одинокие пожилые люди"
    starts_on = date(2025, 1, 1)


def offerable_volunteer(
    born: date = date(1990, 5, 17), skills: str = "курьер, вожу машину", **kwargs
):
    """A volunteer with a reason to be asked for the factory's requests (deliveries:
    suitable skills), so a candidate of «Кому предложить» and offerable. A bare
    `events.tests.factories.volunteer()` has no reason and is no candidate."""
    user = volunteer(born=born, **kwargs)
    VolunteerProfile.objects.filter(user=user).update(skills=skills)
    return user


def consent_scan(
    name: str = "soglasie.pdf", content: bytes = b"%PDF-1.4 signed consent"
) -> SimpleUploadedFile:
    """The scan of a paper consent to processing health data, as a coordinator uploads it."""
    types = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}
    content_type = types.get(name.rsplit(".", 1)[-1], "application/octet-stream")
    return SimpleUploadedFile(name, content, content_type=content_type)


TAKEN_BY_PHONE = {
    "category": "delivery",
    "summary": "Привезти продукты и лекарства",
    "details": "Хлеб, молоко, лекарства по рецепту",
    "recipient_name": "Мария Ивановна Петрова",
    "recipient_phone": "+79135550077",
    "address": "ул. Ленина, 10, кв. 5",
    "asap": True,
    "relation": HelpRequest.Relation.PHONE_CALL,
}


def taken_by_phone(
    coordinator, *, health_info: str = "Плохо слышит", scan=None, **fields
) -> HelpRequest:
    """A request a coordinator registered for a resident who called, with health data and
    the scan of the resident's signed paper consent."""
    from dobry.helprequests.services.submission import request_submit

    return request_submit(
        requester=coordinator,
        fields={**TAKEN_BY_PHONE, **fields},
        health_info=health_info,
        consent_scan=scan if scan is not None else consent_scan(),
    )


def accepted_helper(help_request: HelpRequest, helper=None):
    """A volunteer (`helper`, or a new one) whose offer for `help_request` is accepted:
    the one who may report the help and whose hours go to the record book. Accepted
    twelve hours ago: a report holds no more hours than have passed since."""
    person = helper or volunteer()
    HelpOffer.objects.create(
        request=help_request,
        volunteer=person,
        status=HelpOffer.Status.ACCEPTED,
        expires_at=timezone.now() + timedelta(hours=1),
        answered_at=timezone.now() - timedelta(hours=12),
    )
    return person


def accepted_hours_ago(help_request: HelpRequest, hours: int = 12) -> None:
    """The accepted offers of `help_request` were accepted `hours` ago: a helper who
    accepted through the services a moment ago has given no hour of help yet
    (`completion.help_report` refuses more hours than have passed since)."""
    HelpOffer.objects.filter(request=help_request, status=HelpOffer.Status.ACCEPTED).update(
        answered_at=timezone.now() - timedelta(hours=hours)
    )
