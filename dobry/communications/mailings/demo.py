"""Demo mailings of the resource centre: subscribers (demo accounts that gave the consent to
mailings, and contacts imported from the festival's forms — most confirmed, a few still
waiting for the double opt-in), two saved segments, and three mailings: one sent ten days
ago with its statistics (delivered, a failure, a suppressed address, a bounce, a complaint
and an unsubscription), one scheduled three days ahead, and a draft of the events digest.

The segments, the drafts and the schedule go through the services (audited as real use
leaves them); the sent mailing's deliveries are written as the worker and the bounce
reports would have left them, without sending anything. Idempotent: a mailing whose
subject exists is not written again."""

from collections.abc import Sequence
from datetime import time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from dobry.accounts.demo import demo_user
from dobry.accounts.models import ConsentDocument, ConsentRecord
from dobry.communications.mailings import compose, services
from dobry.communications.models import Delivery, Mailing, MailingContact, Segment
from dobry.core.clock import local_moment, local_today
from dobry.core.models import District

COORDINATOR = "coordinator@example.org"
SUBSCRIBERS = ("volunteer@example.org", "nko@example.org", "resident@example.org")
CONTACTS = (
    ("Анна Белова", "ecology"),
    ("Борис Власов", "animals"),
    ("Вера Григорьева", "children"),
    ("Глеб Денисов", "sport"),
    ("Дарья Егорова", "elderly"),
    ("Евгений Жуков", "urban"),
    ("Жанна Зайцева", "culture"),
    ("Захар Иванов", "ecology"),
    ("Инна Кузнецова", "donorship"),
    ("Кирилл Лебедев", "education"),
    ("Лариса Морозова", "family"),
    ("Максим Новиков", "animals"),
    ("Нина Орлова", "social"),
    ("Олег Павлов", "sport"),
    ("Полина Романова", "culture"),
    ("Роман Соколов", "urban"),
    ("Светлана Тарасова", "children"),
    ("Тимур Ушаков", "emergency"),
    ("Ульяна Фёдорова", "health"),
    ("Фёдор Харитонов", "ecology"),
)
WAITING = ("Яна Широкова", "Эдуард Щукин", "Юлия Янова")
SOURCE = "анкеты фестиваля «Добрый Железногорск»"

SENT = "Итоги фестиваля «Добрый Железногорск»"
SCHEDULED = "Субботник на набережной в эту субботу"
DRAFT = "События ближайших двух недель"


def _address(number: int) -> str:
    return f"reader{number:02d}@example.org"


def _subscribers() -> None:
    document = ConsentDocument.current(ConsentDocument.Kind.NEWSLETTER)
    if document is None:  # the demo's core seed writes every current document
        raise RuntimeError("no consent document for mailings")
    for email in SUBSCRIBERS:
        user = demo_user(email)
        if not ConsentRecord.objects.active().filter(user=user, document=document).exists():
            ConsentRecord.objects.create(user=user, document=document)
    districts = list(District.objects.order_by("position", "pk"))
    coordinator = demo_user(COORDINATOR)
    confirmed = timezone.now() - timedelta(days=30)
    for number, (name, area) in enumerate(CONTACTS, start=1):
        MailingContact.objects.get_or_create(
            email=_address(number),
            defaults={
                "name": name,
                "interests": [area],
                "district": districts[number % len(districts)] if districts else None,
                "source": SOURCE,
                "imported_by": coordinator,
                "invited_at": confirmed - timedelta(days=2),
                "confirmed_at": confirmed,
            },
        )
    for number, name in enumerate(WAITING, start=len(CONTACTS) + 1):
        MailingContact.objects.get_or_create(
            email=_address(number),
            defaults={
                "name": name,
                "source": SOURCE,
                "imported_by": coordinator,
                "invited_at": timezone.now() - timedelta(days=1),
            },
        )


def _segment(name: str, roles: Sequence[str] = ()) -> Segment:
    found = Segment.objects.filter(name=name).first()
    if found is not None:
        return found
    return services.segment_save(actor=demo_user(COORDINATOR), name=name, roles=roles)


def _sent(everyone: Segment) -> None:
    """Written as a run of the worker and the reports after it leave it."""
    coordinator = demo_user(COORDINATOR)
    mailing = services.mailing_save(
        actor=coordinator,
        subject=SENT,
        body_text=(
            "Здравствуйте!\n\nФестиваль «Добрый Железногорск» собрал 40 организаций и "
            "больше тысячи гостей. Спасибо волонтёрам, партнёрам и всем, кто пришёл!\n\n"
            "Фотографии и итоги — в новостях на сайте платформы."
        ),
        body_html=(
            "<p>Здравствуйте!</p><p>Фестиваль «Добрый Железногорск» собрал <b>40 "
            "организаций</b> и больше тысячи гостей. Спасибо волонтёрам, партнёрам и всем, "
            "кто пришёл!</p><p>Фотографии и итоги — в новостях на сайте платформы.</p>"
        ),
        segment=everyone,
    )
    started = timezone.now() - timedelta(days=10)
    services.materialise(mailing)
    rows = list(mailing.deliveries.order_by("email"))
    Delivery.objects.filter(mailing=mailing).update(
        state=Delivery.State.SENT, attempts=1, sent_at=started + timedelta(minutes=2)
    )
    outcomes: dict[int, dict[str, Any]] = {
        0: {"state": Delivery.State.FAILED, "sent_at": None, "last_error": "550 5.1.1 no mailbox"},
        1: {"state": Delivery.State.SUPPRESSED, "sent_at": None, "attempts": 0},
        2: {"bounced_at": started + timedelta(hours=3)},
        3: {"complained_at": started + timedelta(days=1)},
        4: {"unsubscribed_at": started + timedelta(days=2)},
    }
    for index, fields in outcomes.items():
        if index < len(rows):
            Delivery.objects.filter(pk=rows[index].pk).update(**fields)
    Mailing.objects.filter(pk=mailing.pk).update(
        status=Mailing.Status.SENT,
        scheduled_at=started,
        started_at=started,
        finished_at=started + timedelta(minutes=3),
    )


def _scheduled(everyone: Segment) -> None:
    coordinator = demo_user(COORDINATOR)
    mailing = services.mailing_save(
        actor=coordinator,
        subject=SCHEDULED,
        body_text=(
            "Здравствуйте!\n\nПриглашаем на субботник на набережной Енисея.\n\n"
            "Когда: суббота, 10:00\nГде: у лодочной станции\n\nПерчатки и мешки выдадим."
        ),
        segment=everyone,
    )
    at = local_moment(local_today() + timedelta(days=3), time(10, 0))
    services.mailing_schedule(actor=coordinator, mailing=mailing, at=at)


def _draft(volunteers: Segment) -> None:
    _subject, body = compose.template_body("digest")
    services.mailing_save(
        actor=demo_user(COORDINATOR), subject=DRAFT, body_text=body, segment=volunteers
    )


def seed() -> None:
    """Write the demo subscribers, segments and mailings once (idempotent)."""
    with transaction.atomic():
        _subscribers()
        everyone = _segment("Все подписчики")
        volunteers = _segment("Волонтёры и организации", roles=["volunteer", "organization_member"])
        existing = set(Mailing.objects.values_list("subject", flat=True))
        if SENT not in existing:
            _sent(everyone)
        if SCHEDULED not in existing:
            _scheduled(everyone)
        if DRAFT not in existing:
            _draft(volunteers)
