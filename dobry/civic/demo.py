"""Demo city initiatives of Zheleznogorsk, one at every stage: an idea, one gathering
support, one over the support threshold that the resource centre answered (with a project
group), one in progress with its team, one done with its result and photo; a closed
residents' vote that ended a month ago with its tally, an open one and one being prepared
(`seed_votes`). Idempotent."""

import io
from datetime import time, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone
from PIL import Image

from dobry.accounts.demo import demo_user
from dobry.accounts.models import User
from dobry.civic.models import Initiative, Vote, VoterMark
from dobry.civic.permissions import OPEN_STAGES
from dobry.civic.services import initiatives as services
from dobry.civic.services import people, verification, votes
from dobry.core.clock import local_moment, local_today
from dobry.core.models import District
from dobry.organizations.areas import Area
from dobry.organizations.models import Organization
from dobry.resources.models import ProjectGroup


def _district(slug: str) -> District | None:
    return District.objects.filter(slug=slug).first()


def _post(author: User, title: str, district: str, **fields: Any) -> Initiative:
    return services.initiative_save(
        actor=author, title=title, district=_district(district), **fields
    )


def organization_editor(organization: Organization) -> User | None:
    """Someone who edits the organisation (the author an initiative group posts as)."""
    return User.objects.filter(
        memberships__organization=organization, memberships__role__in=("owner", "editor")
    ).first()


def _group_of(short_name: str, person: User) -> Organization | None:
    """The initiative group if `person` edits it (the demo's volunteer runs one)."""
    group = Organization.objects.filter(short_name=short_name).first()
    if group is None or organization_editor(group) != person:
        return None
    return group


def seed() -> None:
    if Initiative.objects.exists():
        return
    resident, volunteer = demo_user("resident@example.org"), demo_user("volunteer@example.org")
    coordinator, nko = demo_user("coordinator@example.org"), demo_user("nko@example.org")
    _idea(resident)
    _gathering(volunteer, resident, nko)
    _answered(coordinator, volunteer, resident, nko)
    _in_progress(coordinator, volunteer, resident)
    _done(coordinator, nko, volunteer, resident)


def _idea(resident: User) -> None:
    _post(
        resident, "Скамейки и навес на остановке у поликлиники", "center",
        problem="Пожилым людям негде присесть в ожидании автобуса, в дождь нет укрытия.",
        idea="Поставить две скамейки и лёгкий навес; сделать их вместе со школой столяров.",
        address="ул. Кирова, остановка «Поликлиника»", area=Area.URBAN,
        needed_skills="столяр, сварщик", needed_materials="брус, поликарбонат",
    )  # fmt: skip


def _gathering(volunteer: User, resident: User, nko: User) -> None:
    rink = _post(
        volunteer, "Каток во дворе на Ленинградском", "leningradsky",
        problem="Зимой детям негде кататься рядом с домом: до стадиона далеко.",
        idea="Залить каток во дворе, дежурить по графику, собрать коньки напрокат.",
        address="пр. Ленинградский, 11–15, двор", area=Area.SPORT,
        needed_skills="дежурство, заливка льда", needed_materials="шланги, лопаты",
    )  # fmt: skip
    services.initiative_move(
        actor=volunteer, initiative=rink, name="gather", note="Собираем подписи соседей."
    )
    for person in (resident, nko):
        people.support_add(actor=person, initiative=rink)
    people.comment_add(actor=resident, initiative=rink, text="Внук будет рад! Готова дежурить.")


def _answered(coordinator: User, volunteer: User, resident: User, nko: User) -> None:
    group = Organization.objects.filter(short_name="ИГ «Праздник осени»").first()
    editor = organization_editor(group) if group is not None else None
    author = editor or volunteer
    group = group if editor is not None else None
    autumn = _post(
        author, "Праздник осени для семей Подгорного", "podgorny",
        problem="В посёлке мало событий для семей с детьми, особенно осенью.",
        idea="Провести праздник урожая с мастер-классами, ярмаркой и концертом.",
        address="пос. Подгорный, площадь у ДК", area=Area.CULTURE, group=group,
        needed_skills="ведущий, аниматор, фотограф", needed_premises="зал ДК на случай дождя",
    )  # fmt: skip
    services.initiative_move(actor=author, initiative=autumn, name="gather")
    for person in (resident, nko, volunteer, coordinator):
        if person != author:
            people.support_add(actor=person, initiative=autumn)
    # The demo city has a handful of accounts, fewer than the threshold (a setting): the
    # threshold is recorded as reached a week ago, as the supports would have done.
    Initiative.objects.filter(pk=autumn.pk).update(
        threshold_reached_at=timezone.now() - timedelta(days=7),
        response_due=local_today() + timedelta(days=7),
    )
    services.centre_respond(
        actor=coordinator, initiative=autumn,
        response="Приглашаем на консультацию по подготовке праздника; собрали проектную группу "
        "с ДК и Молодёжным центром; советуем подать заявку на конкурс для физических лиц.",
    )  # fmt: skip
    services.initiative_move(actor=coordinator, initiative=autumn, name="to_centre")
    linked = ProjectGroup.objects.filter(Q(title__icontains="Доступный")).first()
    if linked is not None:
        services.link_add(actor=coordinator, initiative=autumn, kind="project_group", pk=linked.pk)


def _in_progress(coordinator: User, volunteer: User, resident: User) -> None:
    path = _post(
        volunteer, "Тактильная тропа в парке Кирова", "old-town",
        problem="Незрячим и слабовидящим горожанам трудно гулять в парке одним.",
        idea="Проложить тактильную дорожку с табличками шрифтом Брайля у главной аллеи.",
        address="Парк культуры и отдыха им. С. М. Кирова", area=Area.DISABILITY,
        group=_group_of("ИГ «Белая трость»", volunteer),
        needed_skills="дизайнер, укладка плитки", needed_money=Decimal("180000"),
    )  # fmt: skip
    services.initiative_move(actor=volunteer, initiative=path, name="gather")
    people.support_add(actor=resident, initiative=path)
    services.initiative_move(
        actor=coordinator, initiative=path, name="start", note="Парк выделил участок аллеи."
    )
    people.team_join(actor=resident, initiative=path, role="проверяю маршрут вместе с незрячими")
    services.timeline_post(
        actor=volunteer, initiative=path, note="Согласовали макет табличек с обществом слепых."
    )


def _done(coordinator: User, nko: User, volunteer: User, resident: User) -> None:
    shelf = _post(
        nko, "Книжный шкаф в холле поликлиники", "pervomaisky",
        problem="В очереди к врачу нечем занять детей и пожилых.",
        idea="Поставить шкаф «Бери и читай» и пополнять его книгами жителей.",
        address="ул. Свердлова, 32, холл", area=Area.EDUCATION,
        needed_materials="шкаф, книги",
    )  # fmt: skip
    services.initiative_move(actor=nko, initiative=shelf, name="gather")
    services.initiative_move(actor=nko, initiative=shelf, name="start")
    people.team_join(actor=volunteer, initiative=shelf, role="привожу и сортирую книги")
    people.support_add(actor=resident, initiative=shelf)
    services.timeline_post(
        actor=nko, initiative=shelf, note="Шкаф стоит, жители принесли 240 книг.",
        photo=_photo(), photo_alt="Деревянный книжный шкаф с книгами в холле поликлиники",
    )  # fmt: skip
    services.initiative_move(actor=nko, initiative=shelf, name="finish", note="Сделано!")


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (150, 110, 70)).save(buffer, "JPEG")
    return SimpleUploadedFile("shelf.jpg", buffer.getvalue(), "image/jpeg")


# The closed vote's ballots: which of its five options each demo resident marked (each
# within the 600 000 ₽ budget).
BALLOTS = ((0, 1), (0, 2), (1, 2, 3), (0, 3), (2, 4), (0, 1, 4), (1, 3, 4), (0, 2, 4), (3, 4))
PAPER_BALLOTS = ((0, 1), (0, 3), (2, 3))
COSTS = (250_000, 180_000, 150_000, 120_000, 90_000)
POLLING_POINT = "Центральная библиотека им. Горького"
# How long ago the closed vote's last day was.
CLOSED_AGO = timedelta(days=30)


def seed_votes() -> None:
    """A closed budget vote among the initiatives that ended a month ago, with the tally
    published at its close — ballots cast on the site and paper ballots a member of the
    counting commission entered from a polling point —; an open approval vote in which the
    demo resident, confirmed by the coordinator, can vote; and a vote the coordinator is
    preparing (rules, options by hand and from initiatives, the counting commission).
    Every step goes through the services the pages call. Idempotent."""
    if Vote.objects.exists() or Initiative.objects.count() < len(COSTS):
        return
    coordinator = demo_user("coordinator@example.org")
    officer = demo_user("volunteer@example.org")
    crowd = list(
        User.objects.filter(email__regex=r"^resident[0-9]+@example\.org$").order_by("pk")[
            : len(BALLOTS) + len(PAPER_BALLOTS)
        ]
    )
    for person in [*crowd, demo_user("resident@example.org")]:
        verification.resident_verify(actor=coordinator, user=person)
    initiatives = list(Initiative.objects.order_by("pk")[: len(COSTS)])
    _closed_vote(coordinator, officer, crowd, initiatives)
    _open_vote(coordinator, initiatives)
    _prepared_vote(coordinator, officer, initiatives)


def _closed_vote(
    coordinator: User, officer: User, crowd: list[User], initiatives: list[Initiative]
) -> None:
    """Played now as it ran — two weeks of voting, online and at a polling point — then
    moved back whole (`_ended_earlier`) and closed as the scheduler closes a vote at its
    moment, so that its tally is published at its close a month ago."""
    now = timezone.now()
    vote = votes.vote_create(
        actor=coordinator,
        title="Народный бюджет: дворы и скверы",
        description="Жители выбирали, какие инициативы города поддержать из бюджета 600 000 ₽.",
        kind=Vote.Kind.BUDGET,
        budget=Decimal(600_000),
        opens_at=now - timedelta(days=13),
        closes_at=now + timedelta(days=1),
    )
    options = [
        votes.option_add(actor=coordinator, vote=vote, initiative=initiative, cost=Decimal(cost))
        for initiative, cost in zip(initiatives, COSTS, strict=True)
    ]
    votes.officer_add(actor=coordinator, vote=vote, officer=officer)
    vote = votes.vote_move(actor=coordinator, vote=vote, name="announce")
    online, paper = crowd[: len(BALLOTS)], crowd[len(BALLOTS) :]
    for person, marked in zip(online, BALLOTS, strict=False):
        votes.ballot_cast(actor=person, vote=vote, option_ids=[options[n].pk for n in marked])
    for person, marked in zip(paper, PAPER_BALLOTS, strict=False):
        votes.paper_ballot_enter(
            actor=officer,
            vote=vote,
            voter=person,
            option_ids=[options[n].pk for n in marked],
            polling_point=POLLING_POINT,
        )
    _ended_earlier(vote, CLOSED_AGO)
    vote.refresh_from_db()
    votes.votes_close_due(now=votes.closes_automatically_at(vote))


def _ended_earlier(vote: Vote, by: timedelta) -> None:
    """Demo only: the services write at the present moment, so a vote of the past is
    played now and then moved back whole — its days, and the days on its list of who
    voted — before it is closed. Only dates move; nothing else is written by hand."""
    Vote.objects.filter(pk=vote.pk).update(
        opens_at=vote.opens_at - by, closes_at=vote.closes_at - by
    )
    for day in (
        VoterMark.objects.filter(vote=vote).values_list("voted_on", flat=True).order_by().distinct()
    ):
        VoterMark.objects.filter(vote=vote, voted_on=day).update(voted_on=day - by)


def _open_vote(coordinator: User, initiatives: list[Initiative]) -> None:
    now = timezone.now()
    vote = votes.vote_create(
        actor=coordinator,
        title="Народный выбор: инициатива года",
        description="Выберите две инициативы, которые ресурсный центр поддержит в первую очередь.",
        kind=Vote.Kind.APPROVAL,
        max_choices=2,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=14),
    )
    for initiative in initiatives:
        votes.option_add(actor=coordinator, vote=vote, initiative=initiative)
    votes.vote_move(actor=coordinator, vote=vote, name="announce")


def _prepared_vote(coordinator: User, officer: User, initiatives: list[Initiative]) -> None:
    """A budget vote the coordinator is preparing (a draft only coordinators see), as the
    pages /votes/new/ and /votes/<id>/prepare/ make it: its rules, an option named by hand
    with its cost, options from the initiatives still gathering people, and the counting
    commission of its polling point."""
    opens = local_today() + timedelta(days=21)
    vote = votes.vote_create(
        actor=coordinator,
        title="Народный бюджет: зимние дворы",
        description="Какие зимние дела во дворах города поддержать из бюджета 400 000 ₽.",
        kind=Vote.Kind.BUDGET,
        budget=Decimal(400_000),
        opens_at=local_moment(opens, time(9)),
        closes_at=local_moment(opens + timedelta(days=14), time(20)),
    )
    votes.vote_update(
        actor=coordinator,
        vote=vote,
        title=vote.title,
        description=vote.description + " Варианты ещё можно предложить координатору.",
        budget=vote.budget,
        opens_at=vote.opens_at,
        closes_at=vote.closes_at,
    )
    votes.option_add(
        actor=coordinator,
        vote=vote,
        title="Снежный городок и горка во дворе на ул. Школьной",
        description="Построить горку и городок из снега с жителями двора и дежурить по выходным.",
        cost=Decimal(85_000),
    )
    gathering = [i for i in initiatives if i.status in OPEN_STAGES][:2]
    for initiative, cost in zip(gathering, (120_000, 150_000), strict=False):
        votes.option_add(actor=coordinator, vote=vote, initiative=initiative, cost=Decimal(cost))
    votes.officer_add(actor=coordinator, vote=vote, officer=officer)
