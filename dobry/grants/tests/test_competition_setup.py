"""Setting up a competition: the terms and their checks (dates on the city's clock), the
criteria until the first score, publication, co-organisers and the rules document."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.models import AuditEntry
from dobry.grants import permissions
from dobry.grants.models import Competition, Criterion
from dobry.grants.services import assignments, competitions
from dobry.grants.tests.factories import (
    admitted_application,
    decide,
    expert_pool,
    open_competition,
    score_all,
    scored_applications,
)

pytestmark = pytest.mark.django_db


def terms(**changes) -> dict:
    """Valid terms of a new СО НКО competition, changed by `changes`."""
    now = timezone.now()
    return {
        "kind": Competition.Kind.SONKO,
        "title": "Конкурс «Город рядом»",
        "budget": Decimal(1_000_000),
        "max_grant": Decimal(300_000),
        "applications_open": now - timedelta(days=1),
        "applications_close": now + timedelta(days=1),
        "review_deadline": now + timedelta(days=10),
        "results_on": (now + timedelta(days=15)).date(),
    } | changes


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "   "}, "title"),
        ({"budget": Decimal(0)}, "budget"),
        ({"min_grant": Decimal(-1)}, "min_grant"),
        ({"min_grant": Decimal(200_000), "max_grant": Decimal(100_000)}, "max_grant"),
        ({"max_grant": Decimal(1_000_001)}, "max_grant"),
        ({"experts_per_application": 0}, "experts_per_application"),
        # the API's limits, now the page's too (issue 11: the page took up to 32 767)
        ({"experts_per_application": 11}, "experts_per_application"),
        ({"min_registered_months": 601}, "min_registered_months"),
        ({"comment_below": 101}, "comment_below"),
        ({"lottery_winners": 1001, "lottery_amount": Decimal(1)}, "lottery_winners"),
        ({"divergence_percent": Decimal(0)}, "divergence_percent"),
        ({"divergence_percent": Decimal("100.01")}, "divergence_percent"),
        ({"allocation_rule": "coin_toss"}, "allocation_rule"),
        ({"eligible_kinds": ["sonko", "cult"]}, "eligible_kinds"),
        ({"eligible_kinds": []}, "eligible_kinds"),
        ({"sections": ["budget", "horoscope"]}, "sections"),
        ({"lottery_winners": 2, "lottery_amount": Decimal(0)}, "lottery_amount"),
        ({"lottery_winners": 11, "lottery_amount": Decimal(100_000)}, "lottery_amount"),
        (
            {"lottery_winners": 1, "lottery_amount": Decimal(10), "lottery_seed": " "},
            "lottery_seed",
        ),
    ],
)
def test_a_term_out_of_bounds_is_refused_at_its_field(official, changes, field):
    with pytest.raises(DomainError) as error:
        competitions.competition_create(actor=official, **terms(**changes))
    assert field in error.value.field_errors
    assert not Competition.objects.exists()


def test_the_dates_must_follow_each_other(official):
    now = timezone.now()
    with pytest.raises(DomainError) as error:
        competitions.competition_create(
            actor=official,
            **terms(
                applications_open=now,
                applications_close=now,
                review_deadline=now - timedelta(hours=1),
                results_on=(now - timedelta(days=2)).date(),
            ),
        )
    assert set(error.value.field_errors) == {
        "applications_close",
        "review_deadline",
        "results_on",
    }


def test_results_day_is_compared_with_the_review_deadline_on_the_city_clock(official, settings):
    # The review ends at 20:00 UTC on 1 March = 03:00 on 2 March in Krasnoyarsk (UTC+7):
    # results «on 1 March» would come before the end of the review there.
    settings.TIME_ZONE = "Asia/Krasnoyarsk"
    deadline = datetime(2027, 3, 1, 20, 0, tzinfo=UTC)
    dated = terms(
        applications_open=datetime(2027, 1, 10, tzinfo=UTC),
        applications_close=datetime(2027, 2, 1, tzinfo=UTC),
        review_deadline=deadline,
    )
    del dated["results_on"]
    with pytest.raises(DomainError) as error:
        competitions.competition_create(actor=official, **dated, results_on=date(2027, 3, 1))
    assert list(error.value.field_errors) == ["results_on"]
    made = competitions.competition_create(actor=official, **dated, results_on=date(2027, 3, 2))
    assert made.results_on == date(2027, 3, 2)


def test_a_lottery_that_fits_leaves_the_rest_of_the_fund_to_the_ranking(official):
    competition = competitions.competition_create(
        actor=official,
        **terms(lottery_winners=4, lottery_amount=Decimal(50_000), lottery_seed="семя"),
    )
    assert competition.ranking_budget == Decimal(800_000)  # 1 000 000 − 4 × 50 000


@pytest.mark.parametrize(
    ("kind", "eligible"),
    [
        (Competition.Kind.SONKO, ["sonko", "public_association"]),
        (Competition.Kind.INITIATIVE_GROUPS, ["initiative_group"]),
        (Competition.Kind.INDIVIDUALS, []),
    ],
)
def test_a_new_competition_is_a_draft_with_its_kinds_defaults(official, kind, eligible):
    competition = competitions.competition_create(actor=official, **terms(kind=kind))
    assert competition.status == Competition.Status.DRAFT
    assert competition.eligible_kinds == eligible
    assert competition.sections == [
        "calendar",
        "indicators",
        "budget",
        "team",
        "partners",
        "attachments",
    ]
    assert competition.for_organizations == (kind != Competition.Kind.INDIVIDUALS)
    assert competition.created_by == official
    assert len(competition.lottery_seed) == 16  # 8 random bytes in hex, public from the call
    assert AuditEntry.objects.filter(action="competition.create").count() == 1


def test_an_unknown_kind_or_term_is_refused(official):
    with pytest.raises(DomainError) as error:
        competitions.competition_create(actor=official, **terms(kind="lottery"))
    assert "kind" in error.value.field_errors
    with pytest.raises(DomainError, match="status"):
        competitions.competition_create(actor=official, **terms(status="results"))
    competition = open_competition(official)
    with pytest.raises(DomainError, match="created_by"):
        competitions.competition_update(actor=official, competition=competition, created_by=None)
    assert not Competition.objects.filter(status="results").exists()


def test_terms_change_until_the_decision_and_each_change_is_logged(official):
    competition = open_competition(official)
    changed = competitions.competition_update(
        actor=official, competition=competition, passing_score=Decimal(40), blind_review=True
    )
    assert (changed.passing_score, changed.blind_review) == (Decimal(40), True)
    entry = AuditEntry.objects.get(action="competition.update")
    assert entry.data == {"fields": ["blind_review", "passing_score"]}
    with pytest.raises(DomainError) as error:
        competitions.competition_update(
            actor=official, competition=competition, max_grant=Decimal(5_000_000)
        )
    assert "max_grant" in error.value.field_errors
    competition.refresh_from_db()
    assert competition.max_grant == Decimal(300_000)
    Competition.objects.filter(pk=competition.pk).update(status=Competition.Status.DECIDED)
    competition.refresh_from_db()
    with pytest.raises(InvalidTransition):
        competitions.competition_update(actor=official, competition=competition, title="Другой")


def test_the_lottery_seed_is_fixed_once_the_call_is_published(official):
    draft = competitions.competition_create(actor=official, **terms(lottery_seed="черновое"))
    draft = competitions.competition_update(
        actor=official, competition=draft, lottery_seed="объявленное"
    )
    assert draft.lottery_seed == "объявленное"
    published = competitions.competition_publish(actor=official, competition=draft)
    same = competitions.competition_update(
        actor=official, competition=published, lottery_seed="объявленное", title="Новое имя"
    )
    assert same.title == "Новое имя"
    with pytest.raises(DomainError) as error:
        competitions.competition_update(actor=official, competition=published, lottery_seed="x")
    assert "lottery_seed" in error.value.field_errors
    published.refresh_from_db()
    assert published.lottery_seed == "объявленное"


def test_publishing_checks_the_terms_and_happens_once(official):
    competition = competitions.competition_create(actor=official, **terms())
    assert not permissions.can_view_competition(None, competition)
    Criterion.objects.filter(competition=competition).delete()
    with pytest.raises(DomainError, match="критерии"):
        competitions.competition_publish(actor=official, competition=competition)
    Criterion.objects.create(competition=competition, title="Польза", weight=2, max_score=5)
    published = competitions.competition_publish(actor=official, competition=competition)
    assert published.status == Competition.Status.PUBLISHED
    assert permissions.can_view_competition(None, published)
    with pytest.raises(InvalidTransition, match="уже объявлен"):
        competitions.competition_publish(actor=official, competition=published)


def test_a_draft_with_broken_terms_cannot_be_published(official):
    competition = competitions.competition_create(actor=official, **terms())
    Competition.objects.filter(pk=competition.pk).update(budget=Decimal(0))
    with pytest.raises(DomainError) as error:
        competitions.competition_publish(actor=official, competition=competition)
    assert "budget" in error.value.field_errors
    competition.refresh_from_db()
    assert competition.status == Competition.Status.DRAFT


def test_criteria_are_added_changed_and_checked(official):
    competition = competitions.competition_create(actor=official, **terms())
    added = competitions.criterion_save(
        actor=official,
        competition=competition,
        title="  Вовлечение жителей ",
        weight=Decimal("1.5"),
        max_score=5,
        description=" Сколько жителей участвует ",
    )
    assert (added.position, added.title, added.description) == (
        11,
        "Вовлечение жителей",
        "Сколько жителей участвует",
    )
    changed = competitions.criterion_save(
        actor=official,
        competition=competition,
        criterion=added,
        title="Вовлечение",
        weight=Decimal(2),
        max_score=10,
    )
    assert (changed.pk, changed.position, changed.weight) == (added.pk, 11, Decimal(2))
    with pytest.raises(DomainError) as error:
        competitions.criterion_save(
            actor=official, competition=competition, title=" ", weight=Decimal(0), max_score=101
        )
    assert set(error.value.field_errors) == {"title", "weight", "max_score"}
    assert competition.criteria.count() == 11


def test_criteria_are_locked_once_an_expert_submits_a_score(official):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    expert_pool(competition, official, 2)
    assignments.assign_experts(actor=official, competition=competition)
    first = competition.criteria.first()
    # assigned but not yet scored: still open to change
    competitions.criterion_save(
        actor=official, competition=competition, criterion=first, title="X", weight=2, max_score=10
    )
    score_all(application.reviews.first(), 7)
    with pytest.raises(InvalidTransition, match="критерии менять нельзя"):
        competitions.criterion_save(
            actor=official, competition=competition, title="Новый", weight=1, max_score=10
        )
    with pytest.raises(InvalidTransition):
        competitions.criterion_delete(actor=official, criterion=first)
    assert competition.criteria.count() == 10


def test_the_last_criterion_stays(official):
    competition = competitions.competition_create(actor=official, **terms())
    *others, last = competition.criteria.all()
    for criterion in others:
        competitions.criterion_delete(actor=official, criterion=criterion)
    with pytest.raises(DomainError, match="хотя бы один критерий"):
        competitions.criterion_delete(actor=official, criterion=last)
    assert list(competition.criteria.all()) == [last]
    entries = AuditEntry.objects.filter(action="competition.criterion_delete")
    assert entries.count() == 9
    assert {e.data["title"] for e in entries} == {c.title for c in others}


def test_co_organisers_manage_until_removed(official, outsider):
    competition = open_competition(official)
    assert not permissions.can_manage(outsider, competition)
    competitions.competition_manager_add(actor=official, competition=competition, user=outsider)
    assert permissions.can_manage(outsider, competition)
    assert not permissions.can_create_competition(outsider)  # a co-organiser, not an official
    competitions.competition_manager_remove(actor=official, competition=competition, user=outsider)
    assert not permissions.can_manage(outsider, competition)
    logged = AuditEntry.objects.filter(
        action__in=("competition.manager_add", "competition.manager_remove")
    ).order_by("pk")
    assert [(e.action, e.data["user"]) for e in logged] == [
        ("competition.manager_add", outsider.pk),
        ("competition.manager_remove", outsider.pk),
    ]


def test_a_new_rules_document_replaces_the_old_one_and_bad_files_are_refused(
    official, django_capture_on_commit_callbacks
):
    competition = open_competition(official)
    first = competitions.competition_rules_document(
        actor=official,
        competition=competition,
        upload=SimpleUploadedFile("old.pdf", b"%PDF-1.4 old", "application/pdf"),
    )
    old_name = first.rules_document.name
    storage = first.rules_document.storage
    with django_capture_on_commit_callbacks(execute=True):
        competitions.competition_rules_document(
            actor=official,
            competition=competition,
            upload=SimpleUploadedFile("new.pdf", b"%PDF-1.4 new", "application/pdf"),
        )
    assert not storage.exists(old_name)
    with pytest.raises(DomainError) as error:
        competitions.competition_rules_document(
            actor=official,
            competition=competition,
            upload=SimpleUploadedFile("rules.exe", b"MZ\x90\x00", "application/octet-stream"),
        )
    assert "rules_document" in error.value.field_errors
    competition.refresh_from_db()
    assert competition.rules_document_name == "new.pdf"


def test_a_decided_competition_accepts_no_new_terms_through_the_whole_flow(official):
    competition = open_competition(official, budget=Decimal(300_000))
    scored_applications(competition, official, [(8, 100_000)])
    decide(competition, official, publish=False)
    with pytest.raises(InvalidTransition, match="Решение по конкурсу принято"):
        competitions.competition_update(
            actor=official, competition=competition, budget=Decimal(2_000_000)
        )


def test_the_criterion_limits_are_the_apis(official):
    """A criterion's weight was refused by the API past 100 and taken by the page up to 999."""
    competition = open_competition(official)
    with pytest.raises(DomainError) as error:
        competitions.criterion_save(
            actor=official,
            competition=competition,
            title="Значимость",
            weight=Decimal("100.01"),
            max_score=101,
        )
    assert error.value.field_errors == {
        "weight": ["Вес — не больше 100."],
        "max_score": ["Максимальный балл — от 1 до 100."],
    }
