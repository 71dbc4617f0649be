"""The participants named in section 5 of the passport, with plausible (fictional) details.

ИНН and ОГРН are made up, with correct check digits, from the city's tax code 2452.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from dobry.accounts.demo import demo_user
from dobry.core.models import District
from dobry.organizations.areas import Area
from dobry.organizations.models import Membership, Organization, OrganizationArea

K = Organization.Kind


def demo_inn(serial: int) -> str:
    base = f"2452{serial:05d}"
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    check = sum(int(d) * w for d, w in zip(base, weights, strict=True)) % 11 % 10
    return f"{base}{check}"


def demo_ogrn(serial: int) -> str:
    base = f"10224{serial:07d}"
    return f"{base}{int(base) % 11 % 10}"


@dataclass(frozen=True)
class DemoOrganization:
    short_name: str
    name: str
    kind: str
    legal_form: str
    areas: tuple[str, ...]
    description: str
    district: str = "center"
    founded: date | None = None
    status: str = Organization.Status.VERIFIED
    owner: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


ORGANIZATIONS = [
    DemoOrganization(
        "Администрация ЗАТО г. Железногорск",
        "Администрация закрытого административно-территориального образования город Железногорск",
        K.ADMINISTRATION,
        "Муниципальное казённое учреждение",
        (Area.NKO_SUPPORT, Area.SOCIAL),
        "Планирует и организует проект «Добрый Железногорск», проводит муниципальные конкурсы "
        "социальных проектов, поддерживает городской ресурсный центр.",
        owner="official@example.org",
    ),
    DemoOrganization(
        "ФГУП «ГХК»",
        "Федеральное государственное унитарное предприятие «Горно-химический комбинат»",
        K.ENTERPRISE,
        "ФГУП",
        (Area.NKO_SUPPORT, Area.ECOLOGY, Area.CHILDREN),
        "Предприятие Госкорпорации «Росатом». Поддерживает социальные программы города, "
        "проводит конкурс «ТОП-20», развивает корпоративное волонтёрство.",
        founded=date(1950, 2, 26),
    ),
    DemoOrganization(
        "АО «ИСС»",
        "Акционерное общество «Информационные спутниковые системы» имени академика М. Ф. Решетнёва",
        K.ENTERPRISE,
        "АО",
        (Area.EDUCATION, Area.CHILDREN, Area.PATRIOTIC),
        "Предприятие Госкорпорации «Роскосмос». Поддерживает программы для детей и молодёжи "
        "и корпоративное волонтёрство.",
        founded=date(1959, 6, 4),
    ),
    DemoOrganization(
        "КРОО «АРГО»",
        "Красноярская региональная общественная организация «АРГО»",
        K.SONKO,
        "Региональная общественная организация",
        (Area.NKO_SUPPORT, Area.DISABILITY, Area.SPORT),
        "Городской ресурсный центр поддержки социальных инициатив: консультации, семинары, "
        "библиотека НКО, помощь в подготовке заявок. Проекты «Кувшин с трещинкой» и "
        "«Испытание Сибирью. Гонка преодоления».",
        founded=date(2005, 3, 14),
        owner="coordinator@example.org",
    ),
    DemoOrganization(
        "Парк им. С. М. Кирова",
        "МАУК «Парк культуры и отдыха имени С. М. Кирова»",
        K.MUNICIPAL,
        "Муниципальное автономное учреждение культуры",
        (Area.CULTURE, Area.URBAN, Area.SPORT),
        "Городской парк: площадка фестиваля «Добрый Железногорск» и семейных праздников.",
        district="old-town",
    ),
    DemoOrganization(
        "Управление культуры",
        "МКУ «Управление культуры»",
        K.MUNICIPAL,
        "Муниципальное казённое учреждение",
        (Area.CULTURE,),
        "Координирует учреждения культуры города и их участие в социальных проектах.",
    ),
    DemoOrganization(
        "ЦГБ им. М. Горького",
        "МБУК «Центральная городская библиотека им. М. Горького»",
        K.MUNICIPAL,
        "Муниципальное бюджетное учреждение культуры",
        (Area.CULTURE, Area.ELDERLY, Area.FAMILY),
        "Центральная библиотека: «Бабушкина школа», «Моё Отечество», ярмарка семейного досуга.",
    ),
    DemoOrganization(
        "Молодёжный центр",
        "МКУ «Молодёжный центр»",
        K.MUNICIPAL,
        "Муниципальное казённое учреждение",
        (Area.CHILDREN, Area.NKO_SUPPORT, Area.DISABILITY),
        "Проводит конкурс социальных проектов для физических лиц, «Доброфорум», акции "
        "инициативных групп; на его базе работает ресурсный центр.",
    ),
    DemoOrganization(
        "Совет ветеранов",
        "Местная городская общественная организация ветеранов (пенсионеров) войны, труда, "
        "Вооружённых сил и правоохранительных органов",
        K.SONKO,
        "Местная общественная организация",
        (Area.ELDERLY, Area.PATRIOTIC, Area.URBAN),
        "Объединяет ветеранов города; проект «Двор, в котором я живу».",
        district="pervomaisky",
    ),
    DemoOrganization(
        "«Этот мир для тебя»",
        "Железногорская местная общественная организация родителей по защите прав детей с "
        "ограниченными возможностями «Этот мир для тебя»",
        K.SONKO,
        "Местная общественная организация",
        (Area.DISABILITY, Area.CHILDREN, Area.FAMILY),
        "Центр медико-социальной реабилитации детей-инвалидов, созданный родителями.",
        district="leningradsky",
        owner="nko@example.org",
    ),
    DemoOrganization(
        "ФСЦ",
        "АНО «Физкультурно-спортивный центр»",
        K.SONKO,
        "Автономная некоммерческая организация",
        (Area.SPORT, Area.DISABILITY),
        "Адаптивный спорт: программа «Мы такие же, как все!».",
    ),
    DemoOrganization(
        "«Федерация ЗОЖ»",
        "Красноярская региональная молодёжная общественная организация «Федерация здорового "
        "образа жизни»",
        K.SONKO,
        "Региональная общественная организация",
        (Area.HEALTH, Area.SPORT, Area.CHILDREN),
        "Программа «Территория спорта и отдыха».",
    ),
    DemoOrganization(
        "«Школа осознанного родительства»",
        "Красноярская региональная общественная организация «Школа осознанного родительства»",
        K.SONKO,
        "Региональная общественная организация",
        (Area.FAMILY, Area.ELDERLY),
        "Проект «Бабушкины сказки»: старшее поколение читает детям.",
    ),
    DemoOrganization(
        "ИГ «Белая трость»",
        "Инициативная группа «Белая трость»",
        K.INITIATIVE_GROUP,
        "",
        (Area.DISABILITY,),
        "Жители, которые проводят акцию «Белая трость» для незрячих и слабовидящих горожан.",
        status=Organization.Status.PENDING,
        owner="volunteer@example.org",
    ),
    DemoOrganization(
        "ИГ «Праздник осени»",
        "Инициативная группа «Праздник осени»",
        K.INITIATIVE_GROUP,
        "",
        (Area.CULTURE, Area.CHILDREN),
        "Сезонные праздники для детей и семей вместе с Молодёжным центром.",
        district="podgorny",
    ),
    DemoOrganization(
        "Кафе «Сибирский двор»",
        "ООО «Сибирский двор»",
        K.BUSINESS,
        "Общество с ограниченной ответственностью",
        (Area.SOCIAL,),
        "Кормит волонтёров на городских акциях, проводит гастрономические мастер-классы.",
    ),
    DemoOrganization(
        "Типография «Железногорская»",
        "ИП Печатникова А. В.",
        K.BUSINESS,
        "Индивидуальный предприниматель",
        (Area.MEDIA,),
        "Печатает афиши и грамоты для добровольческих акций бесплатно или со скидкой.",
        district="old-town",
    ),
]


def seed() -> None:
    districts = {d.slug: d for d in District.objects.all()}
    now = timezone.now()
    for serial, demo in enumerate(ORGANIZATIONS, start=1):
        registered = demo.kind != K.INITIATIVE_GROUP
        organization, created = Organization.objects.get_or_create(
            name=demo.name,
            defaults={
                "short_name": demo.short_name,
                "kind": demo.kind,
                "legal_form": demo.legal_form,
                "inn": demo_inn(serial) if registered else "",
                "ogrn": demo_ogrn(serial) if registered else "",
                "address": f"г. Железногорск, ул. Ленина, д. {serial}",
                "district": districts.get(demo.district),
                "phone": f"+739197{serial:05d}",
                "email": f"org{serial}@example.org",
                "description": demo.description,
                "founded_on": demo.founded,
                "status": demo.status,
                "reviewed_at": now if demo.status == Organization.Status.VERIFIED else None,
            },
        )
        if not created:
            continue
        OrganizationArea.objects.bulk_create(
            OrganizationArea(organization=organization, area=area) for area in demo.areas
        )
        if demo.owner:
            Membership.objects.get_or_create(
                organization=organization,
                user=demo_user(demo.owner),
                defaults={"role": Membership.Role.OWNER},
            )
