"""From the ranking to the awards: allocation runs and their refusals, the lottery's
unused places, the commission's meeting and decision (quorum, amendments within the fund),
the protocol, the signed scan and the publication — services and pages."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from dobry.communications.models import Notification
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.models import AuditEntry
from dobry.core.references import Reference
from dobry.grants.models import Application, Competition, Meeting
from dobry.grants.services import decisions, reviews
from dobry.grants.tests.factories import (
    close_applications,
    open_competition,
    scored_applications,
    submitted_application,
)
from dobry.grants.tests.pages import local_input, said
from dobry.resources.models import SupportRecord

pytestmark = pytest.mark.django_db

CHAIR = {"name": "Иванова А. А.", "sector": "administration", "role": "chair"}
SECRETARY = {"name": "Петров Б. Б.", "position": "специалист", "sector": "nko", "role": "secretary"}


def _scored(official, plan, **terms):
    """A closed competition with admitted applications, each scored by two experts with
    the given per-criterion score; `plan` is [(score, requested)]."""
    competition = open_competition(official, **terms)
    made = scored_applications(competition, official, plan)
    return close_applications(competition), made


def _late_application(competition):
    """An application submitted (not admitted) though the call is closed: the call is
    opened for a moment."""
    closes = competition.applications_close
    Competition.objects.filter(pk=competition.pk).update(
        applications_close=timezone.now() + timedelta(minutes=5)
    )
    competition.refresh_from_db()
    application, leader = submitted_application(competition)
    Competition.objects.filter(pk=competition.pk).update(applications_close=closes)
    competition.refresh_from_db()
    return application, leader


def _meeting(official, competition, members=(CHAIR, SECRETARY), quorum=2) -> Meeting:
    return decisions.meeting_create(
        actor=official,
        competition=competition,
        held_at=timezone.now(),
        quorum=quorum,
        members=list(members),
        place="Зал заседаний",
        agenda="Распределение грантов",
    )


@pytest.fixture
def ready(official):
    """Fund 300 000: «Проект 1» (score 90) asks 200 000, «Проект 2» (80) asks 150 000 and
    gets the remaining 100 000 as a partial grant; the final run is made."""
    competition, made = _scored(official, [(9, 200_000), (8, 150_000)], budget=300_000)
    decisions.allocation_run(actor=official, competition=competition, final=True)
    return competition, made


# --- allocation ----------------------------------------------------------------------------


def test_no_allocation_while_the_call_is_open(official):
    competition = open_competition(official)
    with pytest.raises(InvalidTransition, match="после окончания приёма"):
        decisions.allocation_run(actor=official, competition=competition, final=False)
    assert not competition.allocation_runs.exists()


def test_a_trial_run_stores_what_it_computed(official):
    competition, (first, second) = _scored(
        official, [(6, 100_000), (9, 100_000)], budget=500_000, passing_score=65
    )
    run = decisions.allocation_run(actor=official, competition=competition, final=False)
    assert not run.final
    assert run.created_by == official
    result = run.result
    assert result["ranking"] == [second.pk, first.pk]
    assert result["scores"] == {str(second.pk): "90.0000", str(first.pk): "60.0000"}
    assert result["below_passing"] == [first.pk]
    assert [(a["application"], a["amount"], a["tier"]) for a in result["awards"]] == [
        (second.pk, "100000.00", "ranking")
    ]
    assert (result["budget"], result["remaining"], result["lottery"]) == (
        "500000.00",
        "400000.00",
        {},
    )
    entry = AuditEntry.objects.get(action="competition.allocation_trial")
    assert entry.data == {"run": run.pk, "awards": 1, "remaining": "400000.00"}


def test_rank_stop_is_applied_over_real_scores(official):
    competition, (big, small) = _scored(
        official,
        [(9, 250_000), (8, 40_000)],
        budget=280_000,
        max_grant=250_000,
        allocation_rule="rank_stop",
        partial_funding=False,
    )
    run = decisions.allocation_run(actor=official, competition=competition, final=True)
    # 250 000 fits (30 000 left); 40 000 does not → stop, though nothing smaller follows
    assert [a["application"] for a in run.result["awards"]] == [big.pk]
    assert run.result["reserve"] == [small.pk]
    assert run.result["remaining"] == "30000.00"


def test_the_final_run_waits_for_an_expert_lost_to_a_recusal(official):
    competition, (application,) = _scored(official, [(8, 100_000)])
    review = application.reviews.first()
    reviews.review_recuse(actor=official, review=review, reason="Учредитель заявителя")
    with pytest.raises(DomainError, match=application.number):
        decisions.allocation_run(actor=official, competition=competition, final=True)
    assert not competition.allocation_runs.filter(final=True).exists()


def test_unused_lottery_places_go_back_to_the_remainder(official):
    competition, (funded, drawn) = _scored(
        official,
        [(9, 200_000), (5, 100_000)],
        budget=400_000,
        lottery_winners=3,
        lottery_amount=Decimal(50_000),
        lottery_min_score=Decimal(40),
        lottery_seed="семя",
    )
    run = decisions.allocation_run(actor=official, competition=competition, final=True)
    # ranking tier: 400 000 − 3 × 50 000 = 250 000: 200 000 to the first; 50 000 left is
    # a partial grant for the second (min grant 0)… so nobody is left for the lottery
    awarded = {a["application"]: (a["amount"], a["tier"]) for a in run.result["awards"]}
    assert awarded == {
        funded.pk: ("200000.00", "ranking"),
        drawn.pk: ("50000.00", "ranking"),
    }
    assert run.result["lottery"]["eligible"] == []
    assert run.result["lottery"]["winners"] == []
    assert run.result["remaining"] == "150000.00"  # three unused places of 50 000


def test_a_lottery_winner_is_not_in_the_reserve(official):
    competition, (funded, drawn) = _scored(
        official,
        [(9, 300_000), (5, 100_000)],
        budget=350_000,
        min_grant=60_000,
        lottery_winners=1,
        lottery_amount=Decimal(50_000),
        lottery_seed="семя",
    )
    run = decisions.allocation_run(actor=official, competition=competition, final=True)
    assert run.result["lottery"]["winners"] == [drawn.pk]
    assert run.result["reserve"] == []
    assert run.result["remaining"] == "0.00"
    assert [(a["application"], a["tier"]) for a in run.result["awards"]] == [
        (funded.pk, "ranking"),
        (drawn.pk, "lottery"),
    ]


# --- the meeting ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("members", "quorum", "field"),
    [
        ([], 1, "members"),
        ([CHAIR], 0, "quorum"),
        ([CHAIR], 2, "quorum"),
        ([CHAIR, {"name": "  ", "sector": "nko"}], 1, "members.1.name"),
        ([CHAIR, {"name": "Сидоров", "sector": "church"}], 1, "members.1.sector"),
        ([{**CHAIR, "role": "king"}], 1, "members.0.role"),
    ],
)
def test_the_meetings_composition_is_checked(official, members, quorum, field):
    competition = open_competition(official)
    with pytest.raises(DomainError) as error:
        _meeting(official, competition, members=members, quorum=quorum)
    assert field in error.value.field_errors
    assert not Meeting.objects.exists()


def test_a_meeting_keeps_its_members_trimmed(official):
    competition = open_competition(official)
    meeting = _meeting(
        official,
        competition,
        members=[CHAIR, {"name": "  Сидоров В. В. ", "sector": "business", "present": False}],
        quorum=1,
    )
    assert [(m.name, m.role, m.present) for m in meeting.members.all()] == [
        ("Иванова А. А.", "chair", True),
        ("Сидоров В. В.", "member", False),
    ]


def test_the_decision_needs_the_final_run(official):
    competition, _made = _scored(official, [(8, 100_000)])
    decisions.allocation_run(actor=official, competition=competition, final=False)
    meeting = _meeting(official, competition)
    with pytest.raises(InvalidTransition, match="итоговое распределение"):
        decisions.meeting_decide(actor=official, meeting=meeting)
    competition.refresh_from_db()
    assert competition.status == Competition.Status.PUBLISHED


@pytest.mark.parametrize(
    ("amount", "problems"),
    [
        ("-1", {"amendments.0.amount"}),
        ("300000.01", {"amendments.0.amount", "amendments"}),  # over the max and the fund
        ("сто", {"amendments.0.amount"}),
        ("∞", {"amendments.0.amount"}),
    ],
)
def test_an_amendments_amount_is_within_the_grant_limits(ready, official, amount, problems):
    competition, (_first, second) = ready
    meeting = _meeting(official, competition)
    with pytest.raises(DomainError) as error:
        decisions.meeting_decide(
            actor=official,
            meeting=meeting,
            amendments=[{"application": second.pk, "amount": amount, "reason": "Так решили"}],
        )
    assert set(error.value.field_errors) == problems
    second.refresh_from_db()
    assert second.awarded_amount is None


def test_amendments_may_not_exceed_the_fund_or_name_a_stranger(ready, official):
    competition, (_first, second) = ready
    waiting, _leader = _late_application(competition)
    meeting = _meeting(official, competition)
    with pytest.raises(DomainError) as error:
        decisions.meeting_decide(
            actor=official,
            meeting=meeting,
            amendments=[
                {"application": second.pk, "amount": "150000", "reason": "Полностью"},
                {"application": waiting.pk, "amount": "10000", "reason": "Тоже"},
            ],
        )
    # 200 000 + 150 000 > 300 000, and the third was never admitted
    assert set(error.value.field_errors) == {"amendments", "amendments.1.application"}
    competition.refresh_from_db()
    assert competition.status == Competition.Status.PUBLISHED


def test_an_amendment_may_move_money_from_one_to_another(ready, official):
    competition, (first, second) = ready
    meeting = _meeting(official, competition)
    decisions.meeting_decide(
        actor=official,
        meeting=meeting,
        amendments=[
            {"application": first.pk, "amount": "0", "reason": "Проект уже финансируется"},
            {"application": second.pk, "amount": "150000", "reason": "Освободились средства"},
        ],
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.awarded_amount, first.award_tier) == (None, "")
    assert (second.awarded_amount, second.award_tier) == (Decimal(150_000), "ranking")
    assert [r.source for r in SupportRecord.objects.all()] == [
        Reference("grant_application", second.pk)
    ]
    meeting.refresh_from_db()
    assert meeting.decision == Meeting.Decision.AMENDED
    assert [c["amount"] for c in meeting.amendments] == ["0", "150000"]


def test_the_commission_may_fund_an_admitted_application_the_rule_left_out(official):
    competition, (_first, second) = _scored(
        official, [(9, 250_000), (8, 100_000)], budget=300_000, min_grant=60_000
    )
    decisions.allocation_run(actor=official, competition=competition, final=True)
    meeting = _meeting(official, competition)
    decisions.meeting_decide(
        actor=official,
        meeting=meeting,
        amendments=[{"application": second.pk, "amount": "50000", "reason": "Остаток фонда"}],
    )
    second.refresh_from_db()
    assert (second.awarded_amount, second.award_tier) == (Decimal(50_000), "commission")
    support = SupportRecord.objects.get(source_kind="grant_application", source_pk=second.pk)
    assert support.organization == second.organization
    assert support.value_rub == Decimal(50_000)


def test_the_decision_is_taken_once(ready, official):
    competition, _made = ready
    first_meeting = _meeting(official, competition)
    decisions.meeting_decide(actor=official, meeting=first_meeting)
    second_meeting = _meeting(official, competition)
    with pytest.raises(InvalidTransition, match="Решение по конкурсу принято"):
        decisions.meeting_decide(actor=official, meeting=second_meeting)
    assert SupportRecord.objects.count() == 2
    entry = AuditEntry.objects.get(action="competition.decide")
    assert entry.data["meeting"] == first_meeting.pk


def test_the_signed_protocol_comes_after_the_decision_and_replaces_the_old(
    ready, official, django_capture_on_commit_callbacks
):
    competition, _made = ready
    meeting = _meeting(official, competition)
    scan = SimpleUploadedFile("protocol.pdf", b"%PDF-1.4 signed", "application/pdf")
    with pytest.raises(InvalidTransition, match="после решения"):
        decisions.meeting_attach_protocol(actor=official, meeting=meeting, upload=scan)
    decisions.meeting_decide(actor=official, meeting=meeting)
    meeting.refresh_from_db()
    with pytest.raises(DomainError) as error:
        decisions.meeting_attach_protocol(
            actor=official, meeting=meeting, upload=SimpleUploadedFile("x.exe", b"MZ\x90\x00")
        )
    assert "file" in error.value.field_errors
    decisions.meeting_attach_protocol(actor=official, meeting=meeting, upload=scan)
    old = meeting.signed_protocol.name
    storage = meeting.signed_protocol.storage
    again = SimpleUploadedFile("protocol-2.pdf", b"%PDF-1.4 again", "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        decisions.meeting_attach_protocol(actor=official, meeting=meeting, upload=again)
    assert not storage.exists(old)
    assert meeting.signed_protocol_name == "protocol-2.pdf"


def test_results_are_published_after_the_decision_and_tell_every_applicant(ready, official):
    competition, (first, second) = ready
    withdrawn, _leader = _late_application(competition)
    Application.objects.filter(pk=withdrawn.pk).update(status=Application.Status.WITHDRAWN)
    with pytest.raises(InvalidTransition, match="после решения комиссии"):
        decisions.results_publish(actor=official, competition=competition)
    decisions.meeting_decide(actor=official, meeting=_meeting(official, competition))
    published = decisions.results_publish(actor=official, competition=competition)
    assert published.status == Competition.Status.RESULTS
    assert published.results_published_at is not None
    told = Notification.objects.filter(kind="grant_results")
    assert {n.user for n in told} == {first.applicant, second.applicant}  # not the withdrawn
    with pytest.raises(InvalidTransition):
        decisions.results_publish(actor=official, competition=competition)


# --- the pages -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["ranking/", "commission/", "allocation/", "results/publish/"])
def test_the_commission_pages_are_for_the_organisers(ready, client, login_as, outsider, path):
    competition, (first, _second) = ready
    url = f"/grants/{competition.pk}/{path}"
    assert client.post(url).status_code == 302
    assert client.post(url).url.startswith("/accounts/login/")
    assert login_as(outsider).post(url).status_code == 403
    assert login_as(first.applicant).post(url).status_code == 403
    competition.refresh_from_db()
    assert competition.status == Competition.Status.PUBLISHED
    assert competition.allocation_runs.count() == 1


def test_the_ranking_page_shows_the_latest_run(ready, official, login_as):
    competition, (first, second) = ready
    context = login_as(official).get(f"/grants/{competition.pk}/ranking/").context
    assert [item.application for item in context["ranked"]] == [first, second]
    assert [(item.application, award["amount"]) for item, award in context["awards"]] == [
        (first, "200000.00"),
        (second, "100000.00"),
    ]
    assert context["reserve"] == []
    assert context["latest"].final


def test_allocating_from_the_ranking_page(official, login_as):
    competition, _made = _scored(official, [(8, 100_000)])
    staff = login_as(official)
    refused = staff.post(f"/grants/{competition.pk}/allocation/")
    assert refused.status_code == 400  # which run: the page never guesses
    assert "«final»" in refused.content.decode()
    assert not competition.allocation_runs.exists()
    trial = staff.post(f"/grants/{competition.pk}/allocation/", {"final": "0"})
    assert trial.url == f"/grants/{competition.pk}/ranking/"
    assert said(trial) == ["Пробное распределение рассчитано."]
    final = staff.post(f"/grants/{competition.pk}/allocation/", {"final": "1"})
    assert said(final) == ["Итоговое распределение готово для комиссии."]
    assert [run.final for run in competition.allocation_runs.all()] == [True, False]


def test_an_early_allocation_is_a_message_not_a_500(official, login_as):
    competition = open_competition(official)
    response = login_as(official).post(f"/grants/{competition.pk}/allocation/", {"final": "1"})
    assert response.status_code == 302
    assert said(response) == ["Распределять гранты можно после окончания приёма заявок."]


def _meeting_form(**changes) -> dict:
    return {
        "meeting-held_at": local_input(timezone.now()),
        "meeting-place": "Зал",
        "meeting-agenda": "",
        "meeting-quorum": "2",
        "members-TOTAL_FORMS": "3",
        "members-INITIAL_FORMS": "0",
        "members-0-name": "Иванова А. А.",
        "members-0-sector": "administration",
        "members-0-role": "chair",
        "members-0-present": "on",
        "members-1-name": "Петров Б. Б.",
        "members-1-sector": "nko",
        "members-1-role": "secretary",
        "members-1-present": "on",
        "members-2-name": "",
        "members-2-sector": "nko",
        "members-2-role": "member",
    } | changes


def test_the_meeting_is_recorded_on_the_commission_page(ready, official, login_as):
    competition, _made = ready
    staff = login_as(official)
    response = staff.post(f"/grants/{competition.pk}/commission/", _meeting_form())
    assert response.url == f"/grants/{competition.pk}/commission/"
    meeting = competition.meetings.get()
    assert [m.name for m in meeting.members.all()] == ["Иванова А. А.", "Петров Б. Б."]
    context = staff.get(f"/grants/{competition.pk}/commission/").context
    assert (context["meeting"], context["present"]) == (meeting, 2)
    assert context["final_run"].final
    again = staff.post(f"/grants/{competition.pk}/commission/", _meeting_form())
    assert again.status_code == 200  # one meeting: the form is not taken again
    assert competition.meetings.count() == 1


@pytest.mark.parametrize(
    "changes",
    [{"meeting-quorum": "3"}, {"meeting-quorum": "ноль"}, {"meeting-held_at": "вчера"}],
)
def test_a_bad_meeting_form_is_shown_and_nothing_recorded(ready, official, login_as, changes):
    competition, _made = ready
    response = login_as(official).post(
        f"/grants/{competition.pk}/commission/", _meeting_form(**changes)
    )
    assert response.status_code == 200
    assert response.context["meeting_form"].errors
    assert not competition.meetings.exists()


def _amend(*rows) -> dict:
    data = {"amend-TOTAL_FORMS": str(len(rows)), "amend-INITIAL_FORMS": "0"}
    for number, (application, amount, reason) in enumerate(rows):
        data |= {
            f"amend-{number}-application": application,
            f"amend-{number}-amount": amount,
            f"amend-{number}-reason": reason,
        }
    return data


def test_the_decision_on_the_page_with_an_amendment(ready, official, login_as, outsider):
    competition, (_first, second) = ready
    meeting = _meeting(official, competition)
    url = f"/grants/meetings/{meeting.pk}/decision/"
    assert login_as(outsider).post(url, _amend()).status_code == 403
    response = login_as(official).post(
        url, _amend((second.pk, "90000", "Смета завышена"), ("", "", ""))
    )
    assert said(response) == ["Решение комиссии записано, гранты закреплены за заявками."]
    second.refresh_from_db()
    assert second.awarded_amount == Decimal(90_000)


FORM_REFUSED = "Проверьте изменения: сумма — число, заявка — из списка."


@pytest.mark.parametrize(
    ("row", "message", "field"),
    [
        (("{other}", "1000", "Да"), FORM_REFUSED, " Заявка: "),  # the field's own problem
        (("{second}", "много", "Да"), FORM_REFUSED, " Сумма, ₽: "),
        (("{second}", "", "Да"), "Проверьте изменения.", ""),
        (("{second}", "5000", ""), "Проверьте изменения.", ""),
    ],
)
def test_a_bad_amendment_on_the_page_is_a_message(ready, official, login_as, row, message, field):
    competition, (_first, second) = ready
    waiting, _leader = _late_application(competition)
    meeting = _meeting(official, competition)
    application = row[0].format(other=waiting.pk, second=second.pk)
    response = login_as(official).post(
        f"/grants/meetings/{meeting.pk}/decision/", _amend((application, *row[1:]))
    )
    assert response.url == f"/grants/{competition.pk}/commission/"
    assert said(response)[0].startswith(message)
    assert field in said(response)[0]
    meeting.refresh_from_db()
    assert meeting.decision == ""


def test_the_protocol_tells_the_whole_decision(ready, official, login_as, outsider):
    competition, (_first, second) = ready
    meeting = _meeting(
        official,
        competition,
        members=[
            CHAIR,
            SECRETARY,
            {"name": "Сидоров В. В.", "sector": "business", "present": False},
        ],
    )
    decisions.meeting_decide(
        actor=official,
        meeting=meeting,
        amendments=[{"application": second.pk, "amount": "90000", "reason": "Смета завышена"}],
    )
    url = f"/grants/meetings/{meeting.pk}/protocol.docx"
    assert login_as(outsider).get(url).status_code == 403
    response = login_as(official).get(url)
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Присутствуют 2 из 3, кворум — 2: кворум есть." in text
    assert "Распределение грантов" in text  # the agenda
    assert f"Изменено: {second.number} — 90\xa0000,00 ₽. Обоснование: Смета завышена" in text
    assert "Всего распределено 290\xa0000,00 ₽ из фонда 300\xa0000,00 ₽." in text
    assert "Председатель ____________ Иванова А. А." in text
    assert "Секретарь ____________ Петров Б. Б." in text
    members, *scores, ranking = document.tables
    assert [row.cells[4].text for row in members.rows[1:]] == [
        "присутствует",
        "присутствует",
        "отсутствует",
    ]
    assert len(scores) == 2  # one table of criteria × experts per ranked application
    assert scores[0].rows[-1].cells[0].text == "Итого"
    assert [c.text for c in scores[0].rows[-1].cells[2:]] == ["90", "90"]
    assert [row.cells[5].text for row in ranking.rows[1:]] == ["200\xa0000,00", "90\xa0000,00"]


def test_the_protocol_names_the_reserve_and_the_lottery_seed(official, login_as):
    competition, (funded, reserve) = _scored(
        official,
        [(9, 250_000), (8, 100_000)],
        budget=300_000,
        min_grant=60_000,
        lottery_winners=1,
        lottery_amount=Decimal(30_000),
        lottery_min_score=Decimal(95),
        lottery_seed="тираж",
    )
    decisions.allocation_run(actor=official, competition=competition, final=True)
    meeting = _meeting(official, competition, members=[CHAIR], quorum=1)
    response = login_as(official).get(f"/grants/meetings/{meeting.pk}/protocol.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "зерно «тираж»" in text
    assert f"2. {reserve.number} {reserve.title}" in text
    assert "Присутствуют 1 из 1, кворум — 1: кворум есть." in text
    assert funded.number in text


def test_the_signed_scan_on_the_page(ready, official, login_as, outsider):
    competition, _made = ready
    meeting = _meeting(official, competition)
    decisions.meeting_decide(actor=official, meeting=meeting)
    url = f"/grants/meetings/{meeting.pk}/signed/"
    scan = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed", "application/pdf")
    assert login_as(outsider).post(url, {"file": scan}).status_code == 403
    empty = login_as(official).post(url, {})
    assert said(empty) == ["Выберите файл скана."]
    scan.seek(0)
    done = login_as(official).post(url, {"file": scan})
    assert said(done) == ["Подписанный протокол приложен."]
    meeting.refresh_from_db()
    assert meeting.signed_protocol_name == "signed.pdf"


def test_publishing_on_the_page(ready, official, login_as):
    competition, _made = ready
    staff = login_as(official)
    early = staff.post(f"/grants/{competition.pk}/results/publish/")
    assert early.url == f"/grants/{competition.pk}/commission/"
    assert said(early) == ["Итоги публикуют после решения комиссии."]
    decisions.meeting_decide(actor=official, meeting=_meeting(official, competition))
    done = staff.post(f"/grants/{competition.pk}/results/publish/")
    assert done.url == f"/grants/{competition.pk}/results/"
    assert said(done) == ["Итоги опубликованы, заявители уведомлены."]
    assert Application.objects.filter(awarded_amount__isnull=False).count() == 2
