"""The demo year: last calendar year's records, made one by one, so that the dashboard
reproduces the passport's results table (14 / 40 % / 10 % / 40 / 23 / 5000) from them.

What other demo modules already put in that year counts; this module adds only what is
missing, so running it again adds nothing. The shares follow the `DOBRY_POPULATION`
setting (85 000 for Zheleznogorsk)."""

import math
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from dobry.accounts.models import User
from dobry.core.clock import local_moment, local_today
from dobry.core.models import District
from dobry.core.typography import quoted
from dobry.events.models import Event
from dobry.helprequests.models import (
    HELP_GIVEN_SUMMARY,
    Category,
    HelpRequest,
    Programme,
    ProgrammeRecord,
)
from dobry.organizations.models import Organization
from dobry.reports import indicators
from dobry.reports.models import Indicator, ReachFigure, Target
from dobry.reports.periods import Period, year
from dobry.reports.services import snapshots_store
from dobry.resources.models import Giver, SupportKind, SupportRecord
from dobry.volunteering.models import HoursEntry

PASSPORT_TABLE = {
    Indicator.INFRASTRUCTURE_EVENTS: Decimal(14),
    Indicator.INFORMED_SHARE: Decimal(40),
    Indicator.INVOLVED_SHARE: Decimal(10),
    Indicator.SUPPORTED_ORGANISATIONS: Decimal(40),
    Indicator.PROGRAMMES: Decimal(23),
    Indicator.HELPED_RESIDENTS: Decimal(5000),
}

INFRASTRUCTURE = [
    (Event.Kind.SEMINAR, "Как зарегистрировать НКО"),
    (Event.Kind.SEMINAR, "Подготовка заявок на грантовый конкурс"),
    (Event.Kind.WEBINAR, "Отчётность в Минюст"),
    (Event.Kind.SEMINAR, "Маркетинг для НКО"),
    (Event.Kind.WEBINAR, "Управление проектом"),
    (Event.Kind.SEMINAR, "Оценка социального эффекта проекта"),
    (Event.Kind.OTHER, "Информационная сессия конкурса социальных проектов СО НКО"),
    (Event.Kind.OTHER, "Информационная сессия конкурса инициатив жителей"),
    (Event.Kind.FORUM, "Форум «Добрый Железногорск»"),
    (Event.Kind.FESTIVAL, "Фестиваль «Добрый Железногорск»"),
    (Event.Kind.WEBINAR, "Фандрайзинг для малых НКО"),
    (Event.Kind.SEMINAR, "Волонтёрский центр: как организовать"),
    (Event.Kind.SEMINAR, "Благотворительность в корпоративной культуре"),
    (Event.Kind.FORUM, "Форум серебряных волонтёров"),
]

PROGRAMMES = [
    ("Тёплый звонок", Category.COMPANY, "одинокие пожилые люди"),
    ("Продуктовый набор", Category.DELIVERY, "малообеспеченные семьи"),
    ("Дорога к врачу", Category.ACCOMPANIMENT, "маломобильные жители"),
    ("Цифровая грамотность 60+", Category.DIGITAL, "пенсионеры"),
    ("Уроки после уроков", Category.TUTORING, "школьники из многодетных семей"),
    ("Особый ребёнок — особая семья", Category.FAMILY_DISABILITY, "семьи детей с инвалидностью"),
    ("Юрист рядом", Category.LEGAL, "жители, оформляющие льготы"),
    ("Чистый дом", Category.HOME, "одинокие пожилые люди"),
    ("Волонтёрское такси", Category.TRANSPORT, "люди на колясках"),
    ("Серебряный возраст", Category.COMPANY, "пожилые жители"),
    ("Лекарства на дом", Category.DELIVERY, "пожилые и больные жители"),
    ("Сопровождение в МФЦ", Category.ACCOMPANIMENT, "люди с нарушениями зрения"),
    ("Компьютер без страха", Category.DIGITAL, "люди старшего возраста"),
    ("Наставник", Category.TUTORING, "подростки в трудной ситуации"),
    ("Передышка для родителей", Category.FAMILY_DISABILITY, "родители детей с инвалидностью"),
    ("Права потребителя", Category.LEGAL, "жители"),
    ("Дрова на зиму", Category.HOME, "жители частного сектора"),
    ("Дачный автобус", Category.TRANSPORT, "пенсионеры"),
    ("Добрые соседи", Category.OTHER, "жители многоквартирных домов"),
    ("Бабушкины сказки", Category.COMPANY, "дети детских садов"),
    ("Горячий обед", Category.DELIVERY, "люди без определённого места жительства"),
    ("Равные возможности", Category.FAMILY_DISABILITY, "молодые люди с инвалидностью"),
    ("Школа волонтёра", Category.TUTORING, "старшеклассники"),
]

GROUPS = [
    "Двор на Ленина",
    "Сквер у школы № 100",
    "Соседи Первомайского",
    "Зелёный Подгорный",
    "Родители за безопасные дороги",
    "Книжный клуб «Страница»",
    "Лыжня для всех",
    "Мамы Новой Путь",
    "Хор ветеранов «Рябинушка»",
    "Клуб скандинавской ходьбы",
    "Игротека на Школьной",
    "Эко-патруль Додоново",
    "Кошкин дом",
    "Сибирские мастерицы",
    "Молодёжный совет микрорайона",
    "Добрые волонтёры Шиверы",
    "Спортивный двор",
    "Память поколений",
    "Театр у подъезда",
    "Сад на крыше",
    "Клуб шахматистов",
    "Вместе с мамой",
    "Семейный велоклуб",
    "Библиотека вещей",
    "Краеведы Железногорска",
    "Снежный городок",
    "Цветущий двор",
    "Турклуб «Саяны»",
    "Шефы для детдома",
    "Помощь бездомным животным",
    "Наш ретро-кинозал",
    "Зимний рыбак",
    "Мастерская «Столяр»",
    "Английский для пенсионеров",
    "Чистый берег Енисея",
    "Фотоклуб «Кадр»",
    "Клуб молодых семей",
    "Песни у костра",
    "Вязаный город",
    "Правнуки Победы",
]

REACH = [
    ("media", "Газета «Город и горожане»: полоса о добровольчестве", "тираж газеты", 9),
    ("media", "Телеканал «Канал 12»: сюжеты о волонтёрах", "данные телеканала", 6),
    ("social", "Сообщество «Добрый Железногорск» ВКонтакте", "статистика сообщества", 5),
    ("social", "Telegram-канал администрации", "статистика канала", 3),
    ("outdoor", "Афиши фестиваля «Добрый Железногорск»", "отчёт типографии о тираже", 2),
]

KINDS = [
    SupportKind.CONSULTING,
    SupportKind.INFORMATIONAL,
    SupportKind.ORGANISATIONAL,
    SupportKind.PROPERTY,
    SupportKind.ADMINISTRATIVE,
]


def _moment(day: date, hour: int = 12) -> datetime:
    return local_moment(day, time(hour))


def _day(period: Period, rng: random.Random) -> date:
    return period.start + timedelta(days=rng.randrange(period.days))


def _gap(figure: indicators.Figure, wanted: Decimal) -> int:
    return max(int(wanted - figure.value), 0)


def _people_needed(percent: Decimal) -> int:
    return math.ceil(Decimal(settings.DOBRY_POPULATION) * percent / 100)


def _infrastructure(period: Period, centre: Organization) -> None:
    missing = _gap(
        indicators.infrastructure_events(period), PASSPORT_TABLE[Indicator.INFRASTRUCTURE_EVENTS]
    )
    for number, (kind, title) in enumerate(INFRASTRUCTURE[:missing]):
        day = period.start + timedelta(days=20 + number * 24)
        Event.objects.create(
            organization=centre,
            kind=kind,
            title=title,
            summary="Мероприятие городского ресурсного центра",
            place="Городской ресурсный центр",
            status=Event.Status.PUBLISHED,
            starts_at=_moment(day, 15),
            ends_at=_moment(day, 17),
            published_at=_moment(day - timedelta(days=14)),
            infrastructure=True,
        )


def _programmes(period: Period, organisations: list[Organization]) -> None:
    missing = _gap(indicators.programmes(period), PASSPORT_TABLE[Indicator.PROGRAMMES])
    existing = set(Programme.objects.values_list("name", flat=True))
    fresh = [p for p in PROGRAMMES if p[0] not in existing][:missing]
    for number, (name, category, target_group) in enumerate(fresh):
        Programme.objects.create(
            organization=organisations[number % len(organisations)],
            name=name,
            category=category,
            target_group=target_group,
            starts_on=period.start - timedelta(days=90 * (number % 3)),
            funding=["extra_budgetary"] if number % 2 else ["budget"],
        )


def _supported(period: Period, rng: random.Random) -> None:
    missing = _gap(
        indicators.supported_organisations(period),
        PASSPORT_TABLE[Indicator.SUPPORTED_ORGANISATIONS],
    )
    supported = set(
        SupportRecord.objects.filter(date__gte=period.start, date__lte=period.end).values_list(
            "organization_id", flat=True
        )
    )
    candidates = list(
        Organization.objects.filter(
            kind__in=(
                Organization.Kind.SONKO,
                Organization.Kind.PUBLIC_ASSOCIATION,
                Organization.Kind.INITIATIVE_GROUP,
            ),
            status=Organization.Status.VERIFIED,
        ).exclude(pk__in=supported)
    )
    districts = list(District.objects.all())
    for name in GROUPS:
        if len(candidates) >= missing:
            break
        group, _created = Organization.objects.get_or_create(
            name=f"Инициативная группа {quoted(name, 'ru')}",
            defaults={
                "short_name": f"ИГ {quoted(name, 'ru')}",
                "kind": Organization.Kind.INITIATIVE_GROUP,
                "status": Organization.Status.VERIFIED,
                "district": rng.choice(districts) if districts else None,
                "description": "Инициативная группа жителей.",
            },
        )
        if group.pk not in supported and group not in candidates:
            candidates.append(group)
    for number, organization in enumerate(candidates[:missing]):
        SupportRecord.objects.create(
            organization=organization,
            kind=KINDS[number % len(KINDS)],
            date=_day(period, rng),
            description="Консультация и помощь ресурсного центра в подготовке проекта",
            giver=Giver.RESOURCE_CENTRE,
        )


def _involved(period: Period, organisations: list[Organization], rng: random.Random) -> None:
    """Residents who volunteered during the year: an account and confirmed hours each."""
    current = indicators.involved_share(period).parts["people"]
    missing = _people_needed(PASSPORT_TABLE[Indicator.INVOLVED_SHARE]) - int(current)
    if missing <= 0:
        return
    unusable = make_password(None)
    start = User.objects.filter(email__startswith=f"zhitel-{period.start.year}-").count()
    users = User.objects.bulk_create(
        User(
            email=f"zhitel-{period.start.year}-{start + n:05d}@example.org",
            first_name="Житель",
            last_name=f"{start + n:05d}",
            password=unusable,
            date_joined=_moment(_day(period, rng), 10),
        )
        for n in range(missing)
    )
    HoursEntry.objects.bulk_create(
        HoursEntry(
            user=user,
            organization=organisations[number % len(organisations)],
            date=_day(period, rng),
            hours=Decimal(rng.randint(2, 6)),
            claimed_hours=Decimal(4),
            source=HoursEntry.Source.CLAIM,
            status=HoursEntry.Status.CONFIRMED,
            description="Помощь в акции",
        )
        for number, user in enumerate(users)
    )


def _reach(period: Period) -> None:
    figure = indicators.informed_share(period)
    missing = (
        _people_needed(PASSPORT_TABLE[Indicator.INFORMED_SHARE])
        - int(figure.parts["platform_people"])
        - int(figure.parts["mailing_reach"])
        - int(figure.parts["reach"])
    )
    if missing <= 0:
        return
    weights = sum(weight for *_rest, weight in REACH)
    left = missing
    for number, (channel, title, source, weight) in enumerate(REACH):
        people = left if number == len(REACH) - 1 else missing * weight // weights
        left -= people
        ReachFigure.objects.create(
            date=period.start + timedelta(days=30 + number * 60),
            channel=channel,
            title=title,
            source=source,
            people=people,
        )


def _programme_records(period: Period, people: int) -> None:
    """Four programmes running all year record, month by month, about `people` residents
    helped beyond the requests: regulars every month and a few newcomers."""
    programmes = list(
        Programme.objects.filter(is_active=True, starts_on__lte=period.start)
        .exclude(ends_on__lt=period.end)
        .order_by("pk")[:4]
    )
    for number, programme in enumerate(programmes):
        target = people // len(programmes) + (people % len(programmes) if number == 0 else 0)
        newcomers = max(target // 24, 1)
        regulars = target - newcomers * 11
        for month in period.months():
            first = month.start == period.start
            ProgrammeRecord.objects.get_or_create(
                programme=programme,
                month=month.start,
                defaults={
                    "people": regulars + (0 if first else newcomers + month.start.month % 3),
                    "first_time": regulars if first else newcomers,
                    "note": "Запись демонстрационного года",
                    "confirmed_at": timezone.now(),  # the coordinators confirmed the demo year
                },
            )


def _helped(period: Period, rng: random.Random) -> None:
    wanted = PASSPORT_TABLE[Indicator.HELPED_RESIDENTS]
    missing = _gap(indicators.helped_residents(period), wanted)
    if missing >= 500:  # about a fifth from the programmes' own records
        _programme_records(period, missing // 5)
        missing = _gap(indicators.helped_residents(period), wanted)
    if not missing:
        return
    districts = list(District.objects.all())
    categories = list(Category)
    offset = HelpRequest.objects.filter(recipient_phone__startswith="+73919").count()
    requests = []
    for number in range(missing):
        closed = _moment(_day(period, rng), 16)
        requests.append(
            HelpRequest(
                category=categories[number % len(categories)],
                summary=HELP_GIVEN_SUMMARY,  # a code, read in the reader's language
                details="Запись демонстрационного года",
                recipient_name="Получатель помощи",
                recipient_phone=f"+73919{offset + number:06d}",
                district=rng.choice(districts) if districts else None,
                status=HelpRequest.Status.DONE,
                closed_at=closed,
                wanted_from=closed - timedelta(days=1),
            )
        )
    HelpRequest.objects.bulk_create(requests, batch_size=1000)


def seed() -> None:
    period = year(local_today().year - 1)
    rng = random.Random(period.start.year)  # the same demo every time
    centre = Organization.objects.get(short_name="КРОО «АРГО»")
    organisations = list(
        Organization.objects.filter(
            kind=Organization.Kind.SONKO, status=Organization.Status.VERIFIED
        ).order_by("pk")
    )
    with transaction.atomic():
        _infrastructure(period, centre)
        _programmes(period, organisations)
        _supported(period, rng)
        _involved(period, organisations, rng)
        _reach(period)
        _helped(period, rng)
        for indicator, value in PASSPORT_TABLE.items():
            Target.objects.get_or_create(
                indicator=indicator, year=period.start.year, defaults={"value": value}
            )
    snapshots_store(months=period.months())
