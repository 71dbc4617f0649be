"""The writes of mailings as the pages and the API call them: what each refuses (naming the
field), what it writes and audits, and the moves of a mailing's workflow."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone

from dobry.communications.mailings import services
from dobry.communications.models import Delivery, Mailing, Segment
from dobry.communications.tests.mailing_factories import contact, mailing, segment, subscriber
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.models import AuditEntry, District

pytestmark = pytest.mark.django_db
S = Mailing.Status


def refused_at(error: pytest.ExceptionInfo[DomainError]) -> list[str]:
    return sorted(error.value.field_errors)


# --- segments ------------------------------------------------------------------------------


def test_a_segment_is_saved_with_its_conditions_sorted_once_and_audited(coordinator):
    north = District.objects.create(name="Северный", slug="north")
    saved = services.segment_save(
        actor=coordinator,
        name="  Волонтёры \n севера ",
        roles=["volunteer", "volunteer", "coordinator"],
        areas=["ecology"],
        district_ids=[north.pk, north.pk],
        active_months=6,
    )
    saved.refresh_from_db()
    assert saved.name == "Волонтёры севера"
    assert saved.roles == ["coordinator", "volunteer"]
    assert list(saved.districts.all()) == [north]
    assert (saved.active_months, saved.created_by) == (6, coordinator)
    assert AuditEntry.objects.filter(action="segment.create", object_id=str(saved.pk)).exists()


def test_changing_a_segment_replaces_its_conditions(coordinator):
    north = District.objects.create(name="Северный", slug="north")
    saved = services.segment_save(actor=coordinator, name="Все", district_ids=[north.pk])
    services.segment_save(actor=coordinator, segment=saved, name="Все", active_months=None)
    saved.refresh_from_db()
    assert list(saved.districts.all()) == []
    assert AuditEntry.objects.filter(action="segment.update").count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "  "}, "name"),
        ({"roles": ["volunteer", "king"]}, "roles"),
        ({"organization_kinds": ["guild"]}, "organization_kinds"),
        ({"areas": ["astrology"]}, "areas"),
        ({"district_ids": [999_999]}, "district_ids"),
        ({"active_months": 0}, "active_months"),
        ({"active_months": 121}, "active_months"),
    ],
)
def test_a_wrong_condition_refuses_the_whole_segment_naming_it(coordinator, data, field):
    with pytest.raises(DomainError) as refused:
        services.segment_save(actor=coordinator, **{"name": "Сегмент", **data})
    assert refused_at(refused) == [field]
    assert Segment.objects.count() == 0


def test_a_too_long_segment_name_is_refused_not_cut(coordinator):
    with pytest.raises(DomainError) as refused:
        services.segment_save(actor=coordinator, name="Я" * 201)
    assert refused_at(refused) == ["name"]


# --- drafts --------------------------------------------------------------------------------


def test_a_draft_keeps_its_text_and_only_safe_html(coordinator):
    draft = services.mailing_save(
        actor=coordinator,
        subject=" Новости \n недели ",
        body_text="\n Привет!\n",
        body_html='<p style="color:red">Привет</p><script>x()</script>',
        segment=segment(),
    )
    draft.refresh_from_db()
    assert (draft.subject, draft.body_text) == ("Новости недели", "Привет!")
    assert draft.body_html == "<p>Привет</p>"
    assert (draft.status, draft.created_by) == (S.DRAFT, coordinator)
    assert AuditEntry.objects.filter(action="mailing.create").count() == 1


def test_html_of_only_spaces_is_no_html(coordinator):
    draft = services.mailing_save(
        actor=coordinator, subject="Тема", body_text="Текст", body_html="  \n", segment=segment()
    )
    assert draft.body_html == ""


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"subject": " ", "body_text": "Текст"}, ["subject"]),
        ({"subject": "Тема", "body_text": "\n "}, ["body_text"]),
        ({"subject": "", "body_text": ""}, ["body_text", "subject"]),
        ({"subject": "Т" * 201, "body_text": "Текст"}, ["subject"]),
    ],
)
def test_a_draft_without_subject_or_text_is_refused_naming_them(coordinator, data, fields):
    with pytest.raises(DomainError) as refused:
        services.mailing_save(actor=coordinator, segment=segment(), **data)
    assert refused_at(refused) == fields
    assert Mailing.objects.count() == 0


@pytest.mark.parametrize("status", [S.SCHEDULED, S.SENDING, S.SENT, S.CANCELLED])
def test_only_a_draft_can_change(coordinator, status):
    m = mailing(status=status)
    with pytest.raises(DomainError):
        services.mailing_save(
            actor=coordinator, mailing=m, subject="Новое", body_text="Новое", segment=m.segment
        )
    m.refresh_from_db()
    assert m.subject == "Новости города"


def test_the_test_send_goes_to_the_staff_member_only_marked_as_a_test(coordinator):
    subscriber()
    m = mailing(subject="Субботник")
    services.mailing_test_send(actor=coordinator, mailing=m)
    services.mailing_test_send(actor=coordinator, mailing=m)
    assert [message.to for message in mail.outbox] == [[coordinator.email]] * 2
    assert mail.outbox[0].subject == "[Проверка] Субботник"
    assert Delivery.objects.count() == 0
    m.refresh_from_db()
    assert m.status == S.DRAFT
    assert AuditEntry.objects.filter(action="mailing.test_send").count() == 2


# --- scheduling, cancelling, starting -------------------------------------------------------


def test_a_time_ahead_waits_and_the_current_minute_is_now(coordinator, freeze_now, monkeypatch):
    now = timezone.now()
    freeze_now(now)
    started: list[int] = []
    monkeypatch.setattr(services, "start_mailing", SimpleNamespace(enqueue=started.append))
    subscriber()
    later, earlier, past = mailing(), mailing(), mailing()
    services.mailing_schedule(actor=coordinator, mailing=later, at=now + timedelta(days=1))
    services.mailing_schedule(actor=coordinator, mailing=earlier, at=now - timedelta(seconds=50))
    with pytest.raises(DomainError) as refused:  # a plan is never in the past (issue 11)
        services.mailing_schedule(actor=coordinator, mailing=past, at=now - timedelta(days=1))
    assert refused.value.field_errors == {"at": ["Время не может быть в прошлом."]}
    past.refresh_from_db()
    assert past.status == Mailing.Status.DRAFT
    later.refresh_from_db()
    earlier.refresh_from_db()
    assert later.scheduled_at == now + timedelta(days=1)
    assert earlier.scheduled_at == now
    assert started == [earlier.pk]
    entry = AuditEntry.objects.filter(action="mailing.schedule").first()
    assert "scheduled_at" in entry.data


def test_an_empty_segment_is_not_scheduled(coordinator):
    m = mailing()
    with pytest.raises(DomainError) as refused:
        services.mailing_schedule(actor=coordinator, mailing=m)
    assert refused.value.message == "В сегменте нет ни одного получателя."
    m.refresh_from_db()
    assert m.status == S.DRAFT


@pytest.mark.parametrize("status", [S.SCHEDULED, S.SENDING, S.SENT, S.CANCELLED])
def test_only_a_draft_is_scheduled(coordinator, status):
    subscriber()
    m = mailing(status=status)
    with pytest.raises(InvalidTransition):
        services.mailing_schedule(actor=coordinator, mailing=m)


def test_unscheduling_brings_back_a_draft_without_its_time(coordinator):
    m = mailing(status=S.SCHEDULED, scheduled_at=timezone.now() + timedelta(days=1))
    services.mailing_unschedule(actor=coordinator, mailing=m)
    m.refresh_from_db()
    assert (m.status, m.scheduled_at) == (S.DRAFT, None)
    with pytest.raises(InvalidTransition):
        services.mailing_unschedule(actor=coordinator, mailing=m)


def test_a_draft_or_a_scheduled_mailing_is_cancelled_with_nothing_sent(coordinator):
    for status in (S.DRAFT, S.SCHEDULED):
        m = mailing(status=status)
        services.mailing_cancel(actor=coordinator, mailing=m)
        m.refresh_from_db()
        assert m.status == S.CANCELLED
        assert m.finished_at is not None
    assert AuditEntry.objects.filter(action="mailing.cancel").count() == 2
    with pytest.raises(InvalidTransition):
        services.mailing_cancel(actor=coordinator, mailing=m)


def test_a_mailing_not_due_or_not_scheduled_does_not_start(freeze_now):
    now = timezone.now()
    freeze_now(now)
    subscriber()
    ahead = mailing(status=S.SCHEDULED, scheduled_at=now + timedelta(minutes=1))
    draft = mailing()
    assert services.mailing_start(ahead.pk) == S.SCHEDULED
    assert services.mailing_start(draft.pk) == S.DRAFT
    assert services.mailing_start(999_999) == "missing"
    assert Delivery.objects.count() == 0


def test_starting_twice_writes_the_rows_once(monkeypatch):
    monkeypatch.setattr(services, "enqueue_senders", lambda pk: None)
    subscriber()
    m = mailing(status=S.SCHEDULED, scheduled_at=timezone.now())
    assert services.mailing_start(m.pk) == S.SENDING
    assert services.mailing_start(m.pk) == S.SENDING
    assert m.deliveries.count() == 1
    assert AuditEntry.objects.filter(action="mailing.start").count() == 1


def test_the_rows_are_written_in_chunks_each_address_once_account_first():
    reader = subscriber(email="Same@Example.org")
    contact("same@example.org")
    for number in range(5):
        contact(f"c{number}@example.org")
    m = mailing(status=S.SCHEDULED)
    assert services.materialise(m, chunk=2) == 6
    rows = {row.email: row for row in m.deliveries.all()}
    assert (rows["same@example.org"].user, rows["same@example.org"].contact) == (reader, None)
    assert rows["c0@example.org"].contact is not None
    assert services.materialise(m, chunk=2) == 6  # a repeat adds nobody twice


def test_an_empty_start_finishes_the_mailing_at_once(monkeypatch):
    monkeypatch.setattr(services, "enqueue_senders", lambda pk: None)
    m = mailing(status=S.SCHEDULED, scheduled_at=timezone.now())
    assert services.mailing_start(m.pk) == S.SENDING
    m.refresh_from_db()
    assert m.status == S.SENT
