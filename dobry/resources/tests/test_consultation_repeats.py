"""The same question sent twice (a double click, two tabs) makes one consultation, even
when both arrive at once — and, as a negative control, without the asker's lock the race
makes two; a day's questions are limited."""

import time
from contextlib import contextmanager

import pytest

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.core.errors import InvalidTransition, TooMany
from dobry.core.tests.threads import at_once
from dobry.resources import services
from dobry.resources.models import Consultation


def ask(user, subject="Отчёт в Минюст", text="Какие формы сдавать?"):
    return services.consultation_ask(user=user, topic="reporting", subject=subject, text=text)


@pytest.mark.django_db
def test_the_same_question_twice_is_refused_and_another_is_not():
    user = UserFactory()
    ask(user)
    with pytest.raises(InvalidTransition, match="уже отправлен"):
        ask(user, subject="ОТЧЁТ в Минюст")
    ask(user, text="А сроки?")
    ask(UserFactory())  # someone else's same words are their own question
    assert Consultation.objects.count() == 3


@pytest.mark.django_db
def test_a_days_questions_are_limited(settings):
    settings.DOBRY_CONSULTATIONS_PER_DAY = 3
    user = UserFactory()
    for n in range(3):
        ask(user, subject=f"Вопрос {n}")
    with pytest.raises(TooMany, match="не больше вопросов, чем 3"):
        ask(user, subject="Ещё один")


@pytest.mark.django_db
def test_the_page_says_it_was_sent_already():
    client = login(UserFactory())
    data = {"topic": "reporting", "subject": "Отчёт", "text": "Какие формы?"}
    client.post("/desk/consultations/new/", data)
    page = client.post("/desk/consultations/new/", data, follow=True).content.decode()
    assert "Этот вопрос уже отправлен" in page
    assert Consultation.objects.count() == 1


def _race(monkeypatch) -> int:
    checked = services._check_not_asked_already

    def slow_check(*args, **kwargs):
        """The check, then a pause before the write, as on a busy server: without the
        lock every thread checks before any has written."""
        checked(*args, **kwargs)
        time.sleep(0.3)

    monkeypatch.setattr(services, "_check_not_asked_already", slow_check)
    user = UserFactory()
    made, raised = at_once(lambda _n: ask(user), range(4), timeout=90)
    assert len(made) + len(raised) == 4
    assert all(isinstance(error, InvalidTransition) for error in raised), raised
    return Consultation.objects.filter(asker=user).count()


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("concurrency")
def test_four_identical_questions_at_once_make_one(monkeypatch):
    assert _race(monkeypatch) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("concurrency")
def test_without_the_askers_lock_the_race_makes_several(monkeypatch):
    @contextmanager
    def unguarded(queryset, pk):
        yield queryset.get(pk=pk)

    monkeypatch.setattr(services, "locked", unguarded)
    assert _race(monkeypatch) > 1
