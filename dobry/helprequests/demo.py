"""Demo: the programmes of help of section 7 and a coordinator queue with requests in
every status (deliveries for elderly residents, accompaniment to a clinic, help for the
families of «Этот мир для тебя»)."""

import io
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from dobry.accounts.demo import demo_user
from dobry.accounts.models import User
from dobry.core.clock import local_moment, local_today
from dobry.core.models import District
from dobry.helprequests.models import HelpOffer, HelpRequest, Programme
from dobry.helprequests.services import completion, offering, submission, triage, workflow
from dobry.organizations.models import Organization

PROGRAMMES = [
    (
        "Центр медико-социальной реабилитации детей-инвалидов",
        "«Этот мир для тебя»",
        "family_disability",
        "семьи с детьми с инвалидностью",
        ["grant", "extra_budgetary"],
    ),
    (
        "«Кувшин с трещинкой»: школа особых добровольцев",
        "КРОО «АРГО»",
        "company",
        "люди с инвалидностью, которые хотят помогать",
        ["grant"],
    ),
    ("«Двор, в котором я живу»", "Совет ветеранов", "home", "одинокие пожилые жители", ["budget"]),
    (
        "«Мы такие же, как все!»",
        "ФСЦ",
        "other",
        "дети с ограниченными возможностями здоровья",
        ["budget", "grant"],
    ),
    (
        "«Бабушкина школа»",
        "ЦГБ им. М. Горького",
        "digital",
        "пенсионеры, осваивающие смартфон и Госуслуги",
        ["budget"],
    ),
]

REQUESTS = [
    (
        "delivery",
        "Привезти продукты и лекарства пожилому человеку",
        "Хлеб, молоко, крупы; лекарства по рецепту из аптеки на Ленина",
        "Анна Петровна Кузнецова",
        "+79131110001",
        "ул. Школьная, 12, кв. 3",
        "new",
        "",
    ),
    (
        "accompaniment",
        "Проводить в поликлинику к окулисту",
        "Запись на 10:00, нужно дойти до кабинета и обратно",
        "Иван Степанович Орлов",
        "+79131110002",
        "пр. Курчатова, 20, кв. 41",
        "verified",
        "Плохо видит, ходит с тростью",
    ),
    (
        "family_disability",
        "Посидеть с ребёнком два часа, пока мама у врача",
        "Ребёнок 7 лет, спокойный, любит рисовать",
        "Ольга Викторовна Смирнова",
        "+79131110003",
        "ул. Свердлова, 5, кв. 18",
        "matching",
        "У ребёнка РАС, нужен спокойный взрослый",
    ),
    (
        "digital",
        "Настроить видеосвязь с внуками",
        "Есть планшет, нужно установить и показать",
        "Валентина Ивановна Соколова",
        "+79131110004",
        "ул. Октябрьская, 30, кв. 7",
        "offered",
        "",
    ),
    (
        "transport",
        "Отвезти на дачу саженцы",
        "Нужен автомобиль с багажником",
        "Николай Петрович Зайцев",
        "+79131110005",
        "ул. Ленина, 44, кв. 2",
        "done",
        "",
    ),
    (
        "accompaniment",
        "Сопроводить в МФЦ оформить льготу",
        "Подать документы на компенсацию, очередь с утра",
        "Галина Фёдоровна Белова",
        "+79131110007",
        "ул. Маяковского, 3, кв. 15",
        "assigned",
        "",
    ),
    (
        "home",
        "Помочь заклеить окна на зиму",
        "Две комнаты, материалы куплены",
        "Пётр Андреевич Лебедев",
        "+79131110008",
        "ул. Андреева, 9, кв. 22",
        "in_progress",
        "",
    ),
    (
        "legal",
        "Разобраться с перерасчётом пенсии",
        "Пришло письмо из фонда, нужна консультация юриста",
        "Людмила Павловна Новикова",
        "+79131110009",
        "ул. Королёва, 4, кв. 8",
        "waiting",
        "",
    ),
    (
        "company",
        "Поговорить по телефону вечером",
        "Одинокий человек, хочет общения пару раз в неделю",
        "Виктор Семёнович Егоров",
        "+79131110010",
        "пр. Ленинградский, 15, кв. 60",
        "cancelled",
        "",
    ),
    (
        "other",
        "Перевезти мебель при переезде",
        "Шкаф, диван и холодильник с пятого этажа",
        "Сергей Олегович Фомин",
        "+79131110011",
        "ул. Восточная, 21, кв. 50",
        "rejected",
        "",
    ),
]

# The coordinator's steps for each demo status; the reasons are what a coordinator writes.
PATHS: dict[str, list[tuple[str, str]]] = {
    "new": [],
    "verified": [("verified", "")],
    "matching": [("verified", ""), ("matching", "")],
    "offered": [("verified", "")],
    "done": [("verified", "")],
    "assigned": [("verified", "")],
    "in_progress": [("verified", "")],
    "waiting": [("verified", ""), ("waiting", "Ждём копию письма из фонда от получателя")],
    "cancelled": [("cancelled", "Родственники договорились сами, помощь больше не нужна")],
    "rejected": [
        ("rejected", "Это работа для грузчиков, а не для волонтёров: дали телефоны служб")
    ],
}


# Volunteers of the help desk: skills, districts (indexes into the demo districts) and free
# times that make the candidates' ranking and its reasons meaningful.
HELPERS = [
    (
        "helper.orlova@example.org",
        "Светлана",
        "Орлова",
        "медсестра, сопровождение пожилых",
        0,
        ["mon-morning", "wed-morning"],
        True,
    ),
    (
        "helper.kozlov@example.org",
        "Андрей",
        "Козлов",
        "вожу машину, есть автомобиль с багажником",
        1,
        ["sat-morning", "sat-day"],
        False,
    ),
    (
        "helper.volkova@example.org",
        "Екатерина",
        "Волкова",
        "педагог-дефектолог, занятия с детьми",
        2,
        ["tue-evening", "thu-evening"],
        True,
    ),
    (
        "helper.morozov@example.org",
        "Илья",
        "Морозов",
        "IT, настройка смартфона и компьютера",
        0,
        ["fri-evening"],
        False,
    ),
    (
        "helper.sokolova@example.org",
        "Наталья",
        "Соколова",
        "общение, чтение вслух, терпеливая",
        1,
        ["mon-day", "wed-day"],
        True,
    ),
    (
        "helper.petrov@example.org",
        "Михаил",
        "Петров",
        "ремонт, золотые руки, электрик",
        2,
        ["sun-day"],
        False,
    ),
    (
        "helper.nikitina@example.org",
        "Ольга",
        "Никитина",
        "юрист, льготы и пособия",
        0,
        ["thu-day"],
        True,
    ),
    (
        "helper.fedorov@example.org",
        "Денис",
        "Фёдоров",
        "курьер, доставка продуктов",
        1,
        ["tue-morning", "fri-morning"],
        False,
    ),
    (
        "helper.lukina@example.org",
        "Вера",
        "Лукина",
        "студентка, помогаю освоить смартфон и госуслуги",
        3,
        ["sat-day"],
        True,
    ),
]


def _helpers(districts: list[District]) -> None:
    from dobry.volunteering.models import VolunteerProfile

    for number, (email, first, last, skills, district, free, woman) in enumerate(HELPERS):
        user, _created = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last}
        )
        profile, _created = VolunteerProfile.objects.get_or_create(
            user=user,
            defaults={
                "date_of_birth": date(1975 + number * 3, 1 + number, 10),
                "skills": skills,
                "availability": free,
                "woman": woman,
            },
        )
        if districts:
            profile.districts.set([districts[district % len(districts)]])


def _paper_consent_scan() -> SimpleUploadedFile:
    """A small picture standing for the scan of a signed paper consent (a blank form with
    lines and a signature), drawn here: demo data needs no network and no real form."""
    page = Image.new("L", (210, 297), 255)
    draw = ImageDraw.Draw(page)
    for top in range(30, 230, 14):
        draw.line((20, top, 190, top), fill=170)
    draw.line((120, 262, 135, 250, 150, 266, 168, 252), fill=40, width=2)
    buffer = io.BytesIO()
    page.save(buffer, "PNG")
    return SimpleUploadedFile("soglasie.png", buffer.getvalue(), content_type="image/png")


def seed() -> None:
    if HelpRequest.objects.exists():
        return
    coordinator = demo_user("coordinator@example.org")
    districts = list(District.objects.all())
    _programmes(districts)
    _helpers(districts)
    volunteer = demo_user("volunteer@example.org")
    for index, row in enumerate(REQUESTS):
        district = districts[index % len(districts)] if districts else None
        _queued_request(coordinator, volunteer, _DemoRequest(*row), district)
    _weekly_help_with_feedback(coordinator, volunteer, districts[0] if districts else None)
    HelpRequest.objects.filter(status="new").update(priority=HelpRequest.Priority.HIGH)
    HelpRequest.objects.filter(status="verified").update(
        created_at=timezone.now() - timedelta(hours=30)
    )


def _programmes(districts: list[District]) -> None:
    for name, organization, category, target, funding in PROGRAMMES:
        programme = Programme.objects.create(
            organization=Organization.objects.get(short_name=organization),
            name=name,
            category=category,
            target_group=target,
            starts_on=date(local_today().year - 1, 1, 1),
            funding=funding,
            description=f"{name}: помощь — {target}.",
        )
        programme.districts.set(districts[:3])


class _DemoRequest(NamedTuple):
    """A row of REQUESTS: what is asked, for whom, and the status it is taken to."""

    category: str
    summary: str
    details: str
    name: str
    phone: str
    address: str
    status: str
    health: str  # what the recipient tells of their health, or ""


def _queued_request(
    coordinator: User, volunteer: User, row: _DemoRequest, district: District | None
) -> None:
    """One request taken by the coordinator to its status, through the services."""
    help_request = submission.request_submit(
        requester=coordinator,
        fields={
            "category": row.category,
            "summary": row.summary,
            "details": row.details,
            "recipient_name": row.name,
            "recipient_phone": row.phone,
            "address": f"г. Железногорск, {row.address}",
            "asap": True,
            "district": district,
            "relation": HelpRequest.Relation.PHONE_CALL,
            "needs_car": row.category == "transport",
        },
        health_info=row.health,
        consent_scan=_paper_consent_scan() if row.health else None,
    )
    for step, reason in PATHS[row.status]:
        help_request = workflow.request_transition(
            actor=coordinator, help_request=help_request, to=step, reason=reason
        )
    if row.status in ("offered", "done", "assigned", "in_progress"):
        _volunteer_takes(coordinator, volunteer, help_request, row.status)
    if row.category == "family_disability":
        triage.request_route(
            actor=coordinator,
            help_request=help_request,
            programme=Programme.objects.get(category="family_disability"),
        )


def _volunteer_takes(
    coordinator: User, volunteer: User, help_request: HelpRequest, status: str
) -> None:
    """Offered to the volunteer, and as far as `status` says: accepted, begun, done."""
    # He answered the public summary first: a reason to offer it to him
    offering.volunteer_self_offer(user=volunteer, help_request=help_request)
    [offer] = offering.offer_make(
        actor=coordinator, help_request=help_request, volunteers=[volunteer]
    )
    if status != "offered":
        offering.offer_answer(user=volunteer, offer=offer, accept=True)
        help_request.refresh_from_db()
    if status in ("in_progress", "done"):
        # the helper's report begins the help; the coordinator closes it after the report
        _taken_two_days_ago(help_request, volunteer)
        completion.help_report(
            volunteer=volunteer,
            help_request=help_request,
            text="Помог, как договорились",
            hours="1",
            day=local_today() - timedelta(days=1),
        )
        help_request.refresh_from_db()
    if status == "done":
        completion.request_complete(actor=coordinator, help_request=help_request)


def _taken_two_days_ago(help_request: HelpRequest, volunteer: User) -> None:
    """The demo's help was asked for and taken two days ago and given yesterday: a report
    never holds more hours than have passed since the help was taken
    (`completion.help_report`), whatever the hour the demo is seeded at. Refreshes
    `help_request`."""
    earlier = timezone.now() - timedelta(days=2)
    HelpRequest.objects.filter(pk=help_request.pk).update(created_at=earlier)
    HelpOffer.objects.filter(request=help_request, volunteer=volunteer).update(answered_at=earlier)
    help_request.refresh_from_db()


def _next_saturday_at(at: time) -> datetime:
    """The next Saturday (never today) at `at` on the city's clock, as an aware datetime."""
    today = local_today()
    return local_moment(today + timedelta(days=(5 - today.weekday()) % 7 or 7), at)


def _weekly_help_with_feedback(coordinator: User, volunteer: User, district: object) -> None:
    """A resident asks for herself: weekly groceries. The first visit is done, reported and
    rated; the next one is already offered to the same volunteer."""
    resident = demo_user("resident@example.org")
    request = submission.request_submit(
        requester=resident,
        fields={
            "category": "delivery",
            "summary": "Раз в неделю приносить продукты из магазина",
            "details": "Хлеб, молоко, крупы; список продиктую по телефону",
            "recipient_name": "Зинаида Соседова",
            "recipient_phone": "+79131110006",
            "address": "г. Железногорск, ул. Школьная, 12, кв. 3",
            "asap": False,
            # Saturdays after lunch, the next one first (a plan date is never in the past):
            # a fixed cell of the week, so «Кому предложить» ranks the same at any hour
            "wanted_from": _next_saturday_at(time(13, 0)),
            "wanted_to": _next_saturday_at(time(15, 0)),
            "recurrence": HelpRequest.Recurrence.WEEKLY,
            "district": district,
            "relation": HelpRequest.Relation.SELF,
        },
    )
    request = workflow.request_transition(actor=coordinator, help_request=request, to="verified")
    offering.volunteer_self_offer(user=volunteer, help_request=request)
    [offer] = offering.offer_make(actor=coordinator, help_request=request, volunteers=[volunteer])
    offering.offer_answer(user=volunteer, offer=offer, accept=True)
    _taken_two_days_ago(request, volunteer)
    completion.help_report(
        volunteer=volunteer,
        help_request=request,
        text="Принёс продукты по списку",
        hours="1.5",
        day=local_today() - timedelta(days=1),
    )
    request.refresh_from_db()
    request = completion.request_complete(actor=coordinator, help_request=request)
    completion.request_feedback(
        user=resident,
        help_request=request,
        rating=5,
        feedback="Спасибо Дмитрию, всё принёс вовремя",
    )
