"""The commission's protocol as a DOCX that officials edit and sign: composition and
quorum, the agenda, the scores by criterion and expert, the ranking, the decision with its
amendments, the amounts and the reserve list."""

from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from dobry.core.clock import local_time
from dobry.core.documents import (
    DocxDocument,
    docx_bytes,
    docx_document,
    docx_heading,
    docx_paragraph,
    docx_table,
)
from dobry.core.numbers import plain_number
from dobry.core.typography import quoted
from dobry.grants import selectors
from dobry.grants.models import CommissionMember, Competition, Meeting
from dobry.grants.selectors import Ranked


def _money(value: Decimal | str | None) -> str:
    return formats.number_format(Decimal(value or 0), 2, use_l10n=True, force_grouping=True)


def protocol_docx(meeting: Meeting) -> bytes:
    """The protocol of `meeting` as DOCX bytes, section by section; amounts in roubles, the
    meeting's time in the city's local time."""
    competition = meeting.competition
    run = meeting.allocation or competition.allocation_runs.filter(final=True).first()
    result = run.result if run else {}
    ranked = selectors.ranking(competition)
    awards = {int(a["application"]): a for a in result.get("awards", [])}
    for change in meeting.amendments:
        awards[int(change["application"])] = {"amount": change["amount"], "tier": "commission"}

    document = docx_document(size=12)
    docx_heading(document, _("Протокол заседания конкурсной комиссии"), level=0)
    docx_paragraph(document, competition.title)
    docx_paragraph(
        document,
        _("Дата и время: %(when)s. Место: %(place)s.")
        % {
            "when": formats.date_format(local_time(meeting.held_at), "DATETIME_FORMAT"),
            "place": meeting.place or "—",
        },
    )
    present = _composition(document, meeting)
    _scores(document, competition, ranked)
    _ranking(document, ranked, awards, result)
    _decision(document, meeting, ranked, awards, present)
    return docx_bytes(document)


def _composition(document: DocxDocument, meeting: Meeting) -> list[CommissionMember]:
    """The commission, the quorum and the agenda; returns the members present."""
    members = list(meeting.members.all())
    present = [m for m in members if m.present]
    docx_heading(document, _("Состав комиссии"), level=1)
    docx_table(
        document,
        [_("ФИО"), _("Должность"), _("Кого представляет"), _("Роль"), _("Присутствие")],
        [
            [
                m.name,
                m.position,
                str(m.get_sector_display()),
                str(m.get_role_display()),
                _("присутствует") if m.present else _("отсутствует"),
            ]
            for m in members
        ],
    )
    docx_paragraph(
        document,
        _("Присутствуют %(present)s из %(total)s, кворум — %(quorum)s: %(verdict)s.")
        % {
            "present": len(present),
            "total": len(members),
            "quorum": meeting.quorum,
            "verdict": _("кворум есть") if len(present) >= meeting.quorum else _("кворума нет"),
        },
    )
    if meeting.agenda:
        docx_heading(document, _("Повестка"), level=1)
        docx_paragraph(document, meeting.agenda)
    return present


def _scores(document: DocxDocument, competition: Competition, ranked: list[Ranked]) -> None:
    """Each application's table: criteria down, experts across, totals at the bottom."""
    criteria = list(competition.criteria.all())
    docx_heading(document, _("Оценки экспертов по критериям"), level=1)
    for item in ranked:
        application = item.application
        docx_paragraph(
            document,
            f"{application.number} {quoted(application.title)} — {application.applicant_name}",
        )
        submitted = [t.review for t in item.totals]
        docx_table(
            document,
            [_("Критерий"), _("Вес")] + [t.review.expert.user.display_name for t in item.totals],
            [
                [c.title, plain_number(c.weight)]
                + [str(r.scores.get(str(c.pk), "—")) for r in submitted]
                for c in criteria
            ]
            + [[_("Итого"), ""] + [plain_number(r.total) for r in submitted]],
        )


def _ranking(
    document: DocxDocument,
    ranked: list[Ranked],
    awards: dict[int, dict[str, Any]],
    result: dict[str, Any],
) -> None:
    """The ranking with the amounts, the lottery's rule if one was drawn, the reserve list."""
    docx_heading(document, _("Рейтинг и распределение"), level=1)
    docx_table(
        document,
        ["№", _("Заявка"), _("Заявитель"), _("Балл"), _("Запрошено, ₽"), _("Грант, ₽")],
        [
            [
                str(item.rank),
                f"{item.application.number} {item.application.title}",
                item.application.applicant_name,
                plain_number(item.score),
                _money(item.application.requested_amount),
                _money(awards[item.application.pk]["amount"])
                if item.application.pk in awards
                else "—",
            ]
            for item in ranked
        ],
    )
    lottery = result.get("lottery") or {}
    if lottery:
        docx_paragraph(
            document,
            _(
                "Гранты по жребию: зерно %(seed)s; билет заявки — SHA-256 строки "
                "«зерно:номер заявки в системе», выигрывают наименьшие билеты."
            )
            % {"seed": quoted(lottery["seed"])},
        )
    by_id = {item.application.pk: item for item in ranked}
    reserve = [by_id[pk] for pk in result.get("reserve", []) if pk in by_id]
    if reserve:
        docx_heading(document, _("Резерв"), level=1)
        for item in reserve:
            docx_paragraph(
                document, f"{item.rank}. {item.application.number} {item.application.title}"
            )


def _decision(
    document: DocxDocument,
    meeting: Meeting,
    ranked: list[Ranked],
    awards: dict[int, dict[str, Any]],
    present: list[CommissionMember],
) -> None:
    """The decision, the commission's amendments with reasons, the total and the signatures."""
    competition = meeting.competition
    by_id = {item.application.pk: item for item in ranked}
    docx_heading(document, _("Решение"), level=1)
    docx_paragraph(document, str(meeting.get_decision_display()) if meeting.decision else "—")
    for change in meeting.amendments:
        changed = by_id.get(int(change["application"]))
        docx_paragraph(
            document,
            _("Изменено: %(number)s — %(amount)s ₽. Обоснование: %(reason)s")
            % {
                "number": changed.application.number if changed else change["application"],
                "amount": _money(change["amount"]),
                "reason": change["reason"],
            },
        )
    total = sum((Decimal(a["amount"]) for a in awards.values()), Decimal(0))
    docx_paragraph(
        document,
        _("Всего распределено %(total)s ₽ из фонда %(budget)s ₽.")
        % {"total": _money(total), "budget": _money(competition.budget)},
    )
    docx_paragraph(document, "")
    for member in present:
        if member.role in ("chair", "secretary"):
            docx_paragraph(
                document, f"{member.get_role_display().capitalize()} ____________ {member.name}"
            )
