"""Demo events: the programmes of section 7 of the passport (items 19–39), upcoming, with
shifts — some full with a waiting list — and past ones that gave demo volunteers their
confirmed hours and badges."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from dobry.accounts.demo import demo_user
from dobry.accounts.models import User
from dobry.core.clock import city_zone, local_date, local_today
from dobry.core.models import District
from dobry.events.models import Event, EventArea, Registration, Shift
from dobry.events.services.events import event_create, event_publish, shift_create
from dobry.events.services.registrations import registration_create
from dobry.organizations.models import Organization
from dobry.volunteering.models import HoursEntry, Qualification, VolunteerProfile

K = Event.Kind


@dataclass(frozen=True)
class DemoEvent:
    title: str
    organizer: str  # short name of a demo organisation
    kind: str
    areas: tuple[str, ...]
    summary: str
    days_ahead: int
    hour: int
    shifts: tuple[tuple[str, int, int], ...]  # (role, hours, capacity)
    place: str = ""
    district: str = "center"
    fill: int = 0  # demo volunteers to sign up (beyond capacity → waiting list)
    minors: bool = False
    wheelchair: bool = False


EVENTS = [
    DemoEvent(
        "Акция «Белая трость»",
        "Молодёжный центр",
        K.VOLUNTEER_ACTION,
        ("disability",),
        "Рассказываем горожанам о жизни незрячих людей, проводим прогулки с повязкой на глазах.",
        4,
        11,
        (("Ведущий площадки", 3, 5),),
        "Площадь Ленина",
        fill=8,
        wheelchair=True,
    ),
    DemoEvent(
        "«Бабушкина школа»: компьютер без страха",
        "ЦГБ им. М. Горького",
        K.PROGRAMME_ACTIVITY,
        ("elderly", "education"),
        "Помогаем пенсионерам освоить смартфон, Госуслуги и видеосвязь с внуками.",
        2,
        15,
        (("Наставник", 2, 6),),
        "Центральная библиотека, читальный зал",
        fill=3,
        wheelchair=True,
    ),
    DemoEvent(
        "«Кувшин с трещинкой»: школа особых добровольцев",
        "КРОО «АРГО»",
        K.PROGRAMME_ACTIVITY,
        ("disability", "social"),
        "Занятие школы добровольцев с инвалидностью: учимся помогать другим вместе.",
        6,
        17,
        (("Тьютор", 2, 4), ("Помощник в зале", 2, 6)),
        "Ресурсный центр, ул. Свердлова",
        fill=4,
        wheelchair=True,
    ),
    DemoEvent(
        "Фестиваль «Добрый Железногорск»",
        "Парк им. С. М. Кирова",
        K.FESTIVAL,
        ("social", "culture", "nko_support"),
        "Ежегодный праздник НКО, инициатив и волонтёров города: площадки, мастер-классы, концерт.",
        20,
        10,
        (("Встреча гостей", 4, 20), ("Площадка для детей", 4, 10), ("Фото и видео", 6, 3)),
        "Парк культуры и отдыха им. С. М. Кирова",
        district="old-town",
        fill=12,
        minors=True,
    ),
    DemoEvent(
        "«Праздник осени» для детей",
        "ИГ «Праздник осени»",
        K.VOLUNTEER_ACTION,
        ("children", "culture"),
        "Игры, конкурсы и угощение для детей посёлка.",
        9,
        12,
        (("Аниматор", 3, 8),),
        "Дом культуры пос. Подгорный",
        district="podgorny",
        fill=2,
        minors=True,
    ),
    DemoEvent(
        "Акция памяти жертв Бесланской школы",
        "Молодёжный центр",
        K.VOLUNTEER_ACTION,
        ("patriotic",),
        "Минута молчания, белые шары и свечи памяти.",
        12,
        18,
        (("Волонтёр акции", 2, 15),),
        "Аллея Славы",
        fill=5,
        minors=True,
    ),
    DemoEvent(
        "«Кто такой донор?»",
        "Молодёжный центр",
        K.VOLUNTEER_ACTION,
        ("donorship", "health"),
        "Рассказываем школьникам о донорстве крови и костного мозга.",
        15,
        14,
        (("Лектор-волонтёр", 2, 4),),
        "Коррекционная школа-интернат",
        fill=1,
    ),
    DemoEvent(
        "«Двор, в котором я живу»",
        "Совет ветеранов",
        K.VOLUNTEER_ACTION,
        ("urban", "elderly"),
        "Субботник и посадка цветов во дворе вместе с ветеранами.",
        5,
        10,
        (("Субботник", 3, 12),),
        "Двор на ул. Октябрьской, 25",
        district="pervomaisky",
        fill=6,
        minors=True,
    ),
    DemoEvent(
        "«Испытание Сибирью. Гонка преодоления»",
        "КРОО «АРГО»",
        K.VOLUNTEER_ACTION,
        ("sport", "disability"),
        "Инклюзивный забег: нужны волонтёры на трассе и на финише.",
        25,
        9,
        (("Маршал трассы", 5, 10), ("Медпункт", 5, 2)),
        "Лыжная база «Снежинка»",
        fill=3,
    ),
    DemoEvent(
        "«Мы такие же, как все!»: адаптивная физкультура",
        "ФСЦ",
        K.PROGRAMME_ACTIVITY,
        ("sport", "disability"),
        "Помогаем детям с особенностями на занятиях адаптивной физкультурой.",
        3,
        16,
        (("Помощник тренера", 2, 3),),
        "Спорткомплекс «Октябрь»",
        fill=3,
        wheelchair=True,
    ),
    DemoEvent(
        "Ярмарка семейного досуга",
        "ЦГБ им. М. Горького",
        K.VOLUNTEER_ACTION,
        ("family", "culture"),
        "Семейные мастер-классы, книжный обмен и игры.",
        18,
        12,
        (("Мастер-класс", 3, 6),),
        "Центральная библиотека",
        fill=2,
        minors=True,
    ),
    DemoEvent(
        "«Территория спорта и отдыха»",
        "«Федерация ЗОЖ»",
        K.VOLUNTEER_ACTION,
        ("sport", "health"),
        "Дворовые спортивные игры для подростков.",
        8,
        17,
        (("Инструктор игр", 2, 5),),
        "Стадион «Труд»",
        fill=1,
        minors=True,
    ),
    DemoEvent(
        "«Бабушкины сказки»",
        "«Школа осознанного родительства»",
        K.PROGRAMME_ACTIVITY,
        ("family", "elderly"),
        "Бабушки и дедушки читают сказки детям из детских садов.",
        10,
        10,
        (("Чтец", 1, 4),),
        "Детский сад № 45",
        fill=4,
    ),
    DemoEvent(
        "Гастрономический мастер-класс для особых ребятишек",
        "Молодёжный центр",
        K.VOLUNTEER_ACTION,
        ("disability", "children"),
        "Готовим пиццу вместе с детьми с особенностями развития.",
        14,
        13,
        (("Помощник повара", 2, 4),),
        "Кафе «Сибирский двор»",
        fill=2,
    ),
    DemoEvent(
        "Фестиваль неограниченных возможностей",
        "«Этот мир для тебя»",
        K.FESTIVAL,
        ("disability", "culture"),
        "Творческий фестиваль для детей с инвалидностью и их семей.",
        30,
        11,
        (("Сопровождающий", 4, 10),),
        "Дворец культуры",
        fill=2,
        wheelchair=True,
    ),
]

PAST_HOURS = [  # (days ago, organisation, description, hours, thanks)
    (40, "КРОО «АРГО»", "«Кувшин с трещинкой»: занятие", "4", "Спасибо за терпение и доброту!"),
    (33, "Совет ветеранов", "«Двор, в котором я живу»: субботник", "6", ""),
    (26, "Молодёжный центр", "Акция «Белая трость»", "5", "Вы были лучшим ведущим площадки!"),
    (19, "ЦГБ им. М. Горького", "«Бабушкина школа»: наставник", "8", ""),
    (
        12,
        "Парк им. С. М. Кирова",
        "Фестиваль «Добрый Железногорск»: встреча гостей",
        "12",
        "Спасибо!",
    ),
    (5, "КРОО «АРГО»", "«Испытание Сибирью»: маршал трассы", "21", ""),
]

QUALIFICATIONS = [
    ("Медицинская книжка", "medbook", True),
    ("Курс первой помощи", "first-aid", True),
    ("Водительские права категории B", "driving-b", False),
]


def _organization(short_name: str) -> Organization:
    return Organization.objects.get(short_name=short_name)


CROWD_NAMES = (
    ("Анна", "Смирнова"),
    ("Иван", "Кузнецов"),
    ("Мария", "Попова"),
    ("Пётр", "Лебедев"),
    ("Елена", "Новикова"),
    ("Сергей", "Морозов"),
    ("Дарья", "Зайцева"),
    ("Алексей", "Белов"),
    ("Юлия", "Громова"),
    ("Николай", "Титов"),
    ("Татьяна", "Егорова"),
)


def _crowd(count: int) -> list[User]:
    """Demo residents who volunteer (no password: they only fill the events)."""
    people = []
    for number in range(1, count + 1):
        user, created = User.objects.get_or_create(
            email=f"resident{number}@example.org",
            defaults={
                "first_name": CROWD_NAMES[number % len(CROWD_NAMES)][0],
                "last_name": CROWD_NAMES[number % len(CROWD_NAMES)][1],
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        VolunteerProfile.objects.get_or_create(
            user=user,
            defaults={"date_of_birth": date(1970 + number % 35, 1 + number % 12, 1 + number % 27)},
        )
        people.append(user)
    return people


def _at(days: int, hour: int) -> datetime:
    day = local_today() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=city_zone())


def seed() -> None:
    if Event.objects.exists():
        return
    for name, slug, expires in QUALIFICATIONS:
        Qualification.objects.get_or_create(slug=slug, defaults={"name": name, "expires": expires})
    coordinator = demo_user("coordinator@example.org")
    volunteer = demo_user("volunteer@example.org")
    _demo_profiles(volunteer)
    crowd = _crowd(30)
    districts = {d.slug: d for d in District.objects.all()}
    for demo in EVENTS:
        shifts = _published_event(coordinator, demo, districts)
        for person in crowd[: demo.fill]:
            registration_create(user=person, shift=shifts[0])
    _past_hours(volunteer, coordinator)


def _demo_profiles(volunteer: User) -> None:
    VolunteerProfile.objects.update_or_create(
        user=volunteer,
        defaults={
            "date_of_birth": date(1996, 4, 12),
            "interests": ["elderly", "disability", "sport"],
            "skills": "вожу машину, фотографирую",
            "availability": ["sat-morning", "sun-day"],
        },
    )
    VolunteerProfile.objects.get_or_create(
        user=demo_user("nko@example.org"), defaults={"date_of_birth": date(1979, 9, 3)}
    )


def _published_event(
    coordinator: User, demo: DemoEvent, districts: dict[str, District]
) -> list[Shift]:
    """The event created, given its shifts one after another, and published."""
    event = event_create(
        actor=coordinator,
        organization=_organization(demo.organizer),
        fields={
            "kind": demo.kind,
            "title": demo.title,
            "summary": demo.summary,
            "description": demo.summary,
            "place": demo.place,
            "address": "г. Железногорск",
            "district": districts.get(demo.district),
            "wheelchair_accessible": demo.wheelchair,
            "accessibility": "Вход без ступеней, есть туалет для людей на колясках."
            if demo.wheelchair
            else "",
        },
        areas=demo.areas,
    )
    shifts = []
    for index, (role, hours, capacity) in enumerate(demo.shifts):
        start = _at(demo.days_ahead, demo.hour + index)
        shifts.append(
            shift_create(
                actor=coordinator,
                event=event,
                fields={
                    "title": role,
                    "starts_at": start,
                    "ends_at": start + timedelta(hours=hours),
                    "capacity": capacity,
                    "open_to_minors": demo.minors,
                },
            )
        )
    event_publish(actor=coordinator, event=event)
    return shifts


def _past_hours(volunteer: User, coordinator: User) -> None:
    """Past events the demo volunteer took part in, with confirmed hours (badges 10 and 50)."""
    now = timezone.now()
    for days_ago, organizer, description, hours, thanks in PAST_HOURS:
        start = _at(-days_ago, 10)
        end = start + timedelta(hours=float(hours))
        event = Event.objects.create(
            organization=_organization(organizer),
            kind=K.VOLUNTEER_ACTION,
            title=description,
            status=Event.Status.PUBLISHED,
            starts_at=start,
            ends_at=end,
            published_at=start - timedelta(days=10),
            created_by=coordinator,
        )
        EventArea.objects.create(event=event, area="social")
        shift = Shift.objects.create(
            event=event, title="Волонтёр", starts_at=start, ends_at=end, capacity=20
        )
        registration = Registration.objects.create(
            shift=shift,
            user=volunteer,
            status=Registration.Status.CONFIRMED,
            checked_in_at=start,
            checked_out_at=end,
            decided_at=start - timedelta(days=5),
        )
        HoursEntry.objects.create(
            user=volunteer,
            organization=event.organization,
            registration=registration,
            date=local_date(start),
            hours=Decimal(hours),
            claimed_hours=Decimal(hours),
            area="social",
            description=description,
            source=HoursEntry.Source.ATTENDANCE,
            status=HoursEntry.Status.CONFIRMED,
            thanks=thanks,
            decided_by=coordinator,
            decided_at=now,
        )
