"""Hours entries move by HOURS_WORKFLOW: confirmed, adjusted (with a reason) or declined
(with a reason), once; the queue offers exactly the moves its viewer may make."""

from decimal import Decimal

import pytest

from dobry.core.errors import DomainError, InvalidTransition
from dobry.events.tests.factories import volunteer
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.volunteering import permissions
from dobry.volunteering.models import HOURS_WORKFLOW, HoursEntry
from dobry.volunteering.services import hours as services
from dobry.volunteering.tests.test_views import entry_for

pytestmark = pytest.mark.django_db
H = HoursEntry.Status


def test_the_table():
    assert HOURS_WORKFLOW.table == {H.PENDING: frozenset({H.CONFIRMED, H.DECLINED})}
    assert [m.name for m in HOURS_WORKFLOW.allowed(H.PENDING)] == ["confirm", "adjust", "decline"]
    assert HOURS_WORKFLOW.allowed(H.CONFIRMED) == HOURS_WORKFLOW.allowed(H.DECLINED) == []
    assert [m.name for m in HOURS_WORKFLOW.moves if m.needs_reason] == ["adjust", "decline"]


@pytest.fixture
def editor():
    return volunteer()


@pytest.fixture
def organization(editor):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=editor, role=Membership.Role.EDITOR)
    return organization


def test_allowed_moves_confirm_adjust_and_decline(editor, organization):
    entry = entry_for(volunteer(), organization, hours="3")
    assert services.hours_confirm(actor=editor, entry=entry).status == H.CONFIRMED
    adjusted = services.hours_decide(
        actor=editor,
        entry=entry_for(volunteer(), organization, hours="3"),
        decision="adjust",
        hours="2",
        reason="Ушла раньше",
    )
    assert (adjusted.status, adjusted.hours, adjusted.claimed_hours) == (
        H.CONFIRMED,
        Decimal("2.00"),
        Decimal("3.00"),
    )
    declined = services.hours_decide(
        actor=editor, entry=entry_for(volunteer(), organization), decision="decline", reason="Нет"
    )
    assert declined.status == H.DECLINED


@pytest.mark.parametrize("status", [H.CONFIRMED, H.DECLINED])
@pytest.mark.parametrize("decision", ["confirm", "adjust", "decline"])
def test_a_decided_entry_is_not_decided_again(editor, organization, status, decision):
    entry = entry_for(volunteer(), organization, status=status)
    with pytest.raises(InvalidTransition, match="уже рассмотрены"):
        services.hours_decide(
            actor=editor, entry=entry, decision=decision, hours="1", reason="Причина"
        )
    entry.refresh_from_db()
    assert entry.status == status


def test_an_adjustment_and_a_refusal_need_a_reason(editor, organization):
    entry = entry_for(volunteer(), organization, hours="3")
    with pytest.raises(DomainError, match="почему часы изменены"):
        services.hours_confirm(actor=editor, entry=entry, hours="2")
    with pytest.raises(DomainError, match="Объясните причину"):
        services.hours_decline(actor=editor, entry=entry, reason=" ")
    entry.refresh_from_db()
    assert entry.status == H.PENDING


def test_an_unknown_decision_is_refused(editor, organization):
    entry = entry_for(volunteer(), organization)
    with pytest.raises(DomainError, match="Неизвестное действие"):
        services.hours_decide(actor=editor, entry=entry, decision="approve")


def test_an_outsider_is_refused_by_the_service_too(organization):
    entry = entry_for(volunteer(), organization)
    with pytest.raises(DomainError):
        services.hours_confirm(actor=volunteer(), entry=entry)
    entry.refresh_from_db()
    assert entry.status == H.PENDING


def test_the_moves_offered_follow_the_table_and_the_permission(editor, organization):
    others = entry_for(volunteer(), organization)
    own = entry_for(editor, organization)
    names = lambda moves: [m.name for m in moves]  # noqa: E731
    assert names(permissions.hours_moves(editor, others)) == ["confirm", "adjust", "decline"]
    assert names(permissions.hours_moves(editor, own)) == ["decline"]
    assert permissions.hours_moves(volunteer(), others) == []
    decided = entry_for(volunteer(), organization, status=H.CONFIRMED)
    decided.refresh_from_db()
    assert permissions.hours_moves(editor, decided) == []


def test_the_queue_shows_confirm_only_on_someone_elses_hours(login_as, editor, organization):
    other = volunteer(first_name="Алиса")
    entry_for(other, organization)
    entry_for(editor, organization)
    body = login_as(editor).get(f"/volunteer/organizations/{organization.pk}/hours/").content
    page = body.decode()
    assert page.count('value="confirm"') == 1
    assert page.count('value="decline"') == 2


def test_the_page_answers_a_refused_move_with_a_message(login_as, editor, organization):
    entry = entry_for(volunteer(), organization, status=H.CONFIRMED)
    client = login_as(editor)
    url = f"/volunteer/hours/{entry.pk}/decide/"
    response = client.post(url, {"decision": "decline", "reason": "x"}, follow=True)
    assert response.status_code == 200
    assert "Эти часы уже рассмотрены" in response.content.decode()
    response = client.post(url, {"decision": "forged"})
    assert response.status_code == 400
    assert "«decision»" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == H.CONFIRMED


@pytest.mark.parametrize("body", [{}, {"hours": "2", "reason": "Ушёл раньше"}, {"decision": ""}])
def test_a_decision_without_its_button_is_a_400_not_a_confirmation(
    login_as, editor, organization, body
):
    """The page read a missing button as «confirm»: a forged POST confirmed the hours."""
    entry = entry_for(volunteer(), organization, hours="3")
    response = login_as(editor).post(f"/volunteer/hours/{entry.pk}/decide/", body)
    assert response.status_code == 400
    assert "«decision»" in response.content.decode()
    entry.refresh_from_db()
    assert (entry.status, entry.hours) == (H.PENDING, Decimal("3.00"))


def test_each_button_still_makes_its_move(login_as, editor, organization):
    confirmed = entry_for(volunteer(), organization, hours="3")
    declined = entry_for(volunteer(), organization, hours="3")
    client = login_as(editor)
    client.post(f"/volunteer/hours/{confirmed.pk}/decide/", {"decision": "confirm"})
    client.post(
        f"/volunteer/hours/{declined.pk}/decide/", {"decision": "decline", "reason": "Не было"}
    )
    confirmed.refresh_from_db()
    declined.refresh_from_db()
    assert (confirmed.status, declined.status) == (H.CONFIRMED, H.DECLINED)
