"""From the ranking to the awards: allocation runs (trial, then final, with the lottery
tier), the commission's meeting and decision, and the published results."""

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.communications.services import notify
from dobry.core.audit import log_action
from dobry.core.clock import local_today
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.files import delete_stored_file
from dobry.core.numbers import amount as amount_text
from dobry.core.text_limits import length_errors, text_limit
from dobry.core.typography import quoted
from dobry.core.uploads import Upload, validate_document
from dobry.grants import notifications as kinds
from dobry.grants import rules, selectors, stages
from dobry.grants.content import parse_amount
from dobry.grants.models import (
    AllocationRun,
    Application,
    CommissionMember,
    Competition,
    Expert,
    Meeting,
)
from dobry.resources.models import Giver, SupportKind
from dobry.resources.services import support_record_for_source

RANKING, LOTTERY = "ranking", "lottery"


def allocation_run(*, actor: User, competition: Competition, final: bool) -> AllocationRun:
    """Run the competition's rule over the current ranking. A trial run can be made at any
    time for discussion; the final one needs every review in and goes to the commission."""
    stages.require(stages.allocation(competition))
    if final:
        # every review in, replacements' included (`selectors.final_allocation_wait`)
        wait = selectors.final_allocation_wait(competition)
        if not wait.ready:
            raise DomainError(
                _("Итоговое распределение — когда все эксперты отправили оценки. Ждём: %(n)s.")
                % {"n": ", ".join(wait.numbers)}
            )
    ranked = selectors.ranking(competition)
    outcome = rules.allocate(
        [r.scored() for r in ranked],
        budget=competition.ranking_budget,
        passing_score=competition.passing_score,
        min_grant=competition.min_grant,
        partial_allowed=competition.partial_funding,
        rule=rules.Rule(competition.allocation_rule),
    )
    awarded = {award.application_id for award in outcome.awards}
    awards = [
        {
            "application": a.application_id,
            "amount": str(a.amount),
            "partial": a.partial,
            "tier": RANKING,
        }
        for a in outcome.awards
    ]
    lottery: dict[str, Any] = {}
    remaining = outcome.remaining
    if competition.lottery_winners:
        eligible = [
            r.application.pk
            for r in ranked
            if r.score >= competition.lottery_min_score and r.application.pk not in awarded
        ]
        winners = rules.lottery(eligible, competition.lottery_winners, competition.lottery_seed)
        lottery = {
            "seed": competition.lottery_seed,
            "eligible": sorted(eligible),
            "winners": winners,
            "amount": str(competition.lottery_amount),
        }
        awards += [
            {
                "application": pk,
                "amount": str(competition.lottery_amount),
                "partial": False,
                "tier": LOTTERY,
            }
            for pk in winners
        ]
        awarded |= set(winners)
        remaining += (competition.lottery_winners - len(winners)) * competition.lottery_amount
    result = {
        "rule": competition.allocation_rule,
        "budget": str(competition.budget),
        "passing_score": str(competition.passing_score),
        "scores": {str(r.application.pk): str(r.score) for r in ranked},
        "ranking": [r.application.pk for r in ranked],
        "awards": awards,
        "reserve": [pk for pk in outcome.reserve if pk not in awarded],
        "below_passing": outcome.below_passing,
        "remaining": str(remaining),
        "lottery": lottery,
    }
    with transaction.atomic():
        run = AllocationRun.objects.create(
            competition=competition,
            final=final,
            rule=competition.allocation_rule,
            result=result,
            created_by=actor,
        )
        log_action(
            actor=actor,
            action="competition.allocation_final" if final else "competition.allocation_trial",
            obj=competition,
            data={"run": run.pk, "awards": len(awards), "remaining": result["remaining"]},
        )
    return run


def meeting_create(
    *,
    actor: User,
    competition: Competition,
    held_at: datetime,
    quorum: int,
    members: Iterable[Mapping[str, Any]],
    place: str = "",
    agenda: str = "",
) -> Meeting:
    """The commission's meeting with its members (name, position, sector, role, present)."""
    stages.require(stages.meeting(competition))
    rows = list(members)
    errors: dict[str, list[str]] = {}
    if not rows:
        errors["members"] = [_("Перечислите членов комиссии.")]
    if quorum < 1 or quorum > len(rows):
        errors["quorum"] = [_("Кворум — от одного до числа членов комиссии.")]
    for number, row in enumerate(rows):
        if not str(row.get("name", "")).strip():
            errors[f"members.{number}.name"] = [_("Обязательное поле.")]
        if row.get("sector") not in Expert.Sector.values:
            errors[f"members.{number}.sector"] = [_("Выберите из списка.")]
        if row.get("role", CommissionMember.Role.MEMBER) not in CommissionMember.Role.values:
            errors[f"members.{number}.role"] = [_("Выберите из списка.")]
        errors |= length_errors(
            {
                f"members.{number}.{name}": (
                    str(row.get(name, "")).strip(),
                    text_limit(CommissionMember, name),
                )
                for name in ("name", "position")
            }
        )
    if errors:
        raise DomainError(_("Проверьте состав комиссии."), field_errors=errors)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            competition=competition, held_at=held_at, quorum=quorum, place=place, agenda=agenda
        )
        CommissionMember.objects.bulk_create(
            CommissionMember(
                meeting=meeting,
                name=str(row["name"]).strip(),
                position=str(row.get("position", "")).strip(),
                sector=row["sector"],
                role=row.get("role", CommissionMember.Role.MEMBER),
                present=bool(row.get("present", True)),
            )
            for row in rows
        )
        log_action(
            actor=actor, action="competition.meeting", obj=competition, data={"meeting": meeting.pk}
        )
    return meeting


def meeting_decide(
    *,
    actor: User,
    meeting: Meeting,
    amendments: Iterable[Mapping[str, Any]] = (),
) -> Meeting:
    """With a quorum present the commission adopts the final allocation, or amends it with
    a reason for each changed amount. The awards are then fixed on the applications and
    each grant is recorded as financial support."""
    competition = meeting.competition
    present = meeting.members.filter(present=True).count()
    if present < meeting.quorum:
        raise DomainError(
            _("Нет кворума: присутствуют %(present)s из необходимых %(quorum)s.")
            % {"present": present, "quorum": meeting.quorum}
        )
    stages.require(stages.decision(competition))
    run = competition.allocation_runs.filter(final=True).first()
    if run is None:  # the stage says there is one
        raise InvalidTransition(_("Сначала сделайте итоговое распределение."))
    amounts = {int(a["application"]): Decimal(a["amount"]) for a in run.result["awards"]}
    tiers = {int(a["application"]): a["tier"] for a in run.result["awards"]}
    admitted = set(competition.applications.admitted().values_list("pk", flat=True))
    changes, errors = [], {}
    for number, row in enumerate(amendments):
        pk = row.get("application")
        amount = parse_amount(str(row.get("amount", "")))
        reason = str(row.get("reason", "")).strip()
        if pk not in admitted:
            errors[f"amendments.{number}.application"] = [_("Заявка не допущена к конкурсу.")]
        if amount is None or amount < 0 or amount > competition.max_grant:
            errors[f"amendments.{number}.amount"] = [
                _("Сумма — от 0 до %(max)s ₽.") % {"max": amount_text(competition.max_grant)}
            ]
        if not reason:
            errors[f"amendments.{number}.reason"] = [_("Изменение решения нужно обосновать.")]
        if pk in admitted and amount is not None and reason:
            changes.append({"application": pk, "amount": str(amount), "reason": reason})
            amounts[pk] = amount
            tiers.setdefault(pk, "commission")
    amounts = {pk: amount for pk, amount in amounts.items() if amount > 0}
    reserve = {int(pk) for pk in run.result.get("reserve", [])}
    if sum(amounts.values(), Decimal(0)) > competition.budget:
        errors["amendments"] = [_("Сумма грантов больше фонда конкурса.")]
    if errors:
        raise DomainError(_("Проверьте изменения."), field_errors=errors)
    with transaction.atomic():
        competition = Competition.objects.select_for_update().get(pk=competition.pk)
        stages.require(stages.screening(competition))
        meeting.allocation = run
        meeting.decision = Meeting.Decision.AMENDED if changes else Meeting.Decision.ADOPTED
        meeting.amendments = changes
        meeting.decided_at = timezone.now()
        meeting.save(update_fields=["allocation", "decision", "amendments", "decided_at"])
        for application in competition.applications.admitted().select_related(
            "applicant", "organization"
        ):
            application.awarded_amount = amounts.get(application.pk)
            application.award_tier = (
                tiers.get(application.pk, "") if application.pk in amounts else ""
            )
            application.result = _result(application, reserve)
            application.save(update_fields=["awarded_amount", "award_tier", "result"])
            if application.awarded_amount:
                support_record_for_source(
                    source=application,
                    kind=SupportKind.FINANCIAL,
                    day=local_today(),
                    description=_("Грант конкурса %(competition)s: %(title)s")
                    % {"competition": quoted(competition.title), "title": application.title},
                    organization=application.organization,
                    person=application.applicant,
                    giver=Giver.ADMINISTRATION,
                    value_rub=application.awarded_amount,
                )
        competition.status = Competition.Status.DECIDED
        competition.save(update_fields=["status", "updated_at"])
        log_action(
            actor=actor,
            action="competition.decide",
            obj=competition,
            data={"meeting": meeting.pk, "run": run.pk, "amendments": changes},
        )
    return meeting


def _result(application: Application, reserve: set[int]) -> str:
    if application.awarded_amount:
        return Application.Result.WINNER
    if application.pk in reserve:
        return Application.Result.RESERVE
    return Application.Result.NOT_SUPPORTED


def meeting_attach_protocol(*, actor: User, meeting: Meeting, upload: Upload) -> Meeting:
    """The signed scan of the protocol."""
    if not meeting.decision:
        raise InvalidTransition(_("Протокол прикладывают после решения комиссии."))
    try:
        validate_document(upload, field="file")
    except ValidationError as error:
        raise DomainError(_("Файл не подходит."), field_errors=error.message_dict) from None
    with transaction.atomic():
        if meeting.signed_protocol:
            delete_stored_file(meeting.signed_protocol)
        meeting.signed_protocol = upload
        meeting.save(update_fields=["signed_protocol", "signed_protocol_name"])
        log_action(actor=actor, action="competition.protocol_signed", obj=meeting.competition)
    return meeting


def reserve_places(competition: Competition) -> dict[int, int]:
    """Each reserve application's place in the reserve (1, 2, …): the order of the final
    allocation's reserve list (rank order), among those the decision left in the reserve."""
    meeting = competition.meetings.exclude(decision="").select_related("allocation").first()
    listed = meeting.allocation.result.get("reserve", []) if meeting and meeting.allocation else []
    in_reserve = set(
        competition.applications.filter(result=Application.Result.RESERVE).values_list(
            "pk", flat=True
        )
    )
    ordered = [int(pk) for pk in listed if int(pk) in in_reserve]
    return {pk: place for place, pk in enumerate(ordered, start=1)}


def results_publish(*, actor: User, competition: Competition) -> Competition:
    """Open the results to everyone and tell each applicant what the decision made of
    their application: a grant, a place in the reserve (funded if money frees up), or
    no grant this time (`templates/notifications/grant_results`)."""
    with transaction.atomic():
        competition = Competition.objects.select_for_update().get(pk=competition.pk)
        stages.require(stages.publication(competition))
        competition.status = Competition.Status.RESULTS
        competition.results_published_at = timezone.now()
        competition.save(update_fields=["status", "results_published_at", "updated_at"])
        log_action(actor=actor, action="competition.results", obj=competition)
        places = reserve_places(competition)
        for application in competition.applications.submitted().select_related("applicant"):
            if application.applicant is not None:
                notify(
                    kinds.RESULTS_PUBLISHED,
                    [application.applicant],
                    {"application": application, "reserve_place": places.get(application.pk)},
                    url=application.get_absolute_url(),
                )
    return competition
