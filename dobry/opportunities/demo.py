"""Demo catalogue of external grant calls: current calls of real programmes with dates
relative to today, one past call in the archive; the demo НКО («Этот мир для тебя»,
nko@example.org) follows the Presidential Grants Fund's call."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from dobry.accounts.demo import demo_user
from dobry.core.clock import local_today
from dobry.opportunities.models import Follow, Opportunity
from dobry.opportunities.services import catalogue, follows
from dobry.organizations.models import Organization

P = Opportunity.Programme
K = Organization.Kind


@dataclass(frozen=True)
class DemoCall:
    title: str
    programme: str
    organiser: str
    summary: str
    areas: list[str]
    kinds: list[str]
    opens: int  # days from today
    closes: int
    low: int | None
    high: int | None
    months: int = 0
    region: str = ""
    url: str = ""
    tips: str = ""
    documents: str = field(default="Устав, выписка из ЕГРЮЛ, бюджет проекта, календарный план.")


CALLS = (
    DemoCall(
        "Президентские гранты: конкурс для НКО",
        P.PRESIDENTIAL,
        "Фонд президентских грантов",
        "Гранты на социальные проекты некоммерческих организаций по 12 направлениям.",
        ["social", "children", "elderly", "disability", "culture", "family"],
        [K.SONKO],
        -20,
        25,
        500_000,
        10_000_000,
        months=12,
        url="https://xn--80afcdbalict6afooklqi5o.xn--p1ai/",
        tips="Ресурсный центр проверит заявку за неделю до срока: запишитесь на консультацию.",
    ),
    DemoCall(
        "Конкурс субсидий СО НКО Красноярского края",
        P.REGIONAL,
        "Министерство внутренней политики Красноярского края",
        "Субсидии социально ориентированным НКО края на проекты в муниципалитетах.",
        ["social", "elderly", "disability", "nko_support"],
        [K.SONKO],
        -5,
        40,
        100_000,
        1_500_000,
        months=6,
        region="Красноярский край",
        tips="Приложите письма поддержки от администрации города.",
    ),
    DemoCall(
        "«ТОП-20»: конкурс социальных проектов Росатома",
        P.CORPORATE,
        "Госкорпорация «Росатом»",
        "Поддержка проектов в городах присутствия атомной отрасли: городская среда, "
        "экология, образование, спорт.",
        ["urban", "ecology", "education", "sport", "culture"],
        [K.SONKO, K.MUNICIPAL, K.PUBLIC_ASSOCIATION],
        0,
        12,
        50_000,
        1_000_000,
        region="Города присутствия Росатома",
    ),
    DemoCall(
        "Конкурс «Мы вместе» для инициативных групп",
        P.FOUNDATION,
        "Фонд «Мы вместе»",
        "Небольшие гранты инициативным группам жителей на дворовые и соседские проекты.",
        ["urban", "social"],
        [K.INITIATIVE_GROUP, K.PUBLIC_ASSOCIATION],
        10,
        60,
        None,
        200_000,
    ),
)
PAST = DemoCall(
    "Президентские гранты: прошлый конкурс",
    P.PRESIDENTIAL,
    "Фонд президентских грантов",
    "Прошлый конкурс фонда: итоги подведены.",
    ["social", "children"],
    [K.SONKO],
    -200,
    -140,
    500_000,
    10_000_000,
    months=12,
)
FOLLOWED = CALLS[0].title


def _create(call: DemoCall) -> None:
    today = local_today()
    catalogue.opportunity_create(
        actor=demo_user("coordinator@example.org"),
        title=call.title,
        programme=call.programme,
        organiser=call.organiser,
        summary=call.summary,
        areas=call.areas,
        eligible_kinds=[str(kind) for kind in call.kinds],
        min_registered_months=call.months,
        region=call.region,
        min_amount=Decimal(call.low) if call.low is not None else None,
        max_amount=Decimal(call.high) if call.high is not None else None,
        opens_on=today + timedelta(days=call.opens),
        closes_on=today + timedelta(days=call.closes),
        url=call.url,
        documents=call.documents,
        tips=call.tips,
    )


def seed() -> None:
    for call in (*CALLS, PAST):
        if not Opportunity.objects.filter(title=call.title).exists():
            _create(call)
    owner = demo_user("nko@example.org")
    organization = Organization.objects.filter(
        memberships__user=owner, memberships__role="owner"
    ).first()
    followed = Opportunity.objects.filter(title=FOLLOWED).first()
    if organization and followed and not Follow.objects.filter(opportunity=followed).exists():
        follows.follow_create(actor=owner, opportunity=followed, organization=organization)
