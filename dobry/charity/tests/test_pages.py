"""The charity pages as each role sees them: the public catalogue and campaign with its QR
code (a chosen sum without JavaScript), the organisation's desk, statements from upload to
the queue, the donor's own pages."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
import zxingcpp
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.charity.models import BankDetails, Campaign, Donation, StatementEntry
from dobry.charity.payment_qr import parse_payload
from dobry.charity.tests.factories import (
    ACCOUNT,
    BIC,
    CORRESPONDENT,
    CampaignFactory,
    DonationFactory,
    charity_ready,
    editor_of,
)
from dobry.organizations.models import Organization
from dobry.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

SAMPLE = (Path(__file__).parent / "data" / "statement-1c.cp1251").read_bytes()


def decoded(response) -> dict[str, str]:
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))
    return parse_payload(found[0].text)


def test_the_catalogue_shows_collecting_campaigns_of_verified_organisations(client):
    shown, _editor = charity_ready(title="Тренажёры для центра")
    CampaignFactory(
        title="Черновик сбора", organization=shown.organization, status=Campaign.Status.DRAFT
    )
    returned = OrganizationFactory(status=Organization.Status.RETURNED)
    CampaignFactory(title="Сбор скрытой организации", organization=returned)
    DonationFactory(campaign=shown, amount=Decimal("2500"))
    page = client.get(reverse("charity:catalogue")).content.decode()
    assert "Тренажёры для центра" in page
    assert "Черновик сбора" not in page
    assert "Сбор скрытой организации" not in page
    assert "Собрано 2\u00a0500 ₽ из 100\u00a0000 ₽" in page, page[page.find("campaign-progress") :][
        :600
    ]


@pytest.mark.parametrize(
    "query",
    ["?show=nonsense", "?organization=%D9%A3", "?area=moon", "?district=99999999999999999999"],
)
def test_catalogue_filters_refuse_bad_values_with_400(client, query):
    assert client.get(reverse("charity:catalogue") + query).status_code == 400


def test_the_campaign_page_and_its_qr_code_carry_the_chosen_sum(client):
    campaign, _editor = charity_ready()
    page = client.get(campaign.get_absolute_url() + "?sum=750").content.decode()
    assert f"{reverse('charity:campaign_qr', args=[campaign.pk])}?sum=750.00" in page
    assert campaign.code in page
    pairs = decoded(
        client.get(reverse("charity:campaign_qr", args=[campaign.pk]) + "?sum=750&format=png")
    )
    assert pairs["Sum"] == "75000"
    assert pairs["PersonalAcc"] == ACCOUNT
    assert pairs["Purpose"].startswith(f"Пожертвование {campaign.code}:")


def test_a_bad_sum_is_said_at_the_field_and_the_qr_has_no_sum(client):
    campaign, _editor = charity_ready()
    page = client.get(campaign.get_absolute_url() + "?sum=-5").content.decode()
    assert "Убедитесь, что это значение больше либо равно 1." in page
    assert "?sum=" not in page.split("payment-qr")[1].split(">")[0]
    qr = client.get(reverse("charity:campaign_qr", args=[campaign.pk]) + "?sum=abc")
    assert qr.status_code == 400


def test_a_signed_in_donor_gets_a_personal_code_in_the_qr(client):
    campaign, _editor = charity_ready()
    donor = UserFactory()
    pairs = decoded(
        login(donor).get(reverse("charity:campaign_qr", args=[campaign.pk]) + "?format=png")
    )
    assert pairs["Purpose"].startswith(f"Пожертвование {campaign.code}-")
    again = decoded(
        login(donor).get(reverse("charity:campaign_qr", args=[campaign.pk]) + "?format=png")
    )
    assert again["Purpose"] == pairs["Purpose"]  # one code per donor and campaign


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member"])
def test_a_draft_campaign_is_hidden_from_all_but_its_editors(client, who):
    campaign, editor = charity_ready(status=Campaign.Status.DRAFT)
    viewer = {
        "anonymous": client,
        "outsider": login(UserFactory()),
        "member": login(editor_of(campaign.organization, "member")),
    }[who]
    assert viewer.get(campaign.get_absolute_url()).status_code == 404
    assert viewer.get(reverse("charity:campaign_qr", args=[campaign.pk])).status_code == 404
    assert login(editor).get(campaign.get_absolute_url()).status_code == 200


DESK_PAGES = [
    "charity:desk",
    "charity:bank_details",
    "charity:campaign_create",
    "charity:donations",
    "charity:statements",
    "charity:queue",
]


@pytest.mark.parametrize("name", DESK_PAGES)
def test_the_desk_is_the_organisations_editors_only(client, name):
    campaign, editor = charity_ready()
    url = reverse(name, args=[campaign.organization_id])
    assert client.get(url).status_code == 302  # to the login
    assert login(UserFactory()).get(url).status_code == 403
    assert login(editor_of(campaign.organization, "member")).get(url).status_code == 403
    assert login(editor).get(url).status_code == 200


def test_bank_details_with_a_wrong_key_are_refused_at_the_field():
    organization = OrganizationFactory()
    editor = editor_of(organization)
    data = {
        "payee_name": organization.name, "inn": organization.inn, "kpp": "245201001",
        "account": ACCOUNT[:-1] + "9", "bank_name": "Сбербанк", "bic": BIC, "correspondent_account": CORRESPONDENT,
    }  # fmt: skip
    response = login(editor).post(reverse("charity:bank_details", args=[organization.pk]), data)
    assert response.status_code == 200
    assert "Номер счёта не сходится с БИК" in response.content.decode()
    assert not BankDetails.objects.exists()
    data["account"] = ACCOUNT
    response = login(editor).post(reverse("charity:bank_details", args=[organization.pk]), data)
    assert response.status_code == 302
    assert BankDetails.objects.get().account == ACCOUNT


def test_a_campaign_is_created_as_a_draft_and_started_with_bank_details():
    organization = OrganizationFactory()
    editor = login(editor_of(organization))
    data = {
        "title": "Коляски",
        "purpose": "Две коляски для центра",
        "goal": "80 000",
        "deadline": "2100-01-01",
    }
    response = editor.post(reverse("charity:campaign_create", args=[organization.pk]), data)
    campaign = Campaign.objects.get()
    assert response.url == campaign.get_absolute_url()
    assert (campaign.status, campaign.goal) == (Campaign.Status.DRAFT, Decimal("80000"))
    response = editor.post(
        reverse("charity:campaign_move", args=[campaign.pk]), {"move": "publish"}, follow=True
    )
    assert "Сначала укажите банковские реквизиты" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_an_unverified_organisation_cannot_start_a_campaign():
    organization = OrganizationFactory(status=Organization.Status.PENDING)
    editor = login(editor_of(organization))
    data = {"title": "Коляски", "purpose": "Две коляски", "goal": "1000", "deadline": "2100-01-01"}
    response = editor.post(reverse("charity:campaign_create", args=[organization.pk]), data)
    assert (
        "Сборы открывают организации, проверенные ресурсным центром." in response.content.decode()
    )
    assert not Campaign.objects.exists()
    # The page says so before anything is typed, instead of a form the service refuses.
    page = editor.get(reverse("charity:campaign_create", args=[organization.pk]))
    html = page.content.decode()
    assert "Сборы открывают организации, проверенные ресурсным центром." in html
    assert 'name="title"' not in html
    organization.status = Organization.Status.VERIFIED
    organization.save()
    page = editor.get(reverse("charity:campaign_create", args=[organization.pk]))
    assert 'name="title"' in page.content.decode()


def test_statement_upload_preview_commit_and_queue_through_the_pages():
    campaign, editor = charity_ready()
    client = login(editor)
    text = SAMPLE.decode("cp1251").replace("DG-1-K7QX", "без кода")
    content = text.replace("DG-1.", f"{campaign.code}.").encode("cp1251")
    response = client.post(
        reverse("charity:statements", args=[campaign.organization_id]),
        {"file": SimpleUploadedFile("kl_to_1c.txt", content)},
    )
    preview = client.get(response.url).content.decode()
    assert "Поступлений: 3; новых: 3, из них со сборами сопоставлено 1" in preview
    statement_pk = int(response.url.rstrip("/").rsplit("/", 1)[1])
    response = client.post(
        reverse("charity:statement_move", args=[statement_pk]), {"move": "commit"}, follow=True
    )
    page = response.content.decode()
    assert "Записано платежей: 3, уже были загружены: 0, сопоставлено со сборами: 1." in page
    assert "ООО &quot;Сибирский сувенир&quot;" in page
    entry = (
        StatementEntry.objects.filter(status=StatementEntry.Status.UNMATCHED).order_by("pk").first()
    )
    client.post(
        reverse("charity:entry_move", args=[entry.pk]), {"move": "assign", "campaign": campaign.pk}
    )
    assert Donation.objects.filter(campaign=campaign).count() == 2


def test_someone_elses_statement_and_entry_are_not_found():
    campaign, editor = charity_ready()
    other, _other_editor = charity_ready()
    content = SAMPLE
    login(editor).post(
        reverse("charity:statements", args=[campaign.organization_id]),
        {"file": SimpleUploadedFile("k.txt", content)},
    )
    from dobry.charity.models import StatementImport

    statement = StatementImport.objects.get()
    stranger = login(editor_of(other.organization))
    assert stranger.get(reverse("charity:statement", args=[statement.pk])).status_code == 404
    assert (
        stranger.post(
            reverse("charity:statement_move", args=[statement.pk]), {"move": "commit"}
        ).status_code
        == 404
    )


def test_the_donor_sees_their_donations_letters_and_tax_statement():
    campaign, _editor = charity_ready(title="Тренажёры")
    donor = UserFactory(first_name="Мария", last_name="Соколова")
    donation = DonationFactory(campaign=campaign, donor=donor, amount=Decimal("1500"))
    client = login(donor)
    assert "Тренажёры" in client.get(reverse("charity:mine")).content.decode()
    letter = client.get(reverse("charity:letter", args=[donation.pk])).content.decode()
    assert "1\u00a0500\u00a0₽" in letter
    docx = client.get(reverse("charity:letter", args=[donation.pk]) + "?format=docx")
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    year = donation.received_on.year
    statement = client.get(reverse("charity:tax_statement") + f"?year={year}").content.decode()
    assert "статьи 219 НК РФ" in statement
    assert campaign.organization.inn in statement
    assert client.get(reverse("charity:tax_statement") + "?year=1995").status_code == 404
    assert (
        login(UserFactory()).get(reverse("charity:letter", args=[donation.pk])).status_code == 404
    )
