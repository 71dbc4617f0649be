"""The organisation's charity desk, page by page: editing a campaign and its links, the
updates it posts, cash donations, a table statement's column mapping, the queue's buttons,
needs written and published — each refusal at its field, nothing saved when refused."""

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
    Campaign,
    CampaignUpdate,
    Donation,
    Need,
    StatementEntry,
    StatementImport,
)
from dobry.charity.services import statements
from dobry.charity.tests.factories import CampaignFactory, NeedFactory, charity_ready, editor_of
from dobry.core.clock import local_today
from dobry.events.tests.factories import EventFactory
from dobry.helprequests.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def png(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def values(campaign: Campaign, **changes: object) -> dict:
    data = {
        "title": campaign.title,
        "purpose": campaign.purpose,
        "goal": str(campaign.goal),
        "deadline": campaign.deadline.isoformat(),
    }
    return {**data, **changes}


def test_an_editor_changes_the_goal_and_the_deadline_kept_passes_even_when_past():
    campaign, editor = charity_ready()
    Campaign.objects.filter(pk=campaign.pk).update(deadline=local_today() - timedelta(days=1))
    campaign.refresh_from_db()
    client = login(editor)
    response = client.post(
        reverse("charity:campaign_edit", args=[campaign.pk]), values(campaign, goal="120 000")
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.goal == Decimal("120000")


def test_a_new_deadline_in_the_past_is_refused_at_its_field():
    campaign, editor = charity_ready()
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    response = login(editor).post(
        reverse("charity:campaign_edit", args=[campaign.pk]), values(campaign, deadline=yesterday)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["deadline"]
    campaign.refresh_from_db()
    assert campaign.deadline > local_today()


def test_links_only_to_the_organisations_own_programme_and_event():
    campaign, editor = charity_ready()
    foreign_programme, foreign_event = ProgrammeFactory(), EventFactory()
    client = login(editor)
    url = reverse("charity:campaign_edit", args=[campaign.pk])
    for field, value in (("programme", foreign_programme.pk), ("event", foreign_event.pk)):
        response = client.post(url, values(campaign, **{field: value}))
        assert response.status_code == 200
        assert response.context["form"].errors[field]
    own = ProgrammeFactory(organization=campaign.organization)
    assert client.post(url, values(campaign, programme=own.pk)).status_code == 302
    campaign.refresh_from_db()
    assert campaign.programme == own


def test_a_cover_needs_its_description_and_is_stored_without_the_uploaded_name():
    campaign, editor = charity_ready()
    client = login(editor)
    url = reverse("charity:campaign_edit", args=[campaign.pk])
    response = client.post(url, {**values(campaign), "cover": png("Мой_файл.png")})
    assert response.status_code == 200
    assert "Опишите обложку" in " ".join(response.context["form"].errors["cover_alt"])
    response = client.post(
        url, {**values(campaign), "cover": png(), "cover_alt": "Дети на тренажёре"}
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.cover.name.startswith("campaigns/")
    assert "Мой_файл" not in campaign.cover.name
    assert (
        'alt="Дети на тренажёре"'
        in login(UserFactory()).get(campaign.get_absolute_url()).content.decode()
    )


def test_updates_are_posted_by_editors_with_a_described_photo():
    campaign, editor = charity_ready()
    url = reverse("charity:campaign_update", args=[campaign.pk])
    client = login(editor)
    refused = client.post(url, {"text": "Купили тренажёр", "photo": png()}, follow=True)
    assert "Опишите фото" in refused.content.decode()
    assert not CampaignUpdate.objects.exists()
    client.post(url, {"text": "Купили тренажёр", "photo": png(), "photo_alt": "Тренажёр"})
    client.post(url, {"text": ""}, follow=True)
    assert list(CampaignUpdate.objects.values_list("text", flat=True)) == ["Купили тренажёр"]
    assert login(UserFactory()).post(url, {"text": "Чужой текст"}).status_code == 403
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "Купили тренажёр" in page


def test_a_cash_donation_on_the_page_and_its_refusals():
    campaign, editor = charity_ready()
    client = login(editor)
    url = reverse("charity:donations", args=[campaign.organization_id])
    today = local_today().isoformat()
    ok = client.post(
        url,
        {"campaign": campaign.pk, "amount": "3 450,00", "received_on": today, "is_anonymous": "on"},
    )
    assert ok.status_code == 302
    assert Donation.objects.get().amount == Decimal("3450.00")
    future = (local_today() + timedelta(days=1)).isoformat()
    for data, field in (
        ({"amount": "0", "received_on": today}, "amount"),
        ({"amount": "10", "received_on": future}, "received_on"),
        ({"amount": "10", "received_on": today, "donor_contact": "не контакт"}, "donor_contact"),
    ):
        response = client.post(url, data)
        assert response.status_code == 200
        assert response.context["form"].errors[field], field
    assert Donation.objects.count() == 1
    page = client.get(url).content.decode()
    assert "3\u00a0450" in page


def test_a_table_statement_is_mapped_on_its_page_then_committed():
    campaign, editor = charity_ready()
    client = login(editor)
    content = f"Когда;Сколько;Кто;Зачем\n10.11.2026;300;Иванов;{campaign.code}\n".encode()
    response = client.post(
        reverse("charity:statements", args=[campaign.organization_id]),
        {"file": SimpleUploadedFile("v.csv", content)},
    )
    statement = StatementImport.objects.get()
    page = client.get(response.url).content.decode()
    assert "Какой столбец что значит" in page
    assert "Выберите столбцы: Дата, Сумма." in page
    bad = client.post(response.url, {"paid_on": "0", "amount": "9"})
    assert bad.status_code == 200
    client.post(response.url, {"paid_on": "0", "amount": "1", "payer": "2", "purpose": "3"})
    statement.refresh_from_db()
    assert statement.mapping["amount"] == 1
    client.post(reverse("charity:statement_move", args=[statement.pk]), {"move": "commit"})
    assert Donation.objects.get().campaign == campaign


def test_a_discarded_statement_keeps_nothing():
    campaign, editor = charity_ready()
    client = login(editor)
    content = "Дата;Сумма\n10.11.2026;300\n".encode()
    client.post(
        reverse("charity:statements", args=[campaign.organization_id]),
        {"file": SimpleUploadedFile("v.csv", content)},
    )
    statement = StatementImport.objects.get()
    response = client.post(
        reverse("charity:statement_move", args=[statement.pk]), {"move": "discard"}
    )
    assert response.url == reverse("charity:statements", args=[campaign.organization_id])
    statement.refresh_from_db()
    assert (statement.status, statement.content) == (StatementImport.Status.DISCARDED, {})
    assert not StatementEntry.objects.exists()


def test_the_queue_page_sorts_payments_and_refuses_a_forged_campaign():
    campaign, editor = charity_ready()
    client = login(editor)
    content = "Дата;Сумма;Плательщик\n10.11.2026;700;Петров\n10.11.2026;800;Сидоров\n".encode()
    statement = statements.statement_upload(
        actor=editor,
        organization=campaign.organization,
        upload=SimpleUploadedFile("v.csv", content),
    )
    statements.statement_commit(actor=editor, statement=statement)
    first, second = StatementEntry.objects.order_by("amount")
    page = client.get(reverse("charity:queue", args=[campaign.organization_id])).content.decode()
    assert "Петров" in page
    assert "Сидоров" in page
    move = reverse("charity:entry_move", args=[first.pk])
    assert client.post(move, {"move": "assign", "campaign": "99999999"}).status_code == 400
    client.post(move, {"move": "assign", "campaign": campaign.pk})
    client.post(reverse("charity:entry_move", args=[second.pk]), {"move": "ignore"})
    assert Donation.objects.get().amount == Decimal("700.00")
    second.refresh_from_db()
    assert second.status == StatementEntry.Status.IGNORED
    assert (
        "Разбирать нечего"
        in client.get(reverse("charity:queue", args=[campaign.organization_id])).content.decode()
    )


def test_a_need_is_written_edited_and_published_on_its_pages():
    campaign, editor = charity_ready()
    client = login(editor)
    deadline = (local_today() + timedelta(days=10)).isoformat()
    data = {
        "title": "Памперсы",
        "kind": "goods",
        "unit": "уп.",
        "quantity": "20",
        "deadline": deadline,
    }
    response = client.post(reverse("charity:need_create", args=[campaign.organization_id]), data)
    need = Need.objects.get()
    assert response.url == need.get_absolute_url()
    assert need.status == Need.Status.DRAFT
    refused = client.post(reverse("charity:need_edit", args=[need.pk]), {**data, "quantity": "0"})
    assert refused.status_code == 200
    client.post(reverse("charity:need_edit", args=[need.pk]), {**data, "quantity": "25"})
    client.post(reverse("charity:need_move", args=[need.pk]), {"move": "open"})
    need.refresh_from_db()
    assert (need.quantity, need.status) == (25, Need.Status.OPEN)
    desk = client.get(reverse("charity:desk", args=[campaign.organization_id])).content.decode()
    assert "Памперсы" in desk
    assert login(UserFactory()).get(reverse("charity:need_edit", args=[need.pk])).status_code == 403


def test_a_finished_campaign_shows_thanks_and_no_qr(client):
    campaign, _editor = charity_ready(status=Campaign.Status.FINISHED)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "Сбор завершён. Спасибо всем, кто помог!" in page
    assert "payment-qr" not in page
    assert client.get(reverse("charity:campaign_qr", args=[campaign.pk])).status_code == 404


def test_the_catalogue_filters_and_the_managed_organisations_line():
    ending, editor = charity_ready(title="Скоро конец", deadline=local_today() + timedelta(days=3))
    CampaignFactory(
        organization=ending.organization,
        title="Долгий сбор",
        deadline=local_today() + timedelta(days=60),
    )
    CampaignFactory(
        organization=ending.organization, title="Прошлый сбор", status=Campaign.Status.FINISHED
    )
    client = login(editor)
    soon = client.get(reverse("charity:catalogue") + "?show=ending").content.decode()
    assert "Скоро конец" in soon
    assert "Долгий сбор" not in soon
    finished = client.get(reverse("charity:catalogue") + "?show=finished").content.decode()
    assert "Прошлый сбор" in finished
    assert "Скоро конец" not in finished
    assert "Сборы, пожертвования и нужды ваших организаций" in soon
    found = client.get(reverse("charity:catalogue") + "?q=Долгий").content.decode()
    assert "Долгий сбор" in found
    assert "Скоро конец" not in found


def test_needs_catalogue_filters_by_kind(client):
    NeedFactory(title="Памперсы", kind=Need.Kind.GOODS)
    NeedFactory(title="Машина на фестиваль", kind=Need.Kind.TRANSPORT)
    page = client.get(reverse("charity:needs") + "?kind=transport").content.decode()
    assert "Машина на фестиваль" in page
    assert "Памперсы" not in page
    assert client.get(reverse("charity:needs") + "?kind=rocket").status_code == 400


def test_an_outsiders_need_page_offers_a_pledge_form_only_when_signed_in(client):
    need = NeedFactory()
    assert 'action="/donate/needs/' not in client.get(need.get_absolute_url()).content.decode()
    page = login(UserFactory()).get(need.get_absolute_url()).content.decode()
    assert reverse("charity:pledge", args=[need.pk]) in page
    assert editor_of(need.organization) is not None


def test_a_needs_new_deadline_in_the_past_is_refused_on_its_page():
    need = NeedFactory()
    editor = editor_of(need.organization)
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    data = {
        "title": need.title,
        "kind": need.kind,
        "unit": need.unit,
        "quantity": "10",
        "deadline": yesterday,
    }
    response = login(editor).post(reverse("charity:need_edit", args=[need.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["deadline"]
    need.refresh_from_db()
    assert need.deadline > local_today()
