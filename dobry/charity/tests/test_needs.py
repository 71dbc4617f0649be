"""In-kind needs and pledges: what remains, who may pledge, receive and cancel, the pages
and the letters; the quantity never drops below what is promised."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.charity.models import Need, Pledge
from dobry.charity.services import needs
from dobry.charity.tests.factories import NeedFactory, editor_of
from dobry.core.clock import local_today
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_pledges_count_down_what_remains_and_a_cancel_gives_it_back():
    need = NeedFactory(quantity=10)
    first = needs.pledge_create(actor=UserFactory(), need=need, quantity=6)
    with pytest.raises(InvalidTransition, match=r"Осталось собрать: 4 \(шт\.\)"):
        needs.pledge_create(actor=UserFactory(), need=need, quantity=5)
    needs.pledge_move(actor=first.pledger, pledge=first, name="cancel")
    needs.pledge_create(actor=UserFactory(), need=need, quantity=10)
    assert needs.promised(need) == 10


def test_receiving_records_the_day_and_the_value():
    need = NeedFactory(quantity=10, unit_value=Decimal("250"))
    editor = editor_of(need.organization)
    pledge = needs.pledge_create(actor=UserFactory(), need=need, quantity=4)
    received = needs.pledge_move(actor=editor, pledge=pledge, name="receive")
    assert (received.status, received.received_on, received.value) == (
        Pledge.Status.RECEIVED, local_today(), Decimal("1000")
    )  # fmt: skip
    with pytest.raises(InvalidTransition):
        needs.pledge_move(actor=editor, pledge=received, name="cancel")


def test_only_the_organisation_receives_and_others_cannot_cancel():
    need = NeedFactory()
    pledger = UserFactory()
    pledge = needs.pledge_create(actor=pledger, need=need, quantity=1)
    with pytest.raises(PermissionDenied):
        needs.pledge_move(actor=pledger, pledge=pledge, name="receive")
    with pytest.raises(PermissionDenied):
        needs.pledge_move(actor=UserFactory(), pledge=pledge, name="cancel")
    needs.pledge_move(actor=editor_of(need.organization), pledge=pledge, name="cancel")


@pytest.mark.parametrize("quantity", [0, -1, 11])
def test_a_pledge_out_of_range_is_refused_at_the_field(quantity):
    need = NeedFactory(quantity=10)
    with pytest.raises(DomainError) as caught:
        needs.pledge_create(actor=UserFactory(), need=need, quantity=quantity)
    assert "quantity" in caught.value.field_errors


@pytest.mark.parametrize(
    "change", [{"status": Need.Status.CLOSED}, {"status": Need.Status.DRAFT}, {"deadline_days": -1}]
)
def test_no_pledge_to_a_closed_draft_or_past_need(change):
    need = NeedFactory()
    if "deadline_days" in change:
        Need.objects.filter(pk=need.pk).update(
            deadline=local_today() + timedelta(days=change["deadline_days"])
        )
    else:
        Need.objects.filter(pk=need.pk).update(status=change["status"])
    with pytest.raises(InvalidTransition):
        needs.pledge_create(actor=UserFactory(), need=need, quantity=1)
    assert not Pledge.objects.exists()


def test_a_business_pledges_only_for_an_organisation_it_edits():
    need = NeedFactory()
    person = UserFactory()
    company = OrganizationFactory(kind=Organization.Kind.BUSINESS)
    with pytest.raises(DomainError) as caught:
        needs.pledge_create(actor=person, need=need, quantity=1, on_behalf=company)
    assert "on_behalf" in caught.value.field_errors
    editor_of(company, Membership.Role.MEMBER)  # a plain member may not speak for it
    mine = editor_of(company)
    pledge = needs.pledge_create(actor=mine, need=need, quantity=1, on_behalf=company)
    assert pledge.on_behalf == company


def test_the_quantity_is_never_set_below_what_is_promised():
    need = NeedFactory(quantity=10)
    editor = editor_of(need.organization)
    needs.pledge_create(actor=UserFactory(), need=need, quantity=7)
    values = {"title": need.title, "unit": need.unit, "deadline": need.deadline, "kind": need.kind}
    with pytest.raises(DomainError) as caught:
        needs.need_save(
            actor=editor, organization=need.organization, need=need, quantity=6, **values
        )
    assert "quantity" in caught.value.field_errors
    needs.need_save(actor=editor, organization=need.organization, need=need, quantity=7, **values)


def test_only_editors_write_needs_and_a_deadline_is_a_plan():
    organization = OrganizationFactory()
    values = {
        "title": "Памперсы",
        "unit": "уп.",
        "quantity": 5,
        "deadline": local_today() + timedelta(days=3),
    }
    with pytest.raises(PermissionDenied):
        needs.need_save(actor=UserFactory(), organization=organization, **values)
    with pytest.raises(DomainError) as caught:
        needs.need_save(
            actor=editor_of(organization),
            organization=organization,
            **{**values, "deadline": local_today() - timedelta(days=1)},
        )
    assert "deadline" in caught.value.field_errors
    need = needs.need_save(actor=editor_of(organization), organization=organization, **values)
    assert need.status == Need.Status.DRAFT


def test_an_unverified_organisation_cannot_publish_a_need():
    need = NeedFactory(
        status=Need.Status.DRAFT,
        organization=OrganizationFactory(status=Organization.Status.PENDING),
    )
    with pytest.raises(InvalidTransition):
        needs.need_move(actor=editor_of(need.organization), need=need, name="open")


def test_the_needs_pages_for_each_role(client):
    need = NeedFactory(title="Памперсы для центра", quantity=10)
    draft = NeedFactory(
        organization=need.organization, status=Need.Status.DRAFT, title="Черновик нужды"
    )
    listed = client.get(reverse("charity:needs")).content.decode()
    assert "Памперсы для центра" in listed
    assert "Черновик нужды" not in listed
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert login(UserFactory()).get(draft.get_absolute_url()).status_code == 404
    editor = login(editor_of(need.organization))
    assert editor.get(draft.get_absolute_url()).status_code == 200
    page = client.get(need.get_absolute_url()).content.decode()
    assert "Войдите" in page


def test_pledging_through_the_page_and_receiving_it():
    need = NeedFactory(quantity=10, unit_value=Decimal("100"))
    pledger = UserFactory(first_name="Мария")
    response = login(pledger).post(
        reverse("charity:pledge", args=[need.pk]),
        {"quantity": "3", "note": "Привезу в субботу"},
        follow=True,
    )
    assert "Спасибо!" in response.content.decode()
    pledge = Pledge.objects.get()
    editor = login(editor_of(need.organization))
    page = editor.get(need.get_absolute_url()).content.decode()
    assert "Привезу в субботу" in page
    assert pledger.email in page
    editor.post(reverse("charity:pledge_move", args=[pledge.pk]), {"move": "receive"})
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.RECEIVED
    letter = login(pledger).get(reverse("charity:pledge_letter", args=[pledge.pk]) + "?format=docx")
    assert letter.status_code == 200
    assert (
        login(UserFactory()).get(reverse("charity:pledge_letter", args=[pledge.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("quantity", ["", "0", "abc", "٣", "99999999999999999999"])
def test_a_bad_pledge_on_the_page_is_said_and_nothing_saved(quantity):
    need = NeedFactory()
    response = login(UserFactory()).post(
        reverse("charity:pledge", args=[need.pk]), {"quantity": quantity}, follow=True
    )
    assert response.status_code == 200
    assert "Укажите, сколько принесёте." in response.content.decode()
    assert not Pledge.objects.exists()


def test_a_forged_move_is_a_400_and_a_strangers_pledge_is_not_found():
    need = NeedFactory()
    pledge = needs.pledge_create(actor=UserFactory(), need=need, quantity=1)
    editor = login(editor_of(need.organization))
    assert (
        editor.post(reverse("charity:pledge_move", args=[pledge.pk]), {"move": "steal"}).status_code
        == 400
    )
    assert (
        login(UserFactory())
        .post(reverse("charity:pledge_move", args=[pledge.pk]), {"move": "cancel"})
        .status_code
        == 404
    )
