"""Demo desk: questions asked by the НКО demo account, consultations given in person, and
support entries of every kind the passport names."""

from datetime import time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from dobry.accounts.demo import demo_user
from dobry.accounts.models import User
from dobry.core.clock import local_moment, local_today
from dobry.core.documents import docx_letter
from dobry.events.models import Event, Registration, Shift
from dobry.events.services.attendance import TRAINING_ATTENDED
from dobry.events.services.events import (
    event_create,
    event_material_add,
    event_publish,
    shift_create,
)
from dobry.organizations.models import Organization
from dobry.resources.groups import decision_add, group_create, group_member_add, meeting_create
from dobry.resources.library import library_item_create
from dobry.resources.models import (
    Consultation,
    Giver,
    LibraryCategory,
    LibraryItem,
    ProjectGroup,
    Room,
    SupportKind,
    SupportRecord,
)
from dobry.resources.rooms import booking_confirm, booking_request
from dobry.resources.services import (
    consultation_ask,
    consultation_close,
    consultation_record,
    consultation_reply,
    support_record_create,
)

MANUAL_SUPPORT = [
    (
        "«Этот мир для тебя»",
        SupportKind.PROPERTY,
        "Зал ресурсного центра для родительского собрания, 3 ч",
        Giver.RESOURCE_CENTRE,
        "",
        "4500",
    ),
    (
        "«Федерация ЗОЖ»",
        SupportKind.INFORMATIONAL,
        "Анонс «Территории спорта и отдыха» в городской рассылке",
        Giver.RESOURCE_CENTRE,
        "",
        None,
    ),
    (
        "Совет ветеранов",
        SupportKind.FINANCIAL,
        "Субсидия на проект «Двор, в котором я живу»",
        Giver.ADMINISTRATION,
        "Отдел общественных связей",
        "150000",
    ),
    (
        "ИГ «Праздник осени»",
        SupportKind.ORGANISATIONAL,
        "Помощь в подготовке праздника: волонтёры и реквизит",
        Giver.MUNICIPAL,
        "МКУ «Молодёжный центр»",
        None,
    ),
    (
        "«Школа осознанного родительства»",
        SupportKind.ADMINISTRATIVE,
        "Письмо поддержки в детские сады для проекта «Бабушкины сказки»",
        Giver.ADMINISTRATION,
        "Управление образования",
        None,
    ),
    (
        "ФСЦ",
        SupportKind.FINANCIAL,
        "Грант конкурса «ТОП-20» на инвентарь для адаптивной физкультуры",
        Giver.ENTERPRISE,
        "ФГУП «ГХК»",
        "300000",
    ),
]


def seed() -> None:
    if Consultation.objects.exists() or SupportRecord.objects.exists():
        return
    coordinator = demo_user("coordinator@example.org")
    _asked_consultations(coordinator)
    _recorded_consultations(coordinator)
    _manual_support(coordinator)


def _asked_consultations(coordinator: User) -> None:
    """Questions asked on the site: one answered, closed and rated; two waiting."""
    nko = demo_user("nko@example.org")
    home = Organization.objects.get(short_name="«Этот мир для тебя»")
    answered = consultation_ask(
        user=nko,
        organization=home,
        topic=Consultation.Topic.REPORTING,
        subject="Отчёт в Минюст за год",
        text="Какие формы нам сдавать и до какого числа?",
    )
    consultation_reply(
        author=coordinator,
        consultation=answered,
        text="Для общественной организации — форма ОН0003 и сведения о продолжении деятельности, до 15 апреля.",
    )
    consultation_close(
        actor=coordinator, consultation=answered, summary="Перечислили формы и сроки отчётности."
    )
    Consultation.objects.filter(pk=answered.pk).update(
        rating=5, rating_comment="Всё понятно, спасибо!"
    )
    consultation_ask(
        user=nko,
        organization=home,
        topic=Consultation.Topic.GRANTS,
        subject="Заявка на муниципальный конкурс",
        text="Поможете посмотреть бюджет проекта до подачи?",
    )
    consultation_ask(
        user=demo_user("volunteer@example.org"),
        topic=Consultation.Topic.REGISTRATION,
        subject="Хотим зарегистрировать нашу инициативную группу",
        text="С чего начать регистрацию АНО?",
    )


def _recorded_consultations(coordinator: User) -> None:
    """Consultations given in person, recorded by the coordinator afterwards."""
    for short_name, topic, subject, summary in (
        (
            "«Федерация ЗОЖ»",
            Consultation.Topic.PROCUREMENT,
            "Участие в закупках по 44-ФЗ",
            "Объяснили работу с ЕИС.",
        ),
        ("ФСЦ", Consultation.Topic.PR, "Пресс-релиз о проекте", "Помогли с текстом и списком СМИ."),
    ):
        consultation_record(
            actor=coordinator,
            topic=topic,
            subject=subject,
            summary=summary,
            channel=Consultation.Channel.IN_PERSON,
            organization=Organization.objects.get(short_name=short_name),
        )


def _manual_support(coordinator: User) -> None:
    """MANUAL_SUPPORT, a week apart going back from today."""
    today = local_today()
    for index, (short_name, kind, description, giver, giver_name, value) in enumerate(
        MANUAL_SUPPORT
    ):
        support_record_create(
            actor=coordinator,
            kind=kind,
            day=today - timedelta(days=7 * index),
            description=description,
            organization=Organization.objects.get(short_name=short_name),
            giver=giver,
            giver_name=giver_name,
            value_rub=Decimal(value) if value else None,
        )


ROOMS = [
    (
        "Большой зал ресурсного центра",
        "КРОО «АРГО»",
        "ул. Свердлова, 7",
        40,
        "проектор, экран, флипчарт, микрофоны",
        True,
    ),
    (
        "Переговорная ресурсного центра",
        "КРОО «АРГО»",
        "ул. Свердлова, 7",
        12,
        "телевизор для презентаций, доска",
        True,
    ),
    (
        "Читальный зал библиотеки",
        "ЦГБ им. М. Горького",
        "ул. Ленина, 27",
        30,
        "проектор, Wi-Fi",
        True,
    ),
    (
        "Зал Молодёжного центра",
        "Молодёжный центр",
        "ул. Октябрьская, 42",
        60,
        "звук, сцена, стулья",
        False,
    ),
]


def seed_rooms() -> None:

    if Room.objects.exists():
        return
    created = [
        Room.objects.create(
            name=name,
            owner=Organization.objects.get(short_name=owner),
            address=f"г. Железногорск, {address}",
            capacity=capacity,
            equipment=equipment,
            wheelchair_accessible=accessible,
            accessibility="Вход с пандусом, лифт, доступный туалет."
            if accessible
            else "Второй этаж без лифта.",
        )
        for name, owner, address, capacity, equipment, accessible in ROOMS
    ]
    nko = demo_user("nko@example.org")
    home = Organization.objects.get(short_name="«Этот мир для тебя»")
    day = local_today() + timedelta(days=3)
    first = booking_request(
        user=nko,
        room=created[0],
        organization=home,
        starts_at=local_moment(day, time(18)),
        ends_at=local_moment(day, time(20)),
        purpose="Встреча родителей детей с инвалидностью",
        attendees=25,
    )
    booking_confirm(
        actor=demo_user("coordinator@example.org"), booking=first, value_rub=Decimal("3000")
    )
    booking_request(
        user=nko,
        room=created[1],
        organization=home,
        starts_at=local_moment(day, time(11)),
        ends_at=local_moment(day, time(12)),
        purpose="Правление организации",
        attendees=7,
    )


LIBRARY = [
    (
        "registration",
        "Регистрация НКО",
        [
            (
                "Пошаговая инструкция: как зарегистрировать АНО",
                "guide",
                "Документы, госпошлина, сроки, типичные ошибки при подаче в Минюст.",
                "регистрация, АНО, Минюст",
            ),
            (
                "Шаблон устава местной общественной организации",
                "template",
                "Образец устава с комментариями юриста ресурсного центра.",
                "устав, шаблон",
            ),
        ],
    ),
    (
        "reporting",
        "Отчётность",
        [
            (
                "Шаблоны годовых отчётов для Минюста",
                "template",
                "Формы ОН0001 и ОН0003 с примерами заполнения.",
                "отчёт, Минюст, ОН0001",
            ),
            (
                "Памятка по бухгалтерской отчётности НКО",
                "guide",
                "Что и когда сдавать в налоговую и фонды.",
                "бухгалтерия, налоги",
            ),
        ],
    ),
    (
        "grants",
        "Гранты",
        [
            (
                "Шаблон заявки на муниципальный конкурс социальных проектов",
                "template",
                "Разделы заявки, календарный план, бюджет.",
                "заявка, грант, конкурс",
            ),
            (
                "Запись вебинара «Оценка социального эффекта проекта»",
                "recording",
                "Как измерить результаты проекта и показать их грантодателю.",
                "вебинар, социальный эффект",
            ),
            (
                "Фонд президентских грантов",
                "link",
                "Официальный портал конкурсов Фонда президентских грантов.",
                "гранты, ФПГ",
            ),
        ],
    ),
]


def seed_library() -> None:

    if LibraryItem.objects.exists():
        return
    coordinator = demo_user("coordinator@example.org")
    for position, (slug, name, items) in enumerate(LIBRARY):
        category = LibraryCategory.objects.create(slug=slug, name=name, position=position)
        for title, kind, description, tags in items:
            library_item_create(
                actor=coordinator,
                title=title,
                kind=kind,
                category=category,
                description=description,
                tags=tags,
                url="https://xn--80afcdbalict6afooklqi5o.xn--p1ai/" if kind == "link" else "",
                members_only=kind == "template" and "устав" in tags,
                file=_template_file(title, description) if kind == "template" else None,
            )


def _template_file(title: str, description: str) -> SimpleUploadedFile:
    """A small Word document for a demo template (it lands in the private storage)."""
    return SimpleUploadedFile(
        "shablon.docx", docx_letter(title, [description], "Ресурсный центр поддержки НКО")
    )


TRAININGS = [
    (
        "Как зарегистрировать НКО",
        "seminar",
        5,
        "Пошагово: учредители, устав, документы в Минюст, частые ошибки.",
    ),
    (
        "Подготовка заявок на грантовый конкурс",
        "seminar",
        9,
        "Проблема, цели, календарный план и бюджет: разбираем заявки участников.",
    ),
    ("Отчётность в Минюст", "seminar", 13, "Какие формы сдаёт НКО, сроки и как не получить штраф."),
    (
        "Маркетинг для НКО",
        "webinar",
        16,
        "Соцсети, городские СМИ и партнёры: как рассказать о проекте.",
    ),
    (
        "Управление проектом",
        "seminar",
        23,
        "План, команда, риски и контроль сроков социального проекта.",
    ),
    (
        "Оценка социального эффекта проекта",
        "webinar",
        27,
        "Показатели, методы оценки и отчёт грантодателю.",
    ),
]


def seed_trainings() -> None:
    """The passport's seminars and webinars by the resource centre, and a past seminar the
    НКО demo leader attended for her organisation (so it shows as support)."""

    if Event.objects.filter(kind__in=Event.TRAININGS).exists():
        return
    coordinator = demo_user("coordinator@example.org")
    argo = Organization.objects.get(short_name="КРОО «АРГО»")
    for title, kind, days, summary in TRAININGS:
        _upcoming_training(coordinator, argo, title, kind, days, summary)
    _past_seminar(coordinator, argo)


def _upcoming_training(
    coordinator: User, argo: Organization, title: str, kind: str, days: int, summary: str
) -> None:
    """A seminar (in the resource centre) or a webinar (online) in `days` days at 18:00."""
    webinar = kind == "webinar"
    event = event_create(
        actor=coordinator,
        organization=argo,
        fields={
            "kind": kind,
            "title": title,
            "summary": summary,
            "description": summary,
            "place": "" if webinar else "Ресурсный центр, ул. Свердлова, 7",
            "address": "" if webinar else "г. Железногорск",
            "online_url": "https://webinar.example.org/dobry" if webinar else "",
            "wheelchair_accessible": kind == "seminar",
        },
        areas=["nko_support"],
    )
    start = local_moment(local_today() + timedelta(days=days), time(18))
    shift_create(
        actor=coordinator,
        event=event,
        fields={
            "title": "Участник",
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "capacity": 30,
        },
    )
    event_publish(actor=coordinator, event=event)
    event_material_add(
        actor=coordinator,
        event=event,
        kind="material",
        title="Программа и раздаточные материалы",
        url="https://example.org/materials",
    )


def _past_seminar(coordinator: User, argo: Organization) -> None:
    """Twenty days ago, attended by the НКО demo leader for «Этот мир для тебя»."""
    start = local_moment(local_today() - timedelta(days=20), time(18))
    past = Event.objects.create(
        organization=argo,
        kind=Event.Kind.SEMINAR,
        title="Как зарегистрировать НКО (весенний поток)",
        status=Event.Status.PUBLISHED,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        created_by=coordinator,
    )
    shift = Shift.objects.create(
        event=past,
        title="Участник",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=30,
    )
    # A past seminar: its attendance is history (the check-in window closed long ago), so
    # it is written as a record, and the attendance hook records the support as usual.
    registration = Registration.objects.create(
        shift=shift,
        user=demo_user("nko@example.org"),
        status=Registration.Status.CONFIRMED,
        represents=Organization.objects.get(short_name="«Этот мир для тебя»"),
        checked_in_at=start,
    )
    TRAINING_ATTENDED.send(registration=registration)
    event_material_add(
        actor=coordinator,
        event=past,
        kind="recording",
        title="Запись семинара",
        url="https://video.example.org/registration",
    )


def seed_groups() -> None:
    """A negotiation platform on an accessible city with a meeting, decisions and tasks."""

    if ProjectGroup.objects.exists():
        return
    coordinator = demo_user("coordinator@example.org")
    group = group_create(
        actor=coordinator,
        title="Доступный Железногорск",
        topic="Переговорная площадка НКО, администрации и предприятий: доступность зданий и транспорта для людей с инвалидностью.",
    )
    group_member_add(
        actor=coordinator,
        group=group,
        user=demo_user("nko@example.org"),
        organization=Organization.objects.get(short_name="«Этот мир для тебя»"),
    )
    group_member_add(actor=coordinator, group=group, user=demo_user("official@example.org"))
    meeting = meeting_create(
        actor=coordinator,
        group=group,
        starts_at=local_moment(local_today() - timedelta(days=6), time(17)),
        place="Ресурсный центр",
        agenda="1. Итоги обхода поликлиник.\n2. План на квартал.",
    )
    meeting.minutes = (
        "Обход показал: в двух поликлиниках нет пандусов. Решили подготовить обращение."
    )
    meeting.save(update_fields=["minutes"])
    decision_add(
        actor=coordinator,
        meeting=meeting,
        text="Подготовить обращение в администрацию о пандусах",
        task="Написать проект обращения",
        owner=demo_user("nko@example.org"),
        due_on=local_today() + timedelta(days=7),
    )
    meeting_create(
        actor=coordinator,
        group=group,
        starts_at=local_moment(local_today() + timedelta(days=14), time(17)),
        place="Ресурсный центр",
        agenda="Обсуждение проекта обращения.",
    )
