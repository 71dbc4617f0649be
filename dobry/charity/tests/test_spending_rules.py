"""The spending rules themselves (`charity.permissions`): the list form `visible_spending`
agrees with `can_view_spending` for every role and state; who reads a receipt, who
publishes it; the desk's list costs the same for many items; the pages in English; the API's
hostile changes change nothing."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.charity import permissions
from dobry.charity.models import Campaign, SpendingItem
from dobry.charity.services import spending
from dobry.charity.tests.factories import (
    CampaignFactory,
    SpendingItemFactory,
    charity_ready,
    editor_of,
)
from dobry.core.clock import local_today
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 receipt"


def pdf(name: str = "chek.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def everyone(coordinator, official):
    organization = OrganizationFactory()
    return organization, {
        "anonymous": AnonymousUser(),
        "outsider": UserFactory(),
        "coordinator": coordinator,
        "official": official,
        "owner": editor_of(organization, Membership.Role.OWNER),
        "editor": editor_of(organization),
        "member": editor_of(organization, Membership.Role.MEMBER),
    }


def _items(organization: Organization) -> list[SpendingItem]:
    """Items of every state: each campaign status, none, and other organisations' of every
    status, with a receipt published or not."""
    items = [
        SpendingItemFactory(campaign=CampaignFactory(organization=organization, status=status))
        for status in Campaign.Status.values
    ]
    items.append(SpendingItemFactory(campaign=None, organization=organization))
    for status in Organization.Status.values:
        other = OrganizationFactory(status=status)
        items.append(SpendingItemFactory(campaign=None, organization=other))
        items.append(SpendingItemFactory(campaign=CampaignFactory(organization=other)))
    return items


def test_the_list_form_agrees_with_the_items_own_rule(everyone):
    organization, users = everyone
    items = _items(organization)
    pks = [item.pk for item in items]
    for name, user in users.items():
        listed = set(
            permissions.visible_spending(user).filter(pk__in=pks).values_list("pk", flat=True)
        )
        allowed = {item.pk for item in items if permissions.can_view_spending(user, item)}
        assert listed == allowed, name


def test_an_unverified_organisations_items_are_seen_by_its_editors_only(everyone):
    organization, users = everyone
    Organization.objects.filter(pk=organization.pk).update(status=Organization.Status.PENDING)
    organization.refresh_from_db()
    item = SpendingItemFactory(campaign=None, organization=organization)
    seen = {name for name, user in users.items() if permissions.can_view_spending(user, item)}
    assert seen == {"owner", "editor"}


@pytest.mark.parametrize("published", [False, True])
def test_who_reads_a_receipt(everyone, published):
    organization, users = everyone
    Organization.objects.filter(pk=organization.pk).update(status=Organization.Status.VERIFIED)
    organization.refresh_from_db()
    item = SpendingItemFactory(
        campaign=None, organization=organization, receipt=pdf(), receipt_published=published
    )
    readers = {name for name, user in users.items() if permissions.can_read_receipt(user, item)}
    assert readers == (set(users) if published else {"owner", "editor"})


def test_who_publishes_a_receipt(everyone):
    organization, users = everyone
    with_file = SpendingItemFactory(campaign=None, organization=organization, receipt=pdf())
    without = SpendingItemFactory(campaign=None, organization=organization)
    allowed = {n for n, u in users.items() if permissions.can_publish_receipt(u, with_file)}
    assert allowed == {"owner", "editor"}
    refusal = permissions.can_publish_receipt(users["editor"], without)
    assert (refusal.allowed, refusal.not_now) == (False, True)
    assert not permissions.can_publish_receipt(users["member"], without).not_now


def test_a_published_receipt_cannot_lose_its_file():
    """The database refuses a published receipt without a file (a check constraint)."""
    from django.db import IntegrityError, transaction

    item = SpendingItemFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SpendingItem.objects.filter(pk=item.pk).update(receipt_published=True)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_desk_list_costs_the_same_for_one_item_and_many():
    campaign, editor = charity_ready()
    client = login(editor)
    url = f"/donate/organization/{campaign.organization_id}/spending/"
    SpendingItemFactory(campaign=campaign, receipt=pdf())
    few = _queries(client, url)
    for n in range(10):
        SpendingItemFactory(
            campaign=campaign if n % 2 else None, organization=campaign.organization, receipt=pdf()
        )
    assert _queries(client, url) == few


def test_the_pages_speak_english_when_asked(client):
    campaign, _editor = charity_ready()
    SpendingItemFactory(campaign=campaign, purpose="admin")
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    year = local_today().year
    page = client.get(campaign.get_absolute_url(), **english).content.decode()
    assert "How the money was spent" in page
    report = client.get(
        f"/donate/organization/{campaign.organization_id}/report/{year}/", **english
    ).content.decode()
    assert f"Report on charitable activity for {year}" in report
    assert "administrative costs" in report


PATCHES = [
    {"amount": "0"},
    {"amount": "-3"},
    {"spent_on": "2999-01-01"},
    {"description": ""},
    {"description": "x\ny"},
    {"purpose": "x"},
    {"campaign": 0},
    {"spent_on": None},
    {"amount": None},
]


@pytest.mark.parametrize("body", PATCHES, ids=repr)
def test_a_hostile_patch_changes_nothing(body):
    campaign, editor = charity_ready()
    item = SpendingItemFactory(campaign=campaign, amount=Decimal("77"))
    response = login(editor).patch(
        f"/api/v1/spending/{item.pk}", body, content_type="application/json"
    )
    assert response.status_code in (400, 422), response.content
    item.refresh_from_db()
    assert (item.amount, item.campaign) == (Decimal("77"), campaign)


def test_deleting_by_api_deletes_the_receipt(django_capture_on_commit_callbacks):
    campaign, editor = charity_ready()
    item = spending.spending_create(
        actor=editor,
        organization=campaign.organization,
        campaign=campaign,
        spent_on=local_today(),
        amount=Decimal(5),
        description="x",
        receipt=pdf(),
    )
    name = item.receipt.name
    with django_capture_on_commit_callbacks(execute=True):
        assert login(editor).delete(f"/api/v1/spending/{item.pk}").status_code == 204
    assert not storages["private"].exists(name)


def test_an_unknown_organisation_or_hidden_campaign_in_the_filter_is_a_422_naming_it(client):
    draft = CampaignFactory(status=Campaign.Status.DRAFT)
    unknown = client.get("/api/v1/spending?organization=987654321")
    assert unknown.status_code == 422
    assert "organization" in unknown.json()["errors"]
    hidden = client.get(f"/api/v1/spending?campaign={draft.pk}")
    assert hidden.status_code == 422
    assert "campaign" in hidden.json()["errors"]
    editor = editor_of(draft.organization)
    assert login(editor).get(f"/api/v1/spending?campaign={draft.pk}").status_code == 200


def test_the_list_is_paged(client):
    campaign, _editor = charity_ready()
    for _ in range(3):
        SpendingItemFactory(campaign=campaign)
    page = client.get("/api/v1/spending?page_size=2&page=2").json()
    assert (page["count"], len(page["items"])) == (3, 1)


@pytest.mark.parametrize(
    ("donors", "words"),
    [(1, "от 1 жертвователя."), (2, "от 2 жертвователей."), (21, "от 21 жертвователя.")],
)
def test_the_reports_summary_counts_donors_in_russian(donors, words):
    from dobry.charity.public_report import ReceivedLine, YearReport
    from dobry.charity.report_documents import _summary

    organization = OrganizationFactory(inn="2452000111", ogrn="")
    report = YearReport(organization=organization, year=2025, donors=donors)
    report.received.append(ReceivedLine(None, Decimal("1000"), donors))
    lines = _summary(report)
    assert lines[1] == "ИНН 2452000111, ОГРН —"
    assert lines[2].endswith(words)
    assert "административные расходы — 0 %" in lines[4]
