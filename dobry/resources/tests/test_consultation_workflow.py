"""Consultations move by CONSULTATION_WORKFLOW: consultants take and close them, checked
against the table and `permissions.can_move_consultation`; the page offers exactly the
allowed moves with the workflow's labels."""

import pytest

from dobry.core.errors import DomainError, InvalidTransition
from dobry.resources import permissions, services
from dobry.resources.models import CONSULTATION_WORKFLOW, Consultation

pytestmark = pytest.mark.django_db
C = Consultation.Status


@pytest.fixture
def question(resident):
    return services.consultation_ask(
        user=resident, topic="grants", subject="Заявка на грант", text="С чего начать?"
    )


def test_the_table():
    assert CONSULTATION_WORKFLOW.table == {
        C.NEW: frozenset({C.IN_PROGRESS, C.CLOSED}),
        C.IN_PROGRESS: frozenset({C.CLOSED}),
    }


def test_consultants_are_offered_the_moves_of_the_table(question, coordinator, resident):
    names = lambda user: [m.name for m in permissions.consultation_moves(user, question)]  # noqa: E731
    assert names(coordinator) == ["take", "close"]
    assert names(resident) == []
    services.consultation_take(actor=coordinator, consultation=question)
    question.refresh_from_db()
    assert names(coordinator) == ["close"]
    services.consultation_close(actor=coordinator, consultation=question, summary="Итог")
    question.refresh_from_db()
    assert names(coordinator) == []


def test_only_consultants_take_and_close(question, resident):
    with pytest.raises(DomainError, match="консультанты"):
        services.consultation_take(actor=resident, consultation=question)
    with pytest.raises(DomainError, match="консультанты"):
        services.consultation_close(actor=resident, consultation=question, summary="Итог")
    question.refresh_from_db()
    assert question.status == C.NEW


def test_a_closed_question_is_not_taken(question, coordinator):
    services.consultation_close(actor=coordinator, consultation=question, summary="Итог")
    with pytest.raises(InvalidTransition, match="«закрыта» в «в работе»"):
        services.consultation_take(actor=coordinator, consultation=question)


def test_the_page_draws_the_consultants_buttons_from_the_workflow(
    login_as, question, coordinator, resident
):
    url = f"/desk/consultations/{question.pk}/"
    page = login_as(coordinator).get(url).content.decode()
    assert f'action="/desk/consultations/{question.pk}/take/"' in page
    assert f'action="/desk/consultations/{question.pk}/close/"' in page
    assert "новая" in page
    services.consultation_take(actor=coordinator, consultation=question)
    page = login_as(coordinator).get(url).content.decode()
    assert "/take/" not in page
    assert "Закрыть консультацию" in page
    assert "/close/" not in login_as(resident).get(url).content.decode()
