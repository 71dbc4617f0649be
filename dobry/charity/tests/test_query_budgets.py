"""Each charity list costs the same number of queries for one row and for many: the
catalogue, the needs, a campaign's page, the desk's lists."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.charity.services import needs, statements
from dobry.charity.tests.factories import (
    CampaignFactory,
    DonationFactory,
    NeedFactory,
    charity_ready,
)

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_catalogue_and_the_needs(client):
    campaign, _editor = charity_ready()
    NeedFactory(organization=campaign.organization)
    few = (queries(client, "/donate/"), queries(client, "/donate/needs/"))
    for _ in range(6):
        more, _ = charity_ready()
        DonationFactory(campaign=more, amount=Decimal(5), donor_key=f"k{more.pk}")
        NeedFactory(organization=more.organization)
    assert (queries(client, "/donate/"), queries(client, "/donate/needs/")) == few


def test_a_campaigns_page_with_many_donations_and_updates(client):
    campaign, editor = charity_ready()
    DonationFactory(campaign=campaign, donor_key="a")
    few = queries(client, campaign.get_absolute_url())
    for n in range(12):
        DonationFactory(
            campaign=campaign, donor_key=f"d{n}", donor_name=f"Даритель {n}", is_anonymous=False
        )
        campaign.updates.create(text=f"Новость {n}", author=editor)
    assert queries(client, campaign.get_absolute_url()) == few


def test_the_desk_lists():
    campaign, editor = charity_ready()
    client = login(editor)
    organization = campaign.organization
    urls = [
        f"/donate/organization/{organization.pk}/",
        f"/donate/organization/{organization.pk}/donations/",
        f"/donate/organization/{organization.pk}/statements/",
        f"/donate/organization/{organization.pk}/queue/",
    ]

    def grow(n: int) -> None:
        CampaignFactory(organization=organization)
        DonationFactory(campaign=campaign, donor=UserFactory(), donor_key=f"u{n}")
        content = f"Дата;Сумма;Плательщик\n10.11.2026;{100 + n};Плательщик {n}\n".encode()
        statement = statements.statement_upload(
            actor=editor, organization=organization, upload=SimpleUploadedFile(f"{n}.csv", content)
        )
        statements.statement_commit(actor=editor, statement=statement)
        need = NeedFactory(organization=organization)
        needs.pledge_create(actor=UserFactory(), need=need, quantity=1)

    grow(0)
    few = [queries(client, url) for url in urls]
    for n in range(1, 8):
        grow(n)
    assert [queries(client, url) for url in urls] == few


def test_a_needs_page_for_its_editor_with_many_pledges():
    need = NeedFactory(quantity=100)
    from dobry.charity.tests.factories import editor_of

    client = login(editor_of(need.organization))
    needs.pledge_create(actor=UserFactory(), need=need, quantity=1)
    few = queries(client, need.get_absolute_url())
    for _ in range(10):
        needs.pledge_create(actor=UserFactory(), need=need, quantity=1)
    assert queries(client, need.get_absolute_url()) == few
