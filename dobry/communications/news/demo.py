"""Demo news of the passport's participants: the resource centre (КРОО «АРГО») and the
administration publish their own; a parents' organisation writes one that a coordinator
published after moderation and another that waits on moderation; an announcement is
scheduled. Covers are drawn here (no network). Written through the services, so the audit
log, the notifications and the support registry are as real use leaves them; idempotent
(an item whose title exists is not written again).

Organisations and the objects news is about belong to apps above this one: they are found
through the site's registries (`newsrooms`, `references`), never imported."""

import io
from dataclasses import dataclass
from datetime import time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from dobry.accounts.demo import demo_user
from dobry.accounts.models import User
from dobry.communications.models import NewsItem
from dobry.communications.news.newsrooms import newsrooms
from dobry.communications.news.services import news_create, news_move
from dobry.core import references
from dobry.core.clock import local_moment, local_today
from dobry.core.references import Reference

K = NewsItem.Kind
COORDINATOR = "coordinator@example.org"
OFFICIAL = "official@example.org"
NKO = "nko@example.org"
# What happens to an item after it is written.
PUBLISH, SCHEDULE, MODERATE, SUBMIT, DRAFT = "publish", "schedule", "moderate", "submit", "draft"


@dataclass(frozen=True)
class DemoNews:
    author: str
    title: str
    lead: str
    body: str
    organization: str = ""  # the participant's short name
    kind: str = K.NEWS
    tags: tuple[str, ...] = ()
    then: str = PUBLISH
    cover: tuple[tuple[int, int, int], tuple[int, int, int]] | None = None
    cover_alt: str = ""
    subject: tuple[str, str] = ("", "")  # (kind, title of the object)


NEWS = [
    DemoNews(
        COORDINATOR,
        "Ресурсный центр отвечает на вопросы НКО онлайн",
        "Задайте вопрос о регистрации, отчётности или грантах на платформе — консультант "
        "ответит в течение двух рабочих дней.",
        "<p>Городской ресурсный центр поддержки социальных инициатив принимает вопросы "
        'через раздел <a href="/desk/consultations/">«Вопрос в ресурсный центр»</a>.</p>'
        "<h2>С чем помогаем</h2><ul><li>регистрация НКО и изменения в уставе;</li>"
        "<li>отчётность в Минюст и налоговую;</li><li>подготовка заявок на гранты;</li>"
        "<li>помещения для встреч и мероприятий.</li></ul>"
        "<p>Ответы на частые вопросы мы публикуем в <strong>библиотеке НКО</strong>.</p>",
        organization="КРОО «АРГО»",
        tags=("ресурсный центр", "НКО"),
        cover=((31, 111, 139), (120, 190, 170)),
        cover_alt="Голубая обложка с кругами, похожими на собравшихся за столом людей",
    ),
    DemoNews(
        OFFICIAL,
        "Объявлен конкурс социально значимых проектов СО НКО",
        "Администрация ЗАТО г. Железногорск принимает заявки на муниципальные гранты "
        "для социально ориентированных НКО.",
        "<p>Заявки подаются на платформе, в разделе конкурса. Перед подачей прочитайте "
        "положение и критерии оценки.</p><blockquote>Ресурсный центр проводит семинар "
        "«Подготовка заявок на грантовый конкурс» — запишитесь заранее.</blockquote>",
        organization="Администрация ЗАТО г. Железногорск",
        tags=("гранты", "НКО"),
        cover=((132, 32, 41), (232, 170, 80)),
        cover_alt="Красно-золотая обложка с кругами и сердцем",
        subject=("competition", "Конкурс социально значимых проектов СО НКО — 2027"),
    ),
    DemoNews(
        COORDINATOR,
        "Фестиваль «Добрый Железногорск» ищет волонтёров",
        "Ежегодный городской фестиваль в парке им. С. М. Кирова: нужны волонтёры на "
        "встречу гостей, площадки НКО и детскую зону.",
        "<p>Запишитесь на удобную смену на странице мероприятия. Перед фестивалем — "
        "короткий инструктаж.</p><ol><li>Выберите смену.</li><li>Получите QR-код.</li>"
        "<li>Приходите и отметьтесь у координатора.</li></ol>",
        organization="Парк им. С. М. Кирова",
        kind=K.ANNOUNCEMENT,
        tags=("волонтёрам", "фестиваль"),
        cover=((20, 108, 67), (250, 210, 90)),
        cover_alt="Зелёно-жёлтая обложка с разноцветными кругами, как воздушные шары",
        subject=("event", "Фестиваль «Добрый Железногорск»"),
    ),
    DemoNews(
        NKO,
        "«Этот мир для тебя» открывает набор в группу адаптивного спорта",
        "Занятия для детей с ограниченными возможностями здоровья — бесплатно, с "
        "тренерами и волонтёрами.",
        "<p>Занятия проходят два раза в неделю. Родители могут оставаться на тренировке.</p>"
        "<p>Нужны и волонтёры: помочь детям переодеться и дойти до зала.</p>",
        organization="«Этот мир для тебя»",
        tags=("дети", "спорт", "волонтёрам"),
        then=MODERATE,
        cover=((90, 60, 150), (240, 150, 180)),
        cover_alt="Фиолетово-розовая обложка с сердцем в центре",
    ),
    DemoNews(
        NKO,
        "Благотворительная ярмарка поделок родителей и детей",
        "В субботу — ярмарка в Молодёжном центре: все деньги пойдут на реабилитацию детей.",
        "<p>Приносите поделки до пятницы или приходите за покупками в субботу.</p>",
        organization="«Этот мир для тебя»",
        kind=K.ANNOUNCEMENT,
        tags=("ярмарка",),
        then=SUBMIT,
    ),
    DemoNews(
        COORDINATOR,
        "Итоги месяца: сколько помогли вместе",
        "Волонтёры, организации и жители за месяц: смены, часы помощи и консультации.",
        '<p>Подробные цифры — на странице <a href="/reports/">показателей практики</a>.</p>',
        tags=("итоги",),
        then=SCHEDULE,
    ),
]


def cover_picture(colors: tuple[tuple[int, int, int], tuple[int, int, int]]) -> SimpleUploadedFile:
    """A 1200×630 PNG (the size link cards use): a gradient and a few circles, drawn here."""
    width, height = 1200, 630
    top, bottom = colors
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        share = y / (height - 1)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * share) for a, b in zip(top, bottom, strict=True)),
        )
    for index, (x, y, r) in enumerate(((300, 320, 110), (600, 300, 150), (900, 330, 110))):
        shade = 255 - index * 25
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(shade, shade, 255 - index * 10))
    draw.polygon([(560, 290), (600, 340), (640, 290), (600, 255)], fill=(220, 40, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png")


def _subject(kind: str, title: str, reader: User) -> Reference | None:
    if not kind or kind not in references.kinds():
        return None
    found = references.check_kind(kind).visible(reader).filter(title=title).order_by("pk").first()
    return Reference(kind, found.pk) if found is not None else None


def seed() -> None:
    """Write the demo news once (idempotent)."""
    organizations = {str(organization): organization.pk for organization in newsrooms().verified()}
    coordinator = demo_user(COORDINATOR)
    for demo in NEWS:
        if NewsItem.objects.filter(title=demo.title).exists():
            continue
        author = demo_user(demo.author)
        fields: dict[str, object] = {
            "kind": demo.kind,
            "title": demo.title,
            "lead": demo.lead,
            "body": demo.body,
            "tags": list(demo.tags),
            "organization": organizations.get(demo.organization),
            "subject": _subject(*demo.subject, author),
            "cover_alt": demo.cover_alt,
        }
        if demo.then == SCHEDULE:
            fields["publish_at"] = local_moment(local_today() + timedelta(days=3), time(10, 0))
        item = news_create(
            author=author,
            fields=fields,
            cover=cover_picture(demo.cover) if demo.cover else None,
        )
        if demo.then == PUBLISH:
            news_move(actor=author, item=item, move="publish")
        elif demo.then == SCHEDULE:
            news_move(actor=author, item=item, move="schedule")
        elif demo.then in (SUBMIT, MODERATE):
            news_move(actor=author, item=item, move="submit")
            if demo.then == MODERATE:
                news_move(actor=coordinator, item=item, move="publish")
