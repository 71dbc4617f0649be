"""Hostile input for every charity form on its page: the page is shown again with the error
at the field (or, for a button's form, a message) and what was typed, nothing is saved, and
nothing is a 500 — huge and negative sums, kopecks that do not fit, other scripts' digits,
control characters, other organisations' ids, pictures that are not pictures."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.charity.models import (
    BankDetails,
    Campaign,
    CampaignUpdate,
    Donation,
    Need,
    Pledge,
    StatementImport,
)
from dobry.charity.tests.factories import (
    ACCOUNT,
    BIC,
    CORRESPONDENT,
    CampaignFactory,
    NeedFactory,
    charity_ready,
    editor_of,
)
from dobry.core.clock import local_today
from dobry.events.tests.factories import EventFactory
from dobry.helprequests.tests.factories import ProgrammeFactory
from dobry.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _png(size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    return SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png")


def _field_refused(response, field):
    assert response.status_code == 200, response.status_code
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert "error-summary" in response.content.decode()


# ---------------------------------------------------------------- the campaign form

CAMPAIGN = {"title": "Коляски", "purpose": "Две коляски", "goal": "80000"}


def _campaign_data(**changes):
    deadline = (local_today() + timedelta(days=30)).isoformat()
    return {**CAMPAIGN, "deadline": deadline, **changes}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"goal": "-100"}, "goal"),
        ({"goal": "0"}, "goal"),
        ({"goal": "1000000000,01"}, "goal"),
        ({"goal": "99999999999999999999"}, "goal"),
        ({"goal": "100,001"}, "goal"),
        ({"goal": "NaN"}, "goal"),
        ({"goal": "1e5"}, "goal"),
        ({"goal": "١٠٠"}, "goal"),
        ({"deadline": "9999-12-31"}, "deadline"),
        ({"deadline": "0001-01-01"}, "deadline"),
        ({"deadline": "31.02.2030"}, "deadline"),
        ({"deadline": "завтра"}, "deadline"),
        ({"title": "Коляски\x07"}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"purpose": ""}, "purpose"),
        ({"area": "space"}, "area"),
        ({"district": "999999"}, "district"),
        ({"programme": "abc"}, "programme"),
        ({"cover_alt": "a" * 301}, "cover_alt"),
    ],
)
def test_a_hostile_new_campaign_is_refused_at_its_field(changes, field):
    organization = OrganizationFactory()
    response = login(editor_of(organization)).post(
        reverse("charity:campaign_create", args=[organization.pk]), _campaign_data(**changes)
    )
    _field_refused(response, field)
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("link", ["programme", "event"])
def test_another_organisations_programme_or_event_is_no_choice(link):
    organization = OrganizationFactory()
    foreign = ProgrammeFactory() if link == "programme" else EventFactory()
    response = login(editor_of(organization)).post(
        reverse("charity:campaign_create", args=[organization.pk]),
        _campaign_data(**{link: foreign.pk}),
    )
    _field_refused(response, link)
    assert not Campaign.objects.exists()


def test_what_was_typed_is_shown_again_with_the_error():
    organization = OrganizationFactory()
    response = login(editor_of(organization)).post(
        reverse("charity:campaign_create", args=[organization.pk]),
        _campaign_data(title="Коляски для Анны", goal="-5"),
    )
    page = response.content.decode()
    assert 'value="Коляски для Анны"' in page
    assert 'value="-5"' in page


def test_a_cover_that_is_not_a_picture_or_has_no_description_is_refused():
    organization = OrganizationFactory()
    client = login(editor_of(organization))
    url = reverse("charity:campaign_create", args=[organization.pk])
    fake = SimpleUploadedFile("cover.png", b"\x89PNG\r\n\x1a\nnot a picture", "image/png")
    _field_refused(client.post(url, {**_campaign_data(cover_alt="x"), "cover": fake}), "cover")
    _field_refused(client.post(url, {**_campaign_data(), "cover": _png()}), "cover_alt")
    assert not Campaign.objects.exists()


def test_a_described_cover_is_kept_under_a_name_of_its_own():
    organization = OrganizationFactory()
    response = login(editor_of(organization)).post(
        reverse("charity:campaign_create", args=[organization.pk]),
        {**_campaign_data(cover_alt="Две коляски у входа"), "cover": _png()},
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.cover.name.startswith("campaigns/")
    assert "cover" not in campaign.cover.name
    assert campaign.cover_alt == "Две коляски у входа"


def test_a_hostile_edit_keeps_the_stored_campaign():
    campaign, editor = charity_ready(title="Коляски", goal=Decimal("5000"))
    response = login(editor).post(
        reverse("charity:campaign_edit", args=[campaign.pk]),
        _campaign_data(title="Новое", goal="1e30"),
    )
    _field_refused(response, "goal")
    campaign.refresh_from_db()
    assert (campaign.title, campaign.goal) == ("Коляски", Decimal("5000"))


def test_another_organisations_campaign_cannot_be_edited_and_a_draft_is_not_found():
    campaign, _editor = charity_ready()
    draft = CampaignFactory(organization=campaign.organization, status=Campaign.Status.DRAFT)
    stranger = login(editor_of(OrganizationFactory()))
    url = reverse("charity:campaign_edit", args=[campaign.pk])
    assert stranger.post(url, _campaign_data(title="Моё")).status_code == 403
    draft_url = reverse("charity:campaign_edit", args=[draft.pk])
    assert stranger.post(draft_url, _campaign_data()).status_code == 404
    campaign.refresh_from_db()
    assert campaign.title != "Моё"


# ---------------------------------------------------------------- bank details

BANK = {
    "payee_name": "АНО «Добро»",
    "kpp": "245201001",
    "account": ACCOUNT,
    "bank_name": "Сбербанк",
    "bic": BIC,
    "correspondent_account": CORRESPONDENT,
}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"inn": "٢٤٥٢٠١٢٣٤٥"}, "inn"),
        ({"bic": "04040762７"}, "bic"),
        ({"account": ACCOUNT[:-1] + "9"}, "account"),
        ({"correspondent_account": "30101810400000000225"}, "correspondent_account"),
        ({"kpp": "12345678X"}, "kpp"),
        ({"payee_name": "АНО\x00"}, "payee_name"),
        ({"bank_name": "Б" * 46}, "bank_name"),
    ],
)
def test_hostile_bank_details_are_refused_at_the_field_and_none_are_kept(changes, field):
    organization = OrganizationFactory()
    response = login(editor_of(organization)).post(
        reverse("charity:bank_details", args=[organization.pk]),
        {**BANK, "inn": organization.inn, **changes},
    )
    _field_refused(response, field)
    assert not BankDetails.objects.exists()


def test_spaces_inside_bank_details_are_collapsed_when_saved():
    organization = OrganizationFactory()
    response = login(editor_of(organization)).post(
        reverse("charity:bank_details", args=[organization.pk]),
        {**BANK, "inn": organization.inn, "payee_name": "  АНО   «Добро» "},
    )
    assert response.status_code == 302
    assert BankDetails.objects.get().payee_name == "АНО «Добро»"


# ---------------------------------------------------------------- a donation by hand


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "-100"}, "amount"),
        ({"amount": "0,001"}, "amount"),
        ({"amount": "1000000000000"}, "amount"),
        ({"amount": "1e3"}, "amount"),
        ({"amount": "١٠٠"}, "amount"),
        ({"received_on": "0001-01-01"}, "received_on"),
        ({"received_on": "2026-13-01"}, "received_on"),
        ({"donor_name": "x" * 301}, "donor_name"),
        ({"donor_name": "Ива\x1bнов"}, "donor_name"),
        ({"note": "n" * 2001}, "note"),
        ({"campaign": "999999"}, "campaign"),
    ],
)
def test_a_hostile_donation_is_refused_at_its_field(changes, field):
    campaign, editor = charity_ready()
    data = {"amount": "100", "received_on": local_today().isoformat(), **changes}
    response = login(editor).post(
        reverse("charity:donations", args=[campaign.organization_id]), data
    )
    _field_refused(response, field)
    assert not Donation.objects.exists()


def test_a_donation_to_another_organisations_campaign_or_a_draft_is_no_choice():
    campaign, editor = charity_ready()
    client = login(editor)
    draft = CampaignFactory(organization=campaign.organization, status=Campaign.Status.DRAFT)
    for target in (CampaignFactory(), draft):
        data = {"amount": "100", "received_on": local_today().isoformat(), "campaign": target.pk}
        response = client.post(reverse("charity:donations", args=[campaign.organization_id]), data)
        _field_refused(response, "campaign")
    assert not Donation.objects.exists()


# ---------------------------------------------------------------- needs and pledges


def _need_data(**changes):
    deadline = (local_today() + timedelta(days=10)).isoformat()
    return {"title": "Памперсы", "kind": "goods", "unit": "уп.", "quantity": "10",
            "deadline": deadline, **changes}  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "100001"}, "quantity"),
        ({"quantity": "1e3"}, "quantity"),
        ({"quantity": "2.5"}, "quantity"),
        ({"unit_value": "-1"}, "unit_value"),
        ({"unit_value": "10000000000"}, "unit_value"),
        ({"unit_value": "9999999999", "quantity": "1000"}, "unit_value"),  # the whole estimate
        ({"kind": "money"}, "kind"),
        ({"unit": ""}, "unit"),
        ({"deadline": (local_today() - timedelta(days=1)).isoformat()}, "deadline"),
        ({"campaign": "0"}, "campaign"),
    ],
)
def test_a_hostile_need_is_refused_at_its_field(changes, field):
    organization = OrganizationFactory()
    response = login(editor_of(organization)).post(
        reverse("charity:need_create", args=[organization.pk]), _need_data(**changes)
    )
    _field_refused(response, field)
    assert not Need.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"quantity": "0"},
        {"quantity": "-1"},
        {"quantity": "99999999999999999999"},
        {"quantity": "один"},
        {"quantity": "1", "note": "n" * 2001},
        {"quantity": "1", "note": "Привезу\x00"},
    ],
)
def test_a_hostile_pledge_is_said_and_nothing_is_promised(data):
    need = NeedFactory()
    response = login(UserFactory()).post(
        reverse("charity:pledge", args=[need.pk]), data, follow=True
    )
    assert response.status_code == 200
    assert list(response.context["messages"])
    assert not Pledge.objects.exists()


def test_a_pledge_on_behalf_of_someone_elses_organisation_is_refused():
    need = NeedFactory()
    person = editor_of(OrganizationFactory())
    response = login(person).post(
        reverse("charity:pledge", args=[need.pk]),
        {"quantity": "1", "on_behalf": OrganizationFactory().pk},
        follow=True,
    )
    assert response.status_code == 200
    assert not Pledge.objects.exists()


def test_more_than_remains_is_refused_saying_how_many_remain():
    need = NeedFactory(quantity=3)
    response = login(UserFactory()).post(
        reverse("charity:pledge", args=[need.pk]), {"quantity": "4"}, follow=True
    )
    text = " ".join(str(message) for message in response.context["messages"])
    assert "3" in text
    assert not Pledge.objects.exists()


# ---------------------------------------------------------------- a campaign's update


@pytest.mark.parametrize(
    "data",
    [
        {"text": ""},
        {"text": "   "},
        {"text": "t" * 10_001},
        {"text": "Купили", "photo_alt": "a" * 301},
    ],
)
def test_a_hostile_update_is_said_and_nothing_is_posted(data):
    campaign, editor = charity_ready()
    response = login(editor).post(
        reverse("charity:campaign_update", args=[campaign.pk]), data, follow=True
    )
    assert response.status_code == 200
    assert list(response.context["messages"])
    assert not CampaignUpdate.objects.exists()


def test_an_update_photo_that_is_not_a_picture_or_undescribed_is_refused():
    campaign, editor = charity_ready()
    client = login(editor)
    url = reverse("charity:campaign_update", args=[campaign.pk])
    fake = SimpleUploadedFile("p.jpg", b"\xff\xd8\xff not a jpeg", "image/jpeg")
    client.post(url, {"text": "Купили", "photo": fake, "photo_alt": "Тренажёр"})
    client.post(url, {"text": "Купили", "photo": _png()})
    assert not CampaignUpdate.objects.exists()
    client.post(url, {"text": "Купили", "photo": _png(), "photo_alt": "Тренажёр"})
    update = CampaignUpdate.objects.get()
    assert (update.photo_alt, update.photo.name.startswith("campaigns/")) == ("Тренажёр", True)


def test_nobody_but_the_editors_posts_an_update():
    campaign, _editor = charity_ready()
    url = reverse("charity:campaign_update", args=[campaign.pk])
    assert login(UserFactory()).post(url, {"text": "Взлом"}).status_code == 403
    assert not CampaignUpdate.objects.exists()


# ---------------------------------------------------------------- statements


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("v.csv", b""),
        ("v.pdf", b"%PDF-1.7"),
        ("v.xlsx", b"PK\x03\x04broken"),
        ("v.csv", "Дата;Сумма\n".encode()),
        ("v" * 201 + ".csv", b"a;b\n1;2\n"),
    ],
)
def test_a_hostile_statement_upload_is_refused_at_the_file_field(name, content):
    campaign, editor = charity_ready()
    response = login(editor).post(
        reverse("charity:statements", args=[campaign.organization_id]),
        {"file": SimpleUploadedFile(name, content)},
    )
    _field_refused(response, "file")
    assert not StatementImport.objects.exists()


@pytest.mark.parametrize(
    "mapping",
    [
        {"paid_on": "0", "amount": "9"},
        {"paid_on": "0", "amount": "-1"},
        {"paid_on": "x", "amount": "1"},
        {"amount": "1"},
    ],
)
def test_a_hostile_column_choice_is_refused_and_the_mapping_kept(mapping):
    campaign, editor = charity_ready()
    client = login(editor)
    client.post(
        reverse("charity:statements", args=[campaign.organization_id]),
        {"file": SimpleUploadedFile("v.csv", "Когда;Сколько\n10.11.2026;5\n".encode())},
    )
    statement = StatementImport.objects.get()
    response = client.post(reverse("charity:statement", args=[statement.pk]), mapping)
    assert response.status_code == 200
    assert response.context["mapping_form"].errors
    statement.refresh_from_db()
    assert statement.mapping == {
        "paid_on": None, "amount": None, "payer": None, "purpose": None, "number": None,
        "payer_inn": None,
    }  # fmt: skip


def test_a_forged_move_of_a_statement_is_a_400_and_nothing_changes():
    campaign, editor = charity_ready()
    client = login(editor)
    client.post(
        reverse("charity:statements", args=[campaign.organization_id]),
        {"file": SimpleUploadedFile("v.csv", "Дата;Сумма\n10.11.2026;5\n".encode())},
    )
    statement = StatementImport.objects.get()
    url = reverse("charity:statement_move", args=[statement.pk])
    assert client.post(url, {"move": "explode"}).status_code == 400
    assert client.post(url, {}).status_code == 400
    statement.refresh_from_db()
    assert statement.status == StatementImport.Status.PREVIEW


# ---------------------------------------------------------------- the donor's side


@pytest.mark.parametrize("query", ["sum=-1", "sum=1e9", "sum=0,001", "sum=١٠", "sum=999999999"])
def test_a_hostile_sum_on_the_campaign_page_is_said_and_the_qr_has_none(client, query):
    campaign, _editor = charity_ready()
    response = client.get(f"{campaign.get_absolute_url()}?{query}")
    assert response.status_code == 200
    assert response.context["sum_form"].errors["sum"]
    assert response.context["amount"] is None


@pytest.mark.parametrize("query", ["sum=-1", "sum=abc", "format=gif", "sum=0"])
def test_a_hostile_query_for_the_qr_image_is_a_400_not_a_500(client, query):
    campaign, _editor = charity_ready()
    response = client.get(f"{reverse('charity:campaign_qr', args=[campaign.pk])}?{query}")
    assert response.status_code == 400


@pytest.mark.parametrize("query", ["year=0", "year=99999", "year=abc", "year=٢٠٢٦", "format=pdf"])
def test_a_hostile_tax_statement_query_is_not_a_500(query):
    response = login(UserFactory()).get(f"{reverse('charity:tax_statement')}?{query}")
    assert response.status_code in (400, 404)
