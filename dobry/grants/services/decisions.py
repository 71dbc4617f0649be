"""From the ranking to the awards: allocation runs (trial, then final, with the lottery
tier), the commission's meeting and decision, and the published results."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
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
from dobry.resources.models import Giver, SupportKind, SupportRecord
from dobry.resources.services import support_record_for_source

RANKING, LOTTERY = "ranking", "lottery"


def allocation_run(*, actor: User, competition: Competition, final: bool) -> AllocationRun:
    """Run the competition's rule over the current ranking. A trial run can be made at any
    time for discussion; the final one needs every review in and goes to the commission.
    The run's `result` keeps what was computed: scores, ranking, awards (amounts in roubles
    as strings, tier `ranking` or `lottery`), reserve, remainder and the lottery draw.
    DomainError: a final run while a review is still awaited."""
    stages.require(stages.allocation(competition))
    if final:
        _require_every_review(competition)
    ranked = selectors.ranking(competition)
    outcome = _allocate_by_rule(competition, ranked)
    draw = _lottery_draw(competition, ranked, {a.application_id for a in outcome.awards})
    result = _allocation_result(competition, ranked, outcome, draw)
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
            data={"run": run.pk, "awards": len(result["awards"]), "remaining": result["remaining"]},
        )
    return run


def _require_every_review(competition: Competition) -> None:
    # every review in, replacements' included (`selectors.final_allocation_wait`)
    wait = selectors.final_allocation_wait(competition)
    if not wait.ready:
        raise DomainError(
            _("Итоговое распределение — когда все эксперты отправили оценки. Ждём: %(n)s.")
            % {"n": ", ".join(wait.numbers)}
        )


def _allocate_by_rule(competition: Competition, ranked: list[selectors.Ranked]) -> rules.Allocation:
    return rules.allocate(
        [r.scored() for r in ranked],
        budget=competition.ranking_budget,
        passing_score=competition.passing_score,
        min_grant=competition.min_grant,
        partial_allowed=competition.partial_funding,
        rule=rules.Rule(competition.allocation_rule),
    )


@dataclass(frozen=True)
class _LotteryDraw:
    """The lottery tier of a run: its record in the run's result (empty when the
    competition has no lottery), the winners, and the money of the places left undrawn."""

    record: dict[str, Any] = field(default_factory=dict)
    winners: list[int] = field(default_factory=list)
    unused: Decimal = Decimal(0)

    def remaining(self, after_ranking: Decimal) -> Decimal:
        """The fund left: the ranking's remainder, plus the places nobody could win."""
        return after_ranking + self.unused if self.record else after_ranking


def _lottery_draw(
    competition: Competition, ranked: list[selectors.Ranked], awarded: set[int]
) -> _LotteryDraw:
    """Among those past the lottery's minimum score that the ranking left unfunded."""
    if not competition.lottery_winners:
        return _LotteryDraw()
    eligible = [
        r.application.pk
        for r in ranked
        if r.score >= competition.lottery_min_score and r.application.pk not in awarded
    ]
    winners = rules.lottery(eligible, competition.lottery_winners, competition.lottery_seed)
    return _LotteryDraw(
        record={
            "seed": competition.lottery_seed,
            "eligible": sorted(eligible),
            "winners": winners,
            "amount": str(competition.lottery_amount),
        },
        winners=winners,
        unused=(competition.lottery_winners - len(winners)) * competition.lottery_amount,
    )


def _allocation_result(
    competition: Competition,
    ranked: list[selectors.Ranked],
    outcome: rules.Allocation,
    draw: _LotteryDraw,
) -> dict[str, Any]:
    """What a run stores (JSON): the ranking tier's awards, then the lottery's."""
    awards = [_award(a.application_id, a.amount, a.partial, RANKING) for a in outcome.awards]
    awards += [_award(pk, competition.lottery_amount, False, LOTTERY) for pk in draw.winners]
    awarded = {award["application"] for award in awards}
    return {
        "rule": competition.allocation_rule,
        "budget": str(competition.budget),
        "passing_score": str(competition.passing_score),
        "scores": {str(r.application.pk): str(r.score) for r in ranked},
        "ranking": [r.application.pk for r in ranked],
        "awards": awards,
        "reserve": [pk for pk in outcome.reserve if pk not in awarded],
        "below_passing": outcome.below_passing,
        "remaining": str(draw.remaining(outcome.remaining)),
        "lottery": draw.record,
    }


def _award(application: int, amount: Decimal, partial: bool, tier: str) -> dict[str, Any]:
    return {"application": application, "amount": str(amount), "partial": partial, "tier": tier}


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
    """The commission's meeting with its members (name, position, sector, role, present).
    DomainError with field errors (`members.<n>.<field>`, `quorum`) for a bad composition."""
    stages.require(stages.meeting(competition))
    rows = list(members)
    errors = _composition_errors(rows, quorum)
    if errors:
        raise DomainError(_("Проверьте состав комиссии."), field_errors=errors)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            competition=competition, held_at=held_at, quorum=quorum, place=place, agenda=agenda
        )
        CommissionMember.objects.bulk_create(_member(meeting, row) for row in rows)
        log_action(
            actor=actor, action="competition.meeting", obj=competition, data={"meeting": meeting.pk}
        )
    return meeting


def _composition_errors(rows: list[Mapping[str, Any]], quorum: int) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not rows:
        errors["members"] = [_("Перечислите членов комиссии.")]
    if quorum < 1 or quorum > len(rows):
        errors["quorum"] = [_("Кворум — от одного до числа членов комиссии.")]
    for number, row in enumerate(rows):
        errors |= _member_errors(f"members.{number}", row)
    return errors


def _member_errors(prefix: str, row: Mapping[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not str(row.get("name", "")).strip():
        errors[f"{prefix}.name"] = [_("Обязательное поле.")]
    if row.get("sector") not in Expert.Sector.values:
        errors[f"{prefix}.sector"] = [_("Выберите из списка.")]
    if row.get("role", CommissionMember.Role.MEMBER) not in CommissionMember.Role.values:
        errors[f"{prefix}.role"] = [_("Выберите из списка.")]
    return errors | length_errors(
        {
            f"{prefix}.{name}": (str(row.get(name, "")).strip(), text_limit(CommissionMember, name))
            for name in ("name", "position")
        }
    )


def _member(meeting: Meeting, row: Mapping[str, Any]) -> CommissionMember:
    return CommissionMember(
        meeting=meeting,
        name=str(row["name"]).strip(),
        position=str(row.get("position", "")).strip(),
        sector=row["sector"],
        role=row.get("role", CommissionMember.Role.MEMBER),
        present=bool(row.get("present", True)),
    )


def meeting_decide(
    *,
    actor: User,
    meeting: Meeting,
    amendments: Iterable[Mapping[str, Any]] = (),
) -> Meeting:
    """With a quorum present the commission adopts the final allocation, or amends it with
    a reason for each changed amount. The awards are then fixed on the applications and
    each grant is recorded as financial support. Each amendment is {application: pk,
    amount: roubles as text, reason}; an amount of 0 takes the grant away.
    DomainError: no quorum, or amendments with field errors (`amendments.<n>.<field>`,
    `amendments` when the grants exceed the fund); InvalidTransition: no final run."""
    competition = meeting.competition
    _require_quorum(meeting)
    stages.require(stages.decision(competition))
    run = competition.allocation_runs.filter(final=True).first()
    if run is None:  # the stage says there is one
        raise InvalidTransition(_("Сначала сделайте итоговое распределение."))
    awards = _amended_awards(competition, run, amendments)
    with transaction.atomic():
        competition = Competition.objects.select_for_update().get(pk=competition.pk)
        stages.require(stages.screening(competition))
        meeting.allocation = run
        meeting.decision = Meeting.Decision.AMENDED if awards.changes else Meeting.Decision.ADOPTED
        meeting.amendments = awards.changes
        meeting.decided_at = timezone.now()
        meeting.save(update_fields=["allocation", "decision", "amendments", "decided_at"])
        for application in competition.applications.admitted().select_related(
            "applicant", "organization"
        ):
            _fix_award(competition, application, awards)
        competition.status = Competition.Status.DECIDED
        competition.save(update_fields=["status", "updated_at"])
        log_action(
            actor=actor,
            action="competition.decide",
            obj=competition,
            data={"meeting": meeting.pk, "run": run.pk, "amendments": awards.changes},
        )
    return meeting


def _require_quorum(meeting: Meeting) -> None:
    present = meeting.members.filter(present=True).count()
    if present < meeting.quorum:
        raise DomainError(
            _("Нет кворума: присутствуют %(present)s из необходимых %(quorum)s.")
            % {"present": present, "quorum": meeting.quorum}
        )


@dataclass(frozen=True)
class _Awards:
    """The commission's awards: roubles and tier by application (grants above zero only),
    the amendments as recorded on the meeting, and the run's reserve."""

    amounts: dict[int, Decimal]
    tiers: dict[int, str]
    changes: list[dict[str, Any]]
    reserve: set[int]


def _amended_awards(
    competition: Competition, run: AllocationRun, amendments: Iterable[Mapping[str, Any]]
) -> _Awards:
    """The final run's awards with the amendments applied; DomainError if any is wrong."""
    amounts = {int(a["application"]): Decimal(a["amount"]) for a in run.result["awards"]}
    tiers = {int(a["application"]): a["tier"] for a in run.result["awards"]}
    admitted = set(competition.applications.admitted().values_list("pk", flat=True))
    changes: list[dict[str, Any]] = []
    errors: dict[str, list[str]] = {}
    for number, row in enumerate(amendments):
        change, row_errors = _amendment(f"amendments.{number}", row, admitted, competition)
        errors |= row_errors
        if change is not None:
            changes.append(change)
            amounts[change["application"]] = Decimal(change["amount"])
            tiers.setdefault(change["application"], "commission")
    amounts = {pk: amount for pk, amount in amounts.items() if amount > 0}
    if sum(amounts.values(), Decimal(0)) > competition.budget:
        errors["amendments"] = [_("Сумма грантов больше фонда конкурса.")]
    if errors:
        raise DomainError(_("Проверьте изменения."), field_errors=errors)
    reserve = {int(pk) for pk in run.result.get("reserve", [])}
    return _Awards(amounts=amounts, tiers=tiers, changes=changes, reserve=reserve)


def _amendment(
    prefix: str, row: Mapping[str, Any], admitted: set[int], competition: Competition
) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    """One amendment row: the change as recorded (None when it cannot be), and its errors."""
    pk = row.get("application")
    amount = parse_amount(str(row.get("amount", "")))
    reason = str(row.get("reason", "")).strip()
    errors: dict[str, list[str]] = {}
    if pk not in admitted:
        errors[f"{prefix}.application"] = [_("Заявка не допущена к конкурсу.")]
    if amount is None or amount < 0 or amount > competition.max_grant:
        errors[f"{prefix}.amount"] = [
            _("Сумма — от 0 до %(max)s ₽.") % {"max": amount_text(competition.max_grant)}
        ]
    if not reason:
        errors[f"{prefix}.reason"] = [_("Изменение решения нужно обосновать.")]
    if pk in admitted and amount is not None and reason:
        return {"application": pk, "amount": str(amount), "reason": reason}, errors
    return None, errors


def _fix_award(competition: Competition, application: Application, awards: _Awards) -> None:
    """The decision on one admitted application; a grant is also recorded as support."""
    application.awarded_amount = awards.amounts.get(application.pk)
    application.award_tier = (
        awards.tiers.get(application.pk, "") if application.pk in awards.amounts else ""
    )
    application.result = _result(application, awards.reserve)
    application.save(update_fields=["awarded_amount", "award_tier", "result"])
    if application.awarded_amount:
        support_record_for_source(
            source=application,
            kind=SupportKind.FINANCIAL,
            day=local_today(),
            made_from=SupportRecord.MadeFrom.GRANT,
            made_params={"competition": competition.title},
            organization=application.organization,
            person=application.applicant,
            giver=Giver.ADMINISTRATION,
            value_rub=application.awarded_amount,
        )


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
