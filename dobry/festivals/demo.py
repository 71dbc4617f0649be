"""Demo programmes (issue 16): last year's festival «Добрый Железногорск» in the Kirov park
— tracks, halls and park zones, sessions with speakers and registrations, NGO stands on
the Alley of NGOs, volunteer shifts on a zone and a stand with check-ins, two published
versions; last year's Civic Forum with its sections and a published resolution; and the
coming festival's programme (from the events' demo) for «моё расписание». Idempotent."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.base import ContentFile

from dobry.accounts.demo import demo_user
from dobry.accounts.models import User
from dobry.core.clock import city_zone, local_today
from dobry.events.models import Event, Registration, Shift
from dobry.festivals.models import Programme, Session, StandApplication, Venue
from dobry.festivals.services import programme as services
from dobry.organizations.models import Organization

FESTIVAL = "Фестиваль «Добрый Железногорск»"


@dataclass(frozen=True)
class DemoSession:
    title: str
    venue: int
    track: int
    hour: int
    minutes: int
    capacity: int | None
    people: tuple[tuple[str, str, str], ...]  # (name, role, about)
    description: str = ""


FESTIVAL_SESSIONS = (
    DemoSession("Открытие фестиваля", 0, 0, 11, 30, None,
                (("Глава ЗАТО г. Железногорск", "speaker", "приветствие"),),
                "Приветствие гостей, награждение добровольцев года."),
    DemoSession("Как стать волонтёром: первые шаги", 1, 0, 12, 60, 25,
                (("Ирина Волонтёрова", "moderator", "ресурсный центр"),),
                "Где искать добрые дела, как записаться на смену, что такое книжка волонтёра."),
    DemoSession("Мастер-класс «Скворечник своими руками»", 1, 1, 13, 60, 15,
                (("Совет ветеранов", "speaker", "мастера клуба «Умелые руки»"),)),
    DemoSession("НКО и бизнес: как договориться", 1, 1, 14, 90, 30,
                (("АО «ИСС»", "speaker", "социальные программы предприятия"),
                 ("КРОО «АРГО»", "speaker", "опыт партнёрства"))),
    DemoSession("Инклюзивный концерт", 0, 2, 16, 60, None,
                (("«Этот мир для тебя»", "speaker", "творческие коллективы"),)),
)  # fmt: skip
STANDS = (
    ("КРОО «АРГО»", "Школа добровольцев с инвалидностью: игры и тренажёр доступной среды."),
    ("Совет ветеранов", "Выставка поделок клуба «Умелые руки» и запись в кружки."),
    ("«Этот мир для тебя»", "Творческая мастерская для детей и родителей."),
    ("«Федерация ЗОЖ»", "Зарядка для всех и квест о здоровом образе жизни."),
    ("ЦГБ им. М. Горького", "Буккроссинг и громкие чтения для малышей."),
)


def _at(day: datetime, hour: int, minute: int = 0) -> datetime:
    return day.replace(hour=hour, minute=minute)


def _organization(short_name: str) -> Organization | None:
    return Organization.objects.filter(short_name=short_name).first()


def seed() -> None:
    if Programme.objects.exists():
        return
    coordinator = demo_user("coordinator@example.org")
    last_year = local_today().replace(day=1) - timedelta(days=330)
    day = datetime(last_year.year, last_year.month, 6, tzinfo=city_zone())
    _last_festival(coordinator, day)
    _civic_forum(coordinator, day - timedelta(days=60))
    _coming_festival(coordinator)


def _past_event(kind: str, title: str, organizer: str, day: datetime, coordinator: User) -> Event:
    organization = _organization(organizer) or Organization.objects.verified().first()
    assert organization is not None
    return Event.objects.create(
        organization=organization,
        kind=kind,
        title=title,
        summary="Праздник НКО, инициатив и волонтёров города.",
        place="Парк им. С. М. Кирова",
        address="г. Железногорск, ул. Парковая, 9",
        status=Event.Status.PUBLISHED,
        starts_at=_at(day, 11),
        ends_at=_at(day, 18),
        published_at=_at(day, 11) - timedelta(days=30),
        created_by=coordinator,
    )


def _build(
    coordinator: User, programme: Programme, day: datetime, sessions: tuple[DemoSession, ...]
) -> tuple[list[Venue], list[Session]]:
    tracks = [
        services.track_save(actor=coordinator, programme=programme, title=title, position=n)
        for n, title in enumerate(("Добровольчество", "НКО и партнёры", "Инклюзия и культура"))
    ]
    venues = [
        services.venue_save(
            actor=coordinator, programme=programme, title="Главная сцена",
            kind=Venue.Kind.PARK_ZONE, description="У фонтана",
        ),
        services.venue_save(
            actor=coordinator, programme=programme, title="Шатёр мастер-классов",
            kind=Venue.Kind.HALL, description="За летней эстрадой", position=1,
        ),
        services.venue_save(
            actor=coordinator, programme=programme, title="Аллея НКО",
            kind=Venue.Kind.PARK_ZONE, description="От главного входа к сцене", position=2,
        ),
    ]  # fmt: skip
    made = []
    for demo in sessions:
        start = _at(day, demo.hour)
        session = services.session_save(
            actor=coordinator,
            programme=programme,
            values={
                "title": demo.title, "description": demo.description,
                "venue": venues[demo.venue], "track": tracks[demo.track],
                "starts_at": start, "ends_at": start + timedelta(minutes=demo.minutes),
                "capacity": demo.capacity,
            },
        )  # fmt: skip
        for name, role, about in demo.people:
            services.speaker_add(
                actor=coordinator, session=session, name=name, role=role, about=about
            )
        made.append(session)
    return venues, made


def _people() -> list[User]:
    return list(User.objects.filter(is_active=True, is_staff=False).order_by("pk")[:12])


def _last_festival(coordinator: User, day: datetime) -> None:
    event = _past_event(
        Event.Kind.FESTIVAL, f"{FESTIVAL} — {day.year}", "Парк им. С. М. Кирова", day, coordinator
    )
    programme = services.programme_create(actor=coordinator, event=event)
    venues, sessions = _build(coordinator, programme, day, FESTIVAL_SESSIONS)
    places = services.places_add(actor=coordinator, venue=venues[2], first=1, last=12)
    people = _people()
    # registered while the festival was ahead: the places and selections of last year
    for person in people[:8]:
        for session in sessions[1:3]:
            session.registrations.get_or_create(user=person)
            session.selections.get_or_create(user=person)
    services.version_publish(actor=coordinator, programme=programme)
    stands = []
    for number, (short_name, exhibit) in enumerate(STANDS):
        organization = _organization(short_name)
        if organization is None:
            continue
        stand = programme.stands.create(
            organization=organization, exhibit=exhibit, submitted_by=coordinator
        )
        services.stand_accept(actor=coordinator, stand=stand, place=places[number])
        stands.append(stand)
    # the master class moved to a later hour: version 2, its people told once
    moved = sessions[2]
    services.session_save(
        actor=coordinator, programme=programme, session=moved,
        values={"starts_at": _at(day, 16), "ends_at": _at(day, 17)},
    )  # fmt: skip
    services.version_publish(actor=coordinator, programme=programme)
    _volunteers(coordinator, event, venues[2], stands, people, day)


def _volunteers(
    coordinator: User,
    event: Event,
    zone: Venue,
    stands: list[StandApplication],
    people: list[User],
    day: datetime,
) -> None:
    """Volunteer shifts of the festival on the Alley of NGOs and at a stand, with their
    volunteers checked in (the events' own shifts and check-in)."""
    posts: list[tuple[str, Venue | None, StandApplication | None]] = [
        ("Волонтёр аллеи НКО", zone, None)
    ]
    if stands:
        posts.append(("Помощник стенда", None, stands[0]))
    for title, venue, stand in posts:
        shift = Shift.objects.create(
            event=event, title=title, starts_at=_at(day, 10), ends_at=_at(day, 18), capacity=6
        )
        services.shift_post_set(actor=coordinator, shift=shift, venue=venue, stand=stand)
        for person in people[8:11]:
            Registration.objects.get_or_create(
                shift=shift,
                user=person,
                defaults={
                    "status": Registration.Status.CONFIRMED,
                    "checked_in_at": _at(day, 10),
                    "checked_out_at": _at(day, 18),
                },
            )


def _civic_forum(coordinator: User, day: datetime) -> None:
    event = _past_event(
        Event.Kind.FORUM, f"Гражданский форум Железногорска — {day.year}",
        "Администрация ЗАТО г. Железногорск", day, coordinator,
    )  # fmt: skip
    event.place, event.summary = "Дворец культуры", "Эксперты и активисты края о городе."
    event.save(update_fields=["place", "summary"])
    programme = services.programme_create(actor=coordinator, event=event, civic_forum=True)
    sections = [
        services.track_save(actor=coordinator, programme=programme, title=title, position=n)
        for n, title in enumerate(("Секция «НКО и власть»", "Секция «Городская среда»"))
    ]
    hall = services.venue_save(actor=coordinator, programme=programme, title="Большой зал ДК")
    small = services.venue_save(actor=coordinator, programme=programme, title="Малый зал ДК")
    for n, (section, venue) in enumerate(zip(sections, (hall, small), strict=True)):
        services.session_save(
            actor=coordinator, programme=programme,
            values={"title": section.title.replace("Секция ", "Работа секции "),
                    "venue": venue, "track": section, "capacity": 60,
                    "starts_at": _at(day, 11 + n), "ends_at": _at(day, 13 + n)},
        )  # fmt: skip
    services.version_publish(actor=coordinator, programme=programme)
    document = ContentFile(
        "Резолюция секции «НКО и власть».\n\n1. Создать общественный совет НКО при главе города."
        "\n2. Проводить конкурс социальных проектов дважды в год.\n".encode(),
        name="резолюция-нко-и-власть.txt",
    )
    services.resolution_publish(
        actor=coordinator,
        track=sections[0],
        summary="Создать общественный совет НКО; конкурс социальных проектов — дважды в год.",
        file=document,
    )


def _coming_festival(coordinator: User) -> None:
    """The festival ahead (from the events' demo) gets its programme, so that a newcomer
    builds «моё расписание» and registers for a master class."""
    event = Event.objects.filter(kind=Event.Kind.FESTIVAL, title=FESTIVAL).order_by("pk").first()
    if event is None or event.starts_at is None:
        return
    programme = services.programme_create(actor=coordinator, event=event)
    day = event.starts_at.astimezone(city_zone())
    venues, _sessions = _build(coordinator, programme, day, FESTIVAL_SESSIONS)
    services.places_add(actor=coordinator, venue=venues[2], first=1, last=12)
    services.version_publish(actor=coordinator, programme=programme)
