"""Setting up a competition: its terms, the criteria (from the template), publication."""

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.core.audit import log_action
from dobry.core.clock import local_date
from dobry.core.errors import DomainError
from dobry.core.files import delete_stored_file
from dobry.core.uploads import Upload, validate_document
from dobry.grants import criteria as template
from dobry.grants import stages
from dobry.grants.models import (
    COMPETITION_LIMITS,
    MAX_CRITERION_SCORE,
    MAX_CRITERION_WEIGHT,
    Competition,
    Criterion,
    Review,
    Section,
)
from dobry.grants.rules import Rule
from dobry.organizations.models import Organization

DEFAULT_KINDS = {
    Competition.Kind.SONKO: [Organization.Kind.SONKO, Organization.Kind.PUBLIC_ASSOCIATION],
    Competition.Kind.INITIATIVE_GROUPS: [Organization.Kind.INITIATIVE_GROUP],
    Competition.Kind.INDIVIDUALS: [],
}

# The terms staff may change after creation (dates, money, the review settings).
TERMS = (
    "title",
    "rules",
    "budget",
    "min_grant",
    "max_grant",
    "eligible_kinds",
    "local_only",
    "min_registered_months",
    "one_per_applicant",
    "applications_open",
    "applications_close",
    "review_deadline",
    "results_on",
    "projects_from",
    "projects_until",
    "sections",
    "experts_per_application",
    "divergence_percent",
    "comment_below",
    "passing_score",
    "allocation_rule",
    "partial_funding",
    "blind_review",
    "lottery_winners",
    "lottery_amount",
    "lottery_min_score",
    "lottery_seed",
)


Problems = Iterator[tuple[str, str]]
"""(field, message) pairs: what is wrong with a competition's terms, field by field."""


def _money_problems(competition: Competition) -> Problems:
    if competition.budget <= 0:
        yield "budget", _("Фонд конкурса должен быть больше нуля.")
    if competition.min_grant < 0:
        yield "min_grant", _("Не может быть отрицательным.")
    if competition.max_grant < competition.min_grant:
        yield "max_grant", _("Максимальный грант меньше минимального.")
    if competition.max_grant > competition.budget:
        yield "max_grant", _("Максимальный грант больше фонда конкурса.")


def _calendar_problems(competition: Competition) -> Problems:
    if competition.applications_close <= competition.applications_open:
        yield "applications_close", _("Приём заявок должен закончиться после начала.")
    if competition.review_deadline <= competition.applications_close:
        yield "review_deadline", _("Экспертиза заканчивается после приёма заявок.")
    if competition.results_on < local_date(competition.review_deadline):
        yield "results_on", _("Итоги подводятся после экспертизы.")
    start, end = competition.projects_from, competition.projects_until
    if start and end and end < start:
        yield "projects_until", _("Срок проектов заканчивается раньше, чем начинается.")


def _review_problems(competition: Competition) -> Problems:
    if competition.experts_per_application < 1:
        yield "experts_per_application", _("Нужен хотя бы один эксперт на заявку.")
    if not 0 < competition.divergence_percent <= 100:
        yield "divergence_percent", _("Порог — от 0 до 100 %.")
    if competition.allocation_rule not in {rule.value for rule in Rule}:
        yield "allocation_rule", _("Выберите правило из списка.")


def _eligibility_problems(competition: Competition) -> Problems:
    if set(competition.eligible_kinds) - set(Organization.Kind.values):
        yield "eligible_kinds", _("Неизвестные виды организаций.")
    if competition.for_organizations and not competition.eligible_kinds:
        yield "eligible_kinds", _("Выберите, какие организации могут подать заявку.")
    if set(competition.sections) - set(Section.values):
        yield "sections", _("Неизвестные разделы заявки.")


def _limit_problems(competition: Competition) -> Problems:
    """The whole-number terms past their limit (`COMPETITION_LIMITS`, shared with the API's
    schema: the page took any number up to 32 767)."""
    for field, limit in COMPETITION_LIMITS.items():
        if getattr(competition, field) > limit:
            yield field, _("Не больше %(max)s.") % {"max": limit}


def _lottery_problems(competition: Competition) -> Problems:
    if not competition.lottery_winners:
        return
    if competition.lottery_amount <= 0:
        yield "lottery_amount", _("Укажите размер гранта по жребию.")
    if competition.ranking_budget < 0:
        yield "lottery_amount", _("Гранты по жребию не помещаются в фонд конкурса.")
    if not competition.lottery_seed.strip():
        yield "lottery_seed", _("Зерно жребия публикуется заранее: укажите его.")


def _validate(competition: Competition) -> None:
    """Raises DomainError with every problem of the terms, by field."""
    errors: dict[str, list[str]] = {}
    if not competition.title.strip():
        errors["title"] = [_("Обязательное поле.")]
    for check in (
        _money_problems,
        _calendar_problems,
        _review_problems,
        _eligibility_problems,
        _limit_problems,
        _lottery_problems,
    ):
        for field, message in check(competition):
            errors.setdefault(field, []).append(message)
    if errors:
        raise DomainError(_("Проверьте условия конкурса."), field_errors=errors)


def competition_create(
    *,
    actor: User,
    kind: str,
    title: str,
    budget: Decimal,
    max_grant: Decimal,
    applications_open: datetime,
    applications_close: datetime,
    review_deadline: datetime,
    results_on: date,
    **terms: Any,
) -> Competition:
    """A new competition (a draft) with the Presidential Grants Fund's ten criteria and
    every form section; staff adjust both before publishing."""
    if kind not in Competition.Kind.values:
        raise DomainError(_("Выберите вид конкурса."), field_errors={"kind": [_("Выберите.")]})
    unknown = set(terms) - set(TERMS)
    if unknown:
        raise DomainError(_("Неизвестные условия: %(names)s.") % {"names": ", ".join(unknown)})
    competition = Competition(
        kind=kind,
        title=title.strip(),
        budget=budget,
        max_grant=max_grant,
        applications_open=applications_open,
        applications_close=applications_close,
        review_deadline=review_deadline,
        results_on=results_on,
        eligible_kinds=list(DEFAULT_KINDS[Competition.Kind(kind)]),
        sections=list(Section.values),
        created_by=actor,
    )
    for name, value in terms.items():
        setattr(competition, name, value)
    _validate(competition)
    with transaction.atomic():
        competition.save()
        Criterion.objects.bulk_create(
            Criterion(
                competition=competition,
                position=number,
                title=str(title_),
                weight=template.DEFAULT_WEIGHT,
                max_score=template.DEFAULT_MAX_SCORE,
            )
            for number, title_ in enumerate(template.PRESIDENTIAL_GRANTS_FUND, start=1)
        )
        log_action(actor=actor, action="competition.create", obj=competition)
    return competition


def competition_update(*, actor: User, competition: Competition, **terms: Any) -> Competition:
    """Change the terms until the decision. Reviews due at the old review deadline are due
    at the new one."""
    unknown = set(terms) - set(TERMS)
    if unknown:
        raise DomainError(_("Неизвестные условия: %(names)s.") % {"names": ", ".join(unknown)})
    with transaction.atomic():
        # the status is read under the lock: a decision taken meanwhile freezes the terms
        competition = Competition.objects.select_for_update().get(pk=competition.pk)
        stages.require(stages.terms(competition))
        seed = terms.get("lottery_seed", competition.lottery_seed)
        if competition.status != Competition.Status.DRAFT and seed != competition.lottery_seed:
            # the seed is public from the call: a new one would redraw the lottery at will
            raise DomainError(
                _("Зерно жребия объявлено вместе с конкурсом и не меняется."),
                field_errors={"lottery_seed": [_("Зерно жребия уже объявлено.")]},
            )
        deadline = competition.review_deadline
        for name, value in terms.items():
            setattr(competition, name, value)
        _validate(competition)
        competition.save()
        if competition.review_deadline != deadline:
            # the experts due at the competition's deadline follow it; a replacement keeps
            # the due day chosen for it (`grants.deadlines`)
            Review.objects.filter(application__competition=competition, due_at=deadline).update(
                due_at=competition.review_deadline
            )
        log_action(
            actor=actor,
            action="competition.update",
            obj=competition,
            data={"fields": sorted(terms)},
        )
    return competition


def competition_rules_document(
    *, actor: User, competition: Competition, upload: Upload
) -> Competition:
    """The rules as a document (PDF, Word…), beside the rules text."""
    try:
        validate_document(upload, field="rules_document")
    except ValidationError as error:
        raise DomainError(_("Файл не подходит."), field_errors=error.message_dict) from None
    with transaction.atomic():
        delete_stored_file(competition.rules_document)
        competition.rules_document = upload
        competition.save(update_fields=["rules_document", "rules_document_name", "updated_at"])
        log_action(actor=actor, action="competition.rules_document", obj=competition)
    return competition


def competition_manager_add(*, actor: User, competition: Competition, user: User) -> None:
    """Another organiser — e.g. the youth centre's staff for the residents' contest."""
    with transaction.atomic():
        competition.managers.add(user)
        log_action(
            actor=actor, action="competition.manager_add", obj=competition, data={"user": user.pk}
        )


def competition_manager_remove(*, actor: User, competition: Competition, user: User) -> None:
    with transaction.atomic():
        competition.managers.remove(user)
        log_action(
            actor=actor,
            action="competition.manager_remove",
            obj=competition,
            data={"user": user.pk},
        )


def criterion_save(
    *,
    actor: User,
    competition: Competition,
    title: str,
    weight: Decimal,
    max_score: int,
    description: str = "",
    criterion: Criterion | None = None,
) -> Criterion:
    """Add or change a criterion — until the first expert has submitted a score."""
    stages.require(stages.criteria(competition))
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Обязательное поле.")]
    if weight <= 0:
        errors["weight"] = [_("Вес должен быть больше нуля.")]
    elif weight > MAX_CRITERION_WEIGHT:
        errors["weight"] = [_("Вес — не больше %(max)s.") % {"max": MAX_CRITERION_WEIGHT}]
    if not 1 <= max_score <= MAX_CRITERION_SCORE:
        errors["max_score"] = [
            _("Максимальный балл — от 1 до %(max)s.") % {"max": MAX_CRITERION_SCORE}
        ]
    if errors:
        raise DomainError(_("Проверьте критерий."), field_errors=errors)
    with transaction.atomic():
        if criterion is None:
            criterion = Criterion(
                competition=competition, position=competition.criteria.count() + 1
            )
        criterion.title, criterion.description = title.strip(), description.strip()
        criterion.weight, criterion.max_score = weight, max_score
        criterion.save()
        log_action(
            actor=actor,
            action="competition.criterion",
            obj=competition,
            data={"criterion": criterion.pk, "weight": str(weight), "max_score": max_score},
        )
    return criterion


def criterion_delete(*, actor: User, criterion: Criterion) -> None:
    competition = criterion.competition
    stages.require(stages.criteria(competition))
    if competition.criteria.count() <= 1:
        raise DomainError(_("В конкурсе должен остаться хотя бы один критерий."))
    with transaction.atomic():
        log_action(
            actor=actor,
            action="competition.criterion_delete",
            obj=competition,
            data={"criterion": criterion.pk, "title": criterion.title},
        )
        criterion.delete()


def competition_publish(*, actor: User, competition: Competition) -> Competition:
    with transaction.atomic():
        competition = Competition.objects.select_for_update().get(pk=competition.pk)
        stages.require(stages.announcement(competition))
        if not competition.criteria.exists():
            raise DomainError(_("Добавьте критерии оценки."))
        _validate(competition)
        competition.status = Competition.Status.PUBLISHED
        competition.save(update_fields=["status", "updated_at"])
        log_action(actor=actor, action="competition.publish", obj=competition)
    return competition
