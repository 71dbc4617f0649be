"""Every charity workflow's moves, refused by role before by state: whoever may never make
a move gets a 403 (PermissionDenied) whatever state the object is in, so they learn nothing
of it; the right role gets the 409 of a move the state does not allow; buttons and the
API's `moves` offer exactly what the person may do now."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.charity import permissions
from dobry.charity.models import (
    CAMPAIGN_WORKFLOW,
    NEED_WORKFLOW,
    PLEDGE_WORKFLOW,
    Campaign,
    Need,
    Pledge,
    StatementEntry,
    StatementImport,
)
from dobry.charity.services import campaigns, donations, needs, statements
from dobry.charity.tests.factories import NeedFactory, charity_ready, editor_of
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.core.models import AuditEntry
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _people(organization):
    return {
        "outsider": UserFactory(),
        "member": editor_of(organization, Membership.Role.MEMBER),
        "other_editor": editor_of(OrganizationFactory()),
    }


# ---------------------------------------------------------------- campaigns


@pytest.mark.parametrize("who", ["outsider", "member", "other_editor"])
@pytest.mark.parametrize(
    ("status", "move"),
    [
        (Campaign.Status.DRAFT, "publish"),
        (Campaign.Status.ACTIVE, "finish"),
        (Campaign.Status.FINISHED, "reopen"),
        (Campaign.Status.FINISHED, "finish"),  # not allowed by state either: still a 403
        (Campaign.Status.DRAFT, "reopen"),
    ],
)
def test_only_editors_move_a_campaign_whatever_its_state(who, status, move):
    campaign, _editor = charity_ready(status=status)
    person = _people(campaign.organization)[who]
    with pytest.raises(PermissionDenied):
        campaigns.campaign_move(actor=person, campaign=campaign, name=move)
    campaign.refresh_from_db()
    assert campaign.status == status
    assert not AuditEntry.objects.filter(action__startswith="charity.campaign_").exists()


@pytest.mark.parametrize(
    ("status", "move"),
    [
        (Campaign.Status.FINISHED, "finish"),
        (Campaign.Status.FINISHED, "publish"),
        (Campaign.Status.ACTIVE, "reopen"),
        (Campaign.Status.DRAFT, "finish"),
    ],
)
def test_an_editor_gets_a_409_for_a_move_the_state_does_not_allow(status, move):
    campaign, editor = charity_ready(status=status)
    with pytest.raises(InvalidTransition):
        campaigns.campaign_move(actor=editor, campaign=campaign, name=move)


def test_an_unknown_move_is_refused_for_everyone():
    campaign, editor = charity_ready()
    with pytest.raises(DomainError):
        campaigns.campaign_move(actor=editor, campaign=campaign, name="delete")


def test_an_owner_moves_like_an_editor_and_every_move_is_audited():
    campaign, _editor = charity_ready(status=Campaign.Status.DRAFT)
    owner = editor_of(campaign.organization, Membership.Role.OWNER)
    for move, status in (("publish", "active"), ("finish", "finished"), ("reopen", "active")):
        assert campaigns.campaign_move(actor=owner, campaign=campaign, name=move).status == status
    assert list(
        AuditEntry.objects.filter(action__startswith="charity.campaign_")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["charity.campaign_publish", "charity.campaign_finish", "charity.campaign_reopen"]


def test_a_campaign_past_its_deadline_is_not_reopened():
    campaign, editor = charity_ready(status=Campaign.Status.FINISHED)
    Campaign.objects.filter(pk=campaign.pk).update(deadline="2020-01-01")
    with pytest.raises(DomainError) as caught:
        campaigns.campaign_move(actor=editor, campaign=campaign, name="reopen")
    assert "deadline" in caught.value.field_errors


def test_an_organisation_no_longer_verified_cannot_start_or_reopen_but_may_finish():
    campaign, editor = charity_ready(status=Campaign.Status.ACTIVE)
    Organization.objects.filter(pk=campaign.organization_id).update(
        status=Organization.Status.PENDING
    )
    campaign = permissions.get_campaign_for_user(editor, campaign.pk)
    assert campaigns.campaign_move(actor=editor, campaign=campaign, name="finish").status == (
        "finished"
    )
    with pytest.raises(InvalidTransition, match="проверенные"):
        campaigns.campaign_move(actor=editor, campaign=campaign, name="reopen")


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member", "editor"])
def test_the_moves_offered_are_the_persons_own(who, client):
    campaign, editor = charity_ready()
    people = {**_people(campaign.organization), "editor": editor}
    caller = client if who == "anonymous" else login(people[who])
    moves = caller.get(f"{API}/campaigns/{campaign.pk}").json()["moves"]
    assert moves == (["finish"] if who == "editor" else [])
    page = caller.get(campaign.get_absolute_url()).content.decode()
    assert (str(CAMPAIGN_WORKFLOW.move("finish").label) in page) == (who == "editor")


def test_a_members_move_is_a_403_by_the_api_a_message_on_the_page_and_the_state_stays():
    campaign, _editor = charity_ready()
    member = login(editor_of(campaign.organization, Membership.Role.MEMBER))
    assert member.post(f"{API}/campaigns/{campaign.pk}/finish").status_code == 403
    page = member.post(
        reverse("charity:campaign_move", args=[campaign.pk]), {"move": "finish"}, follow=True
    )
    assert "владелец и редакторы" in page.content.decode()  # the page says why, as a message
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.ACTIVE


# ---------------------------------------------------------------- needs and pledges


@pytest.mark.parametrize("who", ["outsider", "member", "other_editor"])
@pytest.mark.parametrize(("status", "move"), [("draft", "open"), ("open", "close")])
def test_only_editors_open_and_close_a_need(who, status, move):
    need = NeedFactory(status=status)
    with pytest.raises(PermissionDenied):
        needs.need_move(actor=_people(need.organization)[who], need=need, name=move)
    need.refresh_from_db()
    assert need.status == status


def test_a_closed_need_is_not_closed_again_and_an_open_one_not_opened():
    need = NeedFactory(status=Need.Status.CLOSED)
    editor = editor_of(need.organization)
    with pytest.raises(InvalidTransition):
        needs.need_move(actor=editor, need=need, name="close")
    open_need = NeedFactory(organization=need.organization)
    with pytest.raises(InvalidTransition):
        needs.need_move(actor=editor, need=open_need, name="open")


def _pledge(**need):
    found = NeedFactory(**need)
    pledger = UserFactory()
    return needs.pledge_create(actor=pledger, need=found, quantity=2), pledger


def test_the_pledger_cancels_but_never_marks_their_pledge_received():
    pledge, pledger = _pledge()
    with pytest.raises(PermissionDenied):
        needs.pledge_move(actor=pledger, pledge=pledge, name="receive")
    assert needs.pledge_move(actor=pledger, pledge=pledge, name="cancel").status == "cancelled"


@pytest.mark.parametrize("who", ["outsider", "member", "other_editor"])
def test_nobody_else_receives_or_cancels_a_pledge(who):
    pledge, _pledger = _pledge()
    person = _people(pledge.need.organization)[who]
    for move in ("receive", "cancel"):
        with pytest.raises(PermissionDenied):
            needs.pledge_move(actor=person, pledge=pledge, name=move)
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PLEDGED


def test_a_cancelled_pledge_is_not_received_and_a_received_one_not_cancelled():
    pledge, pledger = _pledge()
    editor = editor_of(pledge.need.organization)
    needs.pledge_move(actor=pledger, pledge=pledge, name="cancel")
    with pytest.raises(InvalidTransition):
        needs.pledge_move(actor=editor, pledge=pledge, name="receive")
    second, _pledger = _pledge()
    editor = editor_of(second.need.organization)
    needs.pledge_move(actor=editor, pledge=second, name="receive")
    with pytest.raises(InvalidTransition):
        needs.pledge_move(actor=editor, pledge=second, name="cancel")


def test_a_pledge_received_is_valued_by_the_estimate_that_fits_its_column():
    pledge, _pledger = _pledge(quantity=100_000, unit_value=Decimal("9999999.99"))
    Pledge.objects.filter(pk=pledge.pk).update(quantity=100_000)
    editor = editor_of(pledge.need.organization)
    received = needs.pledge_move(actor=editor, pledge=pledge, name="receive")
    received.refresh_from_db()
    assert received.value == Decimal("999999999000.00")


def test_a_need_whose_whole_estimate_would_not_fit_a_pledges_value_is_refused():
    organization = OrganizationFactory()
    editor = editor_of(organization)
    with pytest.raises(DomainError) as caught:
        needs.need_save(
            actor=editor,
            organization=organization,
            title="Оборудование",
            unit="шт.",
            quantity=100_000,
            unit_value=Decimal("9999999999.99"),
            deadline=Need._meta.get_field("deadline").to_python("2100-01-01"),
        )
    assert "unit_value" in caught.value.field_errors
    assert not Need.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "outsider", "pledger", "editor"])
def test_a_needs_moves_in_the_api_are_its_editors_only(who, client):
    pledge, pledger = _pledge()
    need = pledge.need
    people = {"outsider": UserFactory(), "pledger": pledger, "editor": editor_of(need.organization)}
    caller = client if who == "anonymous" else login(people[who])
    detail = caller.get(f"{API}/needs/{need.pk}").json()
    assert detail["moves"] == (["close"] if who == "editor" else [])
    assert detail["can_pledge"] == (who != "anonymous")
    assert [m.name for m in PLEDGE_WORKFLOW.moves] == ["receive", "cancel"]
    assert [m.name for m in NEED_WORKFLOW.moves] == ["open", "close"]


# ---------------------------------------------------------------- statements and the queue


def _statement(editor, organization):
    content = "Дата;Сумма;Плательщик\n10.11.2026;700;Петров\n".encode()
    return statements.statement_upload(
        actor=editor, organization=organization, upload=SimpleUploadedFile("v.csv", content)
    )


@pytest.mark.parametrize("who", ["outsider", "member", "other_editor"])
def test_only_editors_commit_or_discard_a_statement(who):
    campaign, editor = charity_ready()
    statement = _statement(editor, campaign.organization)
    person = _people(campaign.organization)[who]
    with pytest.raises(PermissionDenied):
        statements.statement_commit(actor=person, statement=statement)
    with pytest.raises(PermissionDenied):
        statements.statement_discard(actor=person, statement=statement)
    with pytest.raises(PermissionDenied):
        statements.statement_map(
            actor=person, statement=statement, mapping={"paid_on": 0, "amount": 1}
        )
    statement.refresh_from_db()
    assert statement.status == StatementImport.Status.PREVIEW
    assert not StatementEntry.objects.exists()


def test_a_discarded_statement_is_neither_committed_nor_discarded_again():
    campaign, editor = charity_ready()
    statement = _statement(editor, campaign.organization)
    statements.statement_discard(actor=editor, statement=statement)
    for service in (statements.statement_commit, statements.statement_discard):
        with pytest.raises(InvalidTransition):
            service(actor=editor, statement=statement)
    assert not StatementEntry.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "member", "other_editor"])
def test_only_editors_sort_the_queue(who):
    campaign, editor = charity_ready()
    statements.statement_commit(actor=editor, statement=_statement(editor, campaign.organization))
    entry = StatementEntry.objects.get()
    person = _people(campaign.organization)[who]
    with pytest.raises(PermissionDenied):
        donations.entry_assign(actor=person, entry=entry, campaign=None)
    with pytest.raises(PermissionDenied):
        donations.entry_move(actor=person, entry=entry, name="ignore")
    entry.refresh_from_db()
    assert entry.status == StatementEntry.Status.UNMATCHED


def test_a_queued_payment_is_assigned_once_and_assign_is_not_a_plain_move():
    campaign, editor = charity_ready()
    statements.statement_commit(actor=editor, statement=_statement(editor, campaign.organization))
    entry = StatementEntry.objects.get()
    with pytest.raises(DomainError):
        donations.entry_move(actor=editor, entry=entry, name="assign")
    donations.entry_assign(actor=editor, entry=entry, campaign=campaign)
    with pytest.raises(InvalidTransition):
        donations.entry_assign(actor=editor, entry=entry, campaign=campaign)
    with pytest.raises(InvalidTransition):
        donations.entry_move(actor=editor, entry=entry, name="ignore")
    with pytest.raises(InvalidTransition):
        donations.entry_move(actor=editor, entry=entry, name="restore")
