"""Spending items: the organisation's editors record, change and delete them (audited);
a receipt is private until published, item by item; the campaign page shows «how the money
was spent». Every role on every page, hostile input never a 500."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.charity.models import Campaign, SpendingItem
from dobry.charity.services import spending
from dobry.charity.tests.factories import (
    CampaignFactory,
    DonationFactory,
    SpendingItemFactory,
    charity_ready,
    editor_of,
)
from dobry.core.clock import local_today
from dobry.core.errors import DomainError
from dobry.core.errors import PermissionDenied as DomainPermissionDenied
from dobry.core.models import AuditEntry
from dobry.organizations.models import Membership, Organization

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 receipt"


def pdf(name: str = "chek.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def record(editor, campaign, **values) -> SpendingItem:
    defaults = {
        "spent_on": local_today(),
        "amount": Decimal("1500"),
        "description": "Вертикализатор",
        "campaign": campaign,
    }
    return spending.spending_create(
        actor=editor, organization=campaign.organization, **{**defaults, **values}
    )


def _read(client, item) -> int:
    """The status of a download of the item's receipt (its content read whole, which
    closes the file)."""
    response = client.get(f"/files/charity.spendingitem.receipt/{item.pk}/")
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF
    return response.status_code


# --- services ---------------------------------------------------------------------------


def test_an_editor_records_an_item_with_a_private_receipt_and_it_is_audited():
    campaign, editor = charity_ready()
    item = record(editor, campaign, receipt=pdf(), purpose=SpendingItem.Purpose.SERVICES)
    assert (item.amount, item.purpose, item.receipt_name) == (
        Decimal("1500"),
        "services",
        "chek.pdf",
    )
    assert not item.receipt_published
    assert item.receipt.name.startswith("charity/receipts/")
    entry = AuditEntry.objects.get(action="charity.spending_create")
    assert (entry.actor, entry.object_id) == (editor, str(item.pk))


@pytest.mark.parametrize("role", [None, Membership.Role.MEMBER])
def test_only_owners_and_editors_record_spending(role):
    campaign, _editor = charity_ready()
    person = editor_of(campaign.organization, role) if role else UserFactory()
    with pytest.raises(DomainPermissionDenied):
        record(person, campaign)
    assert not SpendingItem.objects.exists()


def test_the_owner_records_too():
    campaign, _editor = charity_ready()
    owner = editor_of(campaign.organization, Membership.Role.OWNER)
    assert record(owner, campaign).created_by == owner


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"amount": Decimal("0")}, "amount"),
        ({"amount": Decimal("-5")}, "amount"),
        ({"amount": Decimal("1000000000.01")}, "amount"),
        ({"spent_on": local_today() + timedelta(days=1)}, "spent_on"),
        ({"description": "   "}, "description"),
        ({"purpose": "bribes"}, "purpose"),
    ],
)
def test_meaningless_values_are_refused_at_their_field(values, field):
    campaign, editor = charity_ready()
    with pytest.raises(DomainError) as refused:
        record(editor, campaign, **values)
    assert field in refused.value.field_errors
    assert not SpendingItem.objects.exists()


def test_a_campaign_of_another_organisation_or_a_draft_is_refused():
    campaign, editor = charity_ready()
    with pytest.raises(DomainError) as other:
        spending.spending_create(
            actor=editor,
            organization=campaign.organization,
            campaign=CampaignFactory(),
            spent_on=local_today(),
            amount=Decimal(1),
            description="x",
        )
    assert "campaign" in other.value.field_errors
    draft = CampaignFactory(organization=campaign.organization, status=Campaign.Status.DRAFT)
    with pytest.raises(DomainError):
        record(editor, draft)


def test_a_disguised_receipt_is_refused_and_nothing_is_stored():
    campaign, editor = charity_ready()
    fake = SimpleUploadedFile("chek.pdf", b"<html><script>1</script>", "application/pdf")
    with pytest.raises(DomainError) as refused:
        record(editor, campaign, receipt=fake)
    assert "receipt" in refused.value.field_errors
    assert not SpendingItem.objects.exists()


def test_editing_changes_values_and_a_new_file_is_private_again(
    django_capture_on_commit_callbacks,
):
    campaign, editor = charity_ready()
    item = record(editor, campaign, receipt=pdf())
    spending.spending_publish_receipt(actor=editor, item=item, publish=True)
    item.refresh_from_db()
    old = item.receipt.name
    with django_capture_on_commit_callbacks(execute=True):
        spending.spending_edit(
            actor=editor,
            item=item,
            spent_on=local_today() - timedelta(days=3),
            amount=Decimal("99.50"),
            purpose="admin",
            description="  Аренда   офиса ",
            campaign=None,
            receipt=pdf("akt.pdf"),
        )
    item.refresh_from_db()
    assert (item.amount, item.purpose, item.description, item.campaign) == (
        Decimal("99.50"),
        "admin",
        "Аренда офиса",
        None,
    )
    assert (item.receipt_name, item.receipt_published) == ("akt.pdf", False)
    assert not storages["private"].exists(old)
    assert AuditEntry.objects.filter(action="charity.spending_edit").count() == 1


def test_deleting_an_item_deletes_its_receipt(django_capture_on_commit_callbacks):
    campaign, editor = charity_ready()
    item = record(editor, campaign, receipt=pdf())
    name = item.receipt.name
    with django_capture_on_commit_callbacks(execute=True):
        spending.spending_delete(actor=editor, item=item)
    assert not SpendingItem.objects.exists()
    assert not storages["private"].exists(name)
    entry = AuditEntry.objects.get(action="charity.spending_delete")
    assert entry.data["description"] == "Вертикализатор"


def test_publishing_needs_a_receipt_and_an_editor():
    campaign, editor = charity_ready()
    item = record(editor, campaign)
    with pytest.raises(DomainError):
        spending.spending_publish_receipt(actor=editor, item=item, publish=True)
    spending.spending_attach_receipt(actor=editor, item=item, receipt=pdf())
    with pytest.raises(DomainPermissionDenied):
        spending.spending_publish_receipt(actor=UserFactory(), item=item, publish=True)
    spending.spending_publish_receipt(actor=editor, item=item, publish=True)
    item.refresh_from_db()
    assert item.receipt_published
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"charity.spending_receipt", "charity.spending_publish"} <= actions


# --- the receipt access matrix ---------------------------------------------------------------


@pytest.fixture
def receipt():
    campaign, editor = charity_ready()
    item = record(editor, campaign, receipt=pdf())
    return item, editor


def _people(item, editor):
    organization = item.organization
    return {
        "anonymous": None,
        "outsider": UserFactory(),
        "member": editor_of(organization, Membership.Role.MEMBER),
        "coordinator": UserFactory(is_coordinator=True),
        "editor": editor,
        "editor of another organisation": editor_of(CampaignFactory().organization),
    }


# (who, before publishing, after publishing): 200 read, 404 refused, 302 asked to sign in
MATRIX = {
    "anonymous": (302, 200),
    "outsider": (404, 200),
    "member": (404, 200),
    "coordinator": (404, 200),
    "editor": (200, 200),
    "editor of another organisation": (404, 200),
}


def _client(client, person):
    return client if person is None else login(person)


def test_a_receipt_is_read_by_the_editors_until_published_then_by_anyone(client, receipt):
    item, editor = receipt
    people = _people(item, editor)
    before = {who: _read(_client(client, p), item) for who, p in people.items()}
    spending.spending_publish_receipt(actor=editor, item=item, publish=True)
    after = {who: _read(_client(client, p), item) for who, p in people.items()}
    assert {who: (before[who], after[who]) for who in people} == MATRIX


def test_unpublishing_closes_the_receipt_again(client, receipt):
    item, editor = receipt
    spending.spending_publish_receipt(actor=editor, item=item, publish=True)
    assert _read(client, item) == 200
    spending.spending_publish_receipt(actor=editor, item=item, publish=False)
    assert _read(login(UserFactory()), item) == 404
    assert _read(login(editor), item) == 200


def test_a_published_receipt_of_an_unverified_organisation_stays_closed(client, receipt):
    item, editor = receipt
    spending.spending_publish_receipt(actor=editor, item=item, publish=True)
    Organization.objects.filter(pk=item.organization_id).update(status=Organization.Status.PENDING)
    assert _read(login(UserFactory()), item) == 404
    assert _read(login(editor), item) == 200


# --- pages -------------------------------------------------------------------------------


def test_the_campaign_page_shows_received_against_spent_and_published_receipts_only(client):
    campaign, editor = charity_ready()
    DonationFactory(campaign=campaign, amount=Decimal("5000"))
    shown = record(editor, campaign, receipt=pdf(), description="Тренажёр", amount=Decimal(3000))
    hidden = record(editor, campaign, receipt=pdf(), description="Доставка", amount=Decimal(500))
    spending.spending_publish_receipt(actor=editor, item=shown, publish=True)
    html = client.get(campaign.get_absolute_url()).content.decode()
    assert "Как потрачены деньги" in html
    assert "Получено 5\u00a0000 ₽, потрачено 3\u00a0500 ₽." in html
    assert "Тренажёр" in html
    assert "Доставка" in html
    assert f'href="/files/charity.spendingitem.receipt/{shown.pk}/"' in html
    assert f"/files/charity.spendingitem.receipt/{hidden.pk}/" not in html
    own = login(editor).get(campaign.get_absolute_url()).content.decode()
    assert f'href="/files/charity.spendingitem.receipt/{hidden.pk}/"' in own


def test_a_campaign_without_spending_says_so(client):
    campaign, _editor = charity_ready()
    assert (
        "ещё не отчиталась о расходах" in client.get(campaign.get_absolute_url()).content.decode()
    )


PAGES = [
    "/donate/organization/{org}/spending/",
    "/donate/spending/{item}/edit/",
]


@pytest.mark.parametrize("path", PAGES)
def test_desk_spending_pages_for_each_role(client, path):
    campaign, editor = charity_ready()
    item = record(editor, campaign)
    url = path.format(org=campaign.organization_id, item=item.pk)
    assert client.get(url).status_code == 302
    for person in (
        UserFactory(),
        UserFactory(is_coordinator=True),
        editor_of(campaign.organization, Membership.Role.MEMBER),
    ):
        assert login(person).get(url).status_code == 403, person
    assert login(editor).get(url).status_code == 200


@pytest.mark.parametrize(
    "path", ["/donate/spending/{item}/delete/", "/donate/spending/{item}/publish/"]
)
def test_desk_spending_actions_for_each_role(client, path):
    campaign, editor = charity_ready()
    item = record(editor, campaign, receipt=pdf())
    url = path.format(item=item.pk)
    assert client.post(url, {"publish": "1"}).status_code == 302
    assert client.post(url, {"publish": "1"})["Location"].startswith("/accounts/login/")
    for person in (UserFactory(), editor_of(campaign.organization, Membership.Role.MEMBER)):
        assert login(person).post(url, {"publish": "1"}).status_code == 403
    item.refresh_from_db()
    assert not item.receipt_published
    assert login(editor).get(url).status_code == 405


def test_the_editor_records_edits_publishes_and_deletes_through_the_pages():
    campaign, editor = charity_ready()
    client = login(editor)
    url = f"/donate/organization/{campaign.organization_id}/spending/"
    response = client.post(
        url,
        {
            "spent_on": local_today().isoformat(),
            "amount": "2500.50",
            "purpose": "goods",
            "description": "Коляска",
            "campaign": campaign.pk,
            "receipt": pdf("Чек.pdf"),
        },
    )
    assert response.status_code == 302
    item = SpendingItem.objects.get()
    assert (item.amount, item.receipt_name, item.campaign) == (
        Decimal("2500.50"),
        "Чек.pdf",
        campaign,
    )
    page = client.get(url).content.decode()
    assert "Коляска" in page
    assert "Опубликовать документ" in page
    client.post(f"/donate/spending/{item.pk}/publish/", {"publish": "1"})
    item.refresh_from_db()
    assert item.receipt_published
    edit = client.post(
        f"/donate/spending/{item.pk}/edit/",
        {
            "spent_on": local_today().isoformat(),
            "amount": "2600",
            "purpose": "goods",
            "description": "Коляска прогулочная",
            "campaign": campaign.pk,
        },
    )
    assert edit.status_code == 302
    item.refresh_from_db()
    assert (item.amount, item.receipt_published) == (Decimal("2600"), True)
    client.post(f"/donate/spending/{item.pk}/delete/")
    assert not SpendingItem.objects.exists()


HOSTILE = [
    {"amount": "1e400"},
    {"amount": "-1"},
    {"amount": "١٠٠"},
    {"spent_on": "9999-12-31"},
    {"spent_on": "0001-01-01"},
    {"spent_on": "2026-02-30"},
    {"description": "x\x00y"},
    {"description": "x" * 5000},
    {"description": "строка\nвторая"},
    {"purpose": "'\"<>"},
    {"campaign": "9223372036854775808"},
    {"campaign": "abc"},
]


@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda h: repr(h)[:40])
def test_hostile_input_is_refused_at_the_field_never_a_500(hostile):
    campaign, editor = charity_ready()
    data = {
        "spent_on": local_today().isoformat(),
        "amount": "10",
        "purpose": "goods",
        "description": "Коляска",
        "campaign": campaign.pk,
        **hostile,
    }
    client = login(editor)
    created = client.post(f"/donate/organization/{campaign.organization_id}/spending/", data)
    assert created.status_code == 200
    assert "error-summary" in created.content.decode()
    item = SpendingItemFactory(campaign=campaign)
    edited = client.post(f"/donate/spending/{item.pk}/edit/", data)
    assert edited.status_code == 200
    assert "error-summary" in edited.content.decode()
    assert SpendingItem.objects.count() == 1


@pytest.mark.parametrize("value", ["2", "", "x", "\x00"])
def test_a_forged_publish_value_is_a_400(value):
    campaign, editor = charity_ready()
    item = record(editor, campaign, receipt=pdf())
    assert (
        login(editor).post(f"/donate/spending/{item.pk}/publish/", {"publish": value}).status_code
        == 400
    )
    item.refresh_from_db()
    assert not item.receipt_published


def test_publishing_without_a_receipt_is_a_message_not_an_error():
    campaign, editor = charity_ready()
    item = record(editor, campaign)
    response = login(editor).post(
        f"/donate/spending/{item.pk}/publish/", {"publish": "1"}, follow=True
    )
    assert "Сначала приложите документ" in response.content.decode()
