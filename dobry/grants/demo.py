"""Demo competitions: last year's contest for НКО, run from the call to the published
results through the services (so its figures follow the published rules), and this
season's contest open for applications, with a draft waiting for nko@example.org."""

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone

from dobry.accounts.demo import demo_user
from dobry.accounts.models import User
from dobry.core import references
from dobry.core.clock import city_zone, local_date, local_moment, local_today
from dobry.core.documents import docx_letter
from dobry.core.typography import quoted
from dobry.grants import permissions
from dobry.grants.models import (
    Agreement,
    Amendment,
    Application,
    Competition,
    Expert,
    GrantReport,
    Meeting,
    ProjectRating,
    ReportDue,
    Review,
    WorkCalendarDay,
)
from dobry.grants.protocol import protocol_docx
from dobry.grants.services import (
    agreements,
    applications,
    assignments,
    competitions,
    decisions,
    outcomes,
    reports,
    reviews,
)
from dobry.grants.services import calendar as calendar_services
from dobry.organizations.models import Membership, Organization
from dobry.resources.models import SupportRecord

PAST_TITLE = "Конкурс социально значимых проектов СО НКО — 2025"
OPEN_TITLE = "Конкурс социально значимых проектов СО НКО — 2027"

RULES = (
    "Гранты предоставляются социально ориентированным некоммерческим организациям "
    "ЗАТО г. Железногорск на реализацию социальных проектов по направлениям: поддержка "
    "старшего поколения, семьи и детства, людей с инвалидностью; здоровый образ жизни; "
    "развитие добровольчества. Проект реализуется в течение календарного года."
)

# (organisation, project, amount requested, one score per criterion from each expert)
PAST_PROJECTS = [
    ("Совет ветеранов", "Двор, в котором я живу", 300_000, (9, 8)),
    ("«Этот мир для тебя»", "Мастерская равных возможностей", 250_000, (8, 8)),
    ("«Федерация ЗОЖ»", "Территория спорта и отдыха", 200_000, (9, 4)),
    ("«Школа осознанного родительства»", "Бабушкины сказки", 250_000, (7, 6)),
    ("ФСЦ", "Плавание для всех", 150_000, (5, 4)),
]


def _leader(organization: Organization) -> User:
    """The organisation's owner or editor; a demo leader account if it has none."""
    membership = (
        organization.memberships.filter(role__in=(Membership.Role.OWNER, Membership.Role.EDITOR))
        .select_related("user")
        .first()
    )
    if membership is not None:
        return membership.user
    user, _created = User.objects.get_or_create(
        email=f"leader-{organization.pk}@example.org",
        defaults={
            "first_name": "Руководитель",
            "last_name": str(organization)[:140],
            "password": make_password(None),
        },
    )
    Membership.objects.get_or_create(
        organization=organization, user=user, defaults={"role": Membership.Role.OWNER}
    )
    return user


def _content(title: str, amount: int) -> dict:
    return {
        "summary": f"Проект {quoted(title, 'ru')} для жителей Железногорска.",
        "problem": "Жителям не хватает доступных занятий рядом с домом.",
        "target_group": "Жители города, в том числе пожилые люди и семьи с детьми.",
        "goals": "Сделать занятия доступными и регулярными.",
        "tasks": "Подготовить площадку; привлечь волонтёров; провести занятия; рассказать о них.",
        "team": "Руководитель проекта, два специалиста и волонтёры организации.",
        "partners": "КРОО «АРГО», Молодёжный центр.",
        "calendar": [
            {"title": "Подготовка", "starts_on": "2025-06-01", "ends_on": "2025-06-30"},
            {"title": "Занятия и встречи", "starts_on": "2025-07-01", "ends_on": "2025-11-30"},
        ],
        "indicators": [
            {"name": "Участники", "unit": "чел.", "target": "120"},
            {"name": "Проведено занятий", "unit": "шт.", "target": "40"},
        ],
        "budget": [
            {
                "item": "Оборудование и материалы",
                "quantity": "1",
                "unit_cost": str(amount - 30_000 + 20_000),
                "requested": str(amount - 30_000),
                "cofinancing": "20000",
                "cofinancing_source": "собственные средства организации",
            },
            {
                "item": "Информирование жителей: печать и реклама",
                "quantity": "1",
                "unit_cost": "30000",
                "requested": "30000",
                "cofinancing": "0",
                "cofinancing_source": "",
            },
        ],
    }


def _experts(competition: Competition, official: User) -> list[Expert]:
    seats = [
        ("expert@example.org", Expert.Sector.INDEPENDENT),
        ("coordinator@example.org", Expert.Sector.NKO),
        ("official@example.org", Expert.Sector.ADMINISTRATION),
    ]
    return [
        assignments.expert_add(
            actor=official, competition=competition, user=demo_user(email), sector=sector
        )
        for email, sector in seats
    ]


def _score(review: Review, value: int) -> None:
    user = review.expert.user
    reviews.conflict_declare(user=user, application=review.application, conflict=False)
    criteria = list(review.application.competition.criteria.all())
    reviews.review_save(
        user=user,
        review=review,
        scores={c.pk: value for c in criteria},
        comments={c.pk: "Обоснование оценки: см. описание проекта." for c in criteria},
        comment="Проект реалистичен, результаты измеримы.",
        submit=True,
    )


def _seed_past(official: User) -> None:
    """Last spring's contest, run through the services today from the call to the
    published results, then dated back (`_move_to_last_year`)."""
    now = timezone.now()
    competition = competitions.competition_create(
        actor=official,
        kind=Competition.Kind.SONKO,
        title=PAST_TITLE,
        rules=RULES,
        budget=Decimal(1_000_000),
        min_grant=Decimal(50_000),
        max_grant=Decimal(300_000),
        passing_score=Decimal(50),
        applications_open=now - timedelta(days=1),
        applications_close=now + timedelta(days=1),
        review_deadline=now + timedelta(days=20),
        results_on=local_date(now + timedelta(days=25)),
        lottery_seed="2025-05-15-протокол",
    )
    competition = competitions.competition_publish(actor=official, competition=competition)
    planned = [_admitted_application(official, competition, *project) for project in PAST_PROJECTS]
    _experts(competition, official)
    assignments.assign_experts(actor=official, competition=competition)
    for application, scores in planned:
        for review, value in zip(application.reviews.order_by("pk"), scores, strict=True):
            _score(review, value)
        for extra in application.reviews.filter(status=Review.Status.ASSIGNED):
            _score(extra, 7)  # the third expert the divergence called for
    Competition.objects.filter(pk=competition.pk).update(applications_close=now)
    competition.refresh_from_db()
    _commission_decides(official, competition, now)
    decisions.results_publish(actor=official, competition=competition)
    _move_to_last_year(competition, now)


def _admitted_application(
    official: User,
    competition: Competition,
    short_name: str,
    title: str,
    amount: int,
    scores: Sequence[int],
) -> tuple[Application, Sequence[int]]:
    """The organisation's application submitted and admitted, with the scores it is to get."""
    organization = Organization.objects.get(short_name=short_name)
    leader = _leader(organization)
    application = applications.application_create(
        user=leader, competition=competition, organization=organization
    )
    applications.application_save(
        user=leader, application=application, title=title, content=_content(title, amount)
    )
    applications.application_submit(user=leader, application=application)
    applications.application_screen(
        actor=official, application=application, decision=Application.Status.ADMITTED
    )
    return application, scores


def _commission_decides(official: User, competition: Competition, now: datetime) -> None:
    """A trial and a final run, the meeting with a quorum, its decision and signed protocol."""
    decisions.allocation_run(actor=official, competition=competition, final=False)
    decisions.allocation_run(actor=official, competition=competition, final=True)
    meeting = decisions.meeting_create(
        actor=official,
        competition=competition,
        held_at=now,
        quorum=3,
        place="Администрация ЗАТО г. Железногорск, зал заседаний",
        agenda="1. Рассмотрение рейтинга заявок.\n2. Утверждение распределения грантов.",
        members=[
            {"name": "Чиновников С. А.", "sector": "administration", "role": "chair"},
            {"name": "Координаторова О. В.", "sector": "nko", "role": "secretary"},
            {"name": "Экспертов П. И.", "sector": "independent"},
            {"name": "Представитель ФГУП «ГХК»", "sector": "enterprise", "present": False},
        ],
    )
    decisions.meeting_decide(actor=official, meeting=meeting)
    decisions.meeting_attach_protocol(
        actor=official,
        meeting=meeting,
        upload=SimpleUploadedFile("протокол-подписанный.docx", protocol_docx(meeting)),
    )


def _move_to_last_year(competition: Competition, now: datetime) -> None:
    """The contest ran through the services today; its records are dated as last spring's."""
    tz, last = city_zone(), local_today().year - 1
    opened = datetime(last, 3, 1, 9, 0, tzinfo=tz)
    shift = opened - (now - timedelta(days=1))
    deadline = datetime(last, 4, 30, 18, 0, tzinfo=tz)
    Competition.objects.filter(pk=competition.pk).update(
        applications_open=opened,
        applications_close=datetime(last, 4, 1, 18, 0, tzinfo=tz),
        review_deadline=deadline,
        results_on=date(last, 5, 15),
        results_published_at=datetime(last, 5, 15, 12, 0, tzinfo=tz),
    )
    competition.applications.update(submitted_at=F("submitted_at") + shift)
    for application in competition.applications.all():  # numbers carry the year of the call
        application.number = f"{opened.year}{application.number[4:]}"
        application.save(update_fields=["number"])
    Review.objects.filter(application__competition=competition).update(
        submitted_at=F("submitted_at") + shift,
        declared_at=F("declared_at") + shift,
        due_at=deadline,
    )
    Meeting.objects.filter(competition=competition).update(
        held_at=datetime(now.year - 1, 5, 12, 15, 0, tzinfo=tz)
    )
    SupportRecord.objects.filter(
        source_kind=references.kind_of(Application),
        source_pk__in=competition.applications.values("pk"),
    ).update(date=date(local_today().year - 1, 5, 15))


def _seed_open(official: User) -> None:
    """This year's contest, open for applications: one submitted, one draft."""
    now = timezone.now()
    competition = competitions.competition_create(
        actor=official,
        kind=Competition.Kind.SONKO,
        title=OPEN_TITLE,
        rules=RULES,
        budget=Decimal(1_200_000),
        min_grant=Decimal(50_000),
        max_grant=Decimal(300_000),
        passing_score=Decimal(50),
        blind_review=True,
        lottery_winners=2,
        lottery_amount=Decimal(50_000),
        lottery_min_score=Decimal(50),
        lottery_seed="2027-открытый-жребий",
        applications_open=now - timedelta(days=5),
        applications_close=now + timedelta(days=25),
        review_deadline=now + timedelta(days=45),
        results_on=local_date(now + timedelta(days=60)),
    )
    competition = competitions.competition_publish(actor=official, competition=competition)
    _experts(competition, official)
    _submitted_application(competition)
    _draft_with_estimate(competition)


def _submitted_application(competition: Competition) -> None:
    veterans = Organization.objects.get(short_name="Совет ветеранов")
    leader = _leader(veterans)
    submitted = applications.application_create(
        user=leader, competition=competition, organization=veterans
    )
    title = "Серебряные волонтёры"
    applications.application_save(
        user=leader, application=submitted, title=title, content=_content(title, 180_000)
    )
    applications.application_submit(user=leader, application=submitted)


def _draft_with_estimate(competition: Competition) -> None:
    """The НКО demo leader's draft, its estimate attached."""
    leader = demo_user("nko@example.org")
    home = Organization.objects.get(short_name="«Этот мир для тебя»")
    draft = applications.application_create(user=leader, competition=competition, organization=home)
    applications.application_save(
        user=leader,
        application=draft,
        title="Инклюзивная студия",
        content={"summary": "Занятия для детей с инвалидностью и их родителей."},
    )
    applications.application_attach(
        user=leader,
        application=draft,
        title="Смета проекта",
        upload=SimpleUploadedFile(
            "smeta.docx",
            docx_letter(
                "Смета проекта «Инклюзивная студия»",
                ["Материалы для занятий — 40 000 ₽", "Оплата педагога — 90 000 ₽"],
                "Руководитель проекта",
            ),
        ),
    )


# The government's transfers of days off for 2026 and 2027 (days off moved from the New
# Year weekends; a working Saturday in February 2027), as staff enter them on the desk page.
DECREE_TRANSFERS = [
    (date(2026, 1, 9), False, "перенос выходного дня с субботы 3 января 2026 г."),
    (date(2026, 12, 31), False, "перенос выходного дня с воскресенья 4 января 2026 г."),
    (date(2027, 2, 20), True, "рабочая суббота: выходной перенесён на 22 февраля 2027 г."),
    (date(2027, 2, 22), False, "перенос выходного дня с субботы 20 февраля 2027 г."),
    (date(2027, 11, 5), False, "перенос выходного дня с субботы 2 января 2027 г."),
    (date(2027, 12, 31), False, "перенос выходного дня с воскресенья 3 января 2027 г."),
]


def _seed_agreements(official: User) -> None:
    """Last year's winners' agreements: made after the decision, signed a week later, the
    first tranche paid; one with money moved between its budget lines (version 2)."""
    competition = Competition.objects.filter(title=PAST_TITLE).first()
    if (
        competition is None
        or Agreement.objects.filter(application__competition=competition).exists()
    ):
        return
    last = local_today().year - 1
    made = agreements.agreements_prepare(
        actor=official, competition=competition, concluded_on=date(last, 5, 25)
    )
    for number, draft in enumerate(made):
        scan = SimpleUploadedFile(
            f"soglashenie-{number + 1}.pdf", b"%PDF-1.4 demo scan", content_type="application/pdf"
        )
        agreement = agreements.agreement_sign(
            actor=official, agreement=draft, signed_on=date(last, 6, 1), upload=scan
        )
        planned = agreement.tranches.order_by("position").first()
        if planned is not None:
            first = agreements.tranche_request(
                actor=agreement.application.applicant or official, tranche=planned
            )
            # Last year's story: asked for a few days after the signing, paid a week later
            # (the request is stamped with the moment it is made; the demo dates it back).
            first.requested_at = local_moment(date(last, 6, 8), time(10))
            first.save(update_fields=["requested_at"])
            agreements.tranche_pay(
                actor=official,
                tranche=first,
                payment_order=f"{1200 + number}",
                paid_on=date(last, 6, 15),
            )
    if made:
        agreement = Agreement.objects.get(pk=made[0].pk)
        lines = list(agreement.lines.order_by("position"))
        if len(lines) >= 2:
            shift = (lines[1].amount / 10).quantize(Decimal("1"))
            amendment = agreements.amendment_propose(
                actor=agreement.application.applicant or official,
                agreement=agreement,
                kind=Amendment.Kind.BUDGET,
                reason="Типография подняла цены: переносим часть средств с оборудования.",
                lines={lines[0].pk: lines[0].amount - shift, lines[1].pk: lines[1].amount + shift},
            )
            agreements.amendment_approve(
                actor=official, amendment=amendment, comment="Согласовано."
            )


DEMO_RATINGS = (GrantReport.Rating.SUCCESSFUL, GrantReport.Rating.SATISFACTORY)


def _demo_report(grantee: User, agreement: Agreement, kind: str) -> GrantReport:
    """A report filled as a grantee would and submitted three days before it was due."""
    report = reports.report_open(actor=grantee, agreement=agreement, kind=kind)
    content = reports.current_version(report).content
    data = {
        "activities": [
            {"done": True, "note": "Проведено по плану."} for _ in content["activities"]
        ],
        "indicators": [{"achieved": row["target"]} for row in content["indicators"]],
        "spending": [{"line": row["line"], "spent": row["amount"]} for row in content["spending"]],
        "publications": [{"title": "Новости города", "url": "https://example.org/news/grant"}],
        "participants": 124,
        "recipients": 37,
    }
    reports.report_save(actor=grantee, report=report, data=data)
    due = agreement.reports_due.get(kind=kind)
    submitted_at = local_moment(min(due.due_on, local_today()) - timedelta(days=3), time(12))
    return reports.report_submit(actor=grantee, report=report, now=submitted_at)


DEMO_GRANTEE = "nko@example.org"


def _seed_reports(official: User) -> None:
    """Last year's winners report: each finished project's interim and final reports
    accepted, the final one with a rating; the demo НКО's interim report returned with
    comments (its grantee is working on the next version)."""
    made = list(
        Agreement.objects.filter(
            application__competition__title=PAST_TITLE, status=Agreement.Status.SIGNED
        ).order_by("number")
    )
    if not made or GrantReport.objects.filter(agreement__in=made).exists():
        return
    # The report being reworked is the demo НКО leader's (README: nko@example.org), so a
    # newcomer walks the grantee's side — a returned report, its next version — with a
    # demo login; the other grantees' leaders have no password.
    returned: Agreement | None = None
    if len(made) > 1:
        returned = next(
            (
                agreement
                for agreement in made
                if any(u.email == DEMO_GRANTEE for u in agreements.grantees(agreement.application))
            ),
            made[-1],
        )
        made.remove(returned)
    for number, agreement in enumerate(made):
        grantee = agreements.grantees(agreement.application)[0]
        kinds = set(agreement.reports_due.values_list("kind", flat=True))
        if ReportDue.Kind.INTERIM in kinds:
            interim = _demo_report(grantee, agreement, ReportDue.Kind.INTERIM)
            reports.report_accept(actor=official, report=interim)
        final = _demo_report(grantee, agreement, ReportDue.Kind.FINAL)
        rating = DEMO_RATINGS[number % len(DEMO_RATINGS)]
        reports.report_accept(actor=official, report=final, rating=rating)
    if returned is not None:
        grantee = agreements.grantees(returned.application)[0]
        kind = ReportDue.Kind.INTERIM
        if not returned.reports_due.filter(kind=kind).exists():
            kind = ReportDue.Kind.FINAL
        report = _demo_report(grantee, returned, kind)
        reports.report_return(
            actor=official,
            report=report,
            comments={"spending": "Приложите чеки по статье «Оборудование и материалы»."},
        )


# What residents say about last year's finished projects: (stars, comment or "").
DEMO_OPINIONS = (
    (5, "Спасибо! Дети до сих пор вспоминают."),
    (4, "Хорошо, но хотелось бы и по выходным."),
    (5, ""),
    (3, "Узнали слишком поздно — сделайте объявление в группе района."),
    (4, ""),
)
DEMO_SUMMARY = (
    "Проект {title} завершён. Всё, что было в календарном плане, сделано; участвовали "
    "124 человека, помощь получили 37. Спасибо волонтёрам и жителям, которые пришли! "
    "Продолжим в следующем году — следите за новостями организации."
)


def _demo_residents() -> list[User]:
    """The demo residents, and a few more people of the town who rate projects."""
    people = [demo_user("resident@example.org"), demo_user("volunteer@example.org")]
    for number, (first, last) in enumerate(
        (("Ольга", "Лесникова"), ("Пётр", "Речкин"), ("Анна", "Горная")), start=1
    ):
        user, _created = User.objects.get_or_create(
            email=f"zhitel-{number}@example.org",
            defaults={"first_name": first, "last_name": last, "password": make_password(None)},
        )
        people.append(user)
    return people


def _seed_outcomes() -> None:
    """Last year's finished projects: the grantee's summary, several residents' ratings
    and comments, and the grantee's answer to the last one."""
    finished = Agreement.objects.filter(
        application__competition__title=PAST_TITLE, status=Agreement.Status.CLOSED
    ).select_related("application__competition", "application__organization")
    if not finished or ProjectRating.objects.filter(agreement__in=finished).exists():
        return
    residents = _demo_residents()
    for agreement in finished:
        grantee = agreements.grantees(agreement.application)[0]
        outcomes.project_summary_save(
            actor=grantee,
            agreement=agreement,
            text=DEMO_SUMMARY.format(title=quoted(agreement.application.title)),
        )
        raters = [r for r in residents if permissions.can_rate_project(r, agreement)]
        for resident, (stars, text) in zip(raters, DEMO_OPINIONS, strict=False):
            outcomes.project_rate(actor=resident, agreement=agreement, score=stars)
            if text:
                outcomes.project_comment_add(actor=resident, agreement=agreement, text=text)
        outcomes.project_comment_add(
            actor=grantee, agreement=agreement, text="Спасибо за отзывы! Учтём в новом сезоне."
        )


def _seed_work_calendar(official: User) -> None:
    for day, working, note in DECREE_TRANSFERS:
        if not WorkCalendarDay.objects.filter(day=day).exists():
            calendar_services.calendar_day_save(actor=official, day=day, working=working, note=note)


def seed() -> None:
    official = demo_user("official@example.org")
    _seed_work_calendar(official)
    if not Competition.objects.filter(title=PAST_TITLE).exists():
        _seed_past(official)
    if not Competition.objects.filter(title=OPEN_TITLE).exists():
        _seed_open(official)
    _seed_agreements(official)
    _seed_reports(official)
    _seed_outcomes()
