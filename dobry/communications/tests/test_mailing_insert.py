"""A published news item and/or the events of the next N days inserted into a mailing when
composing it, on the page and through the API: escaped in the HTML part, plain in the
text, with their links; a draft news item or a bad number of days is refused naming the
field and nothing is kept."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dobry.accounts.tests.factories import bearer
from dobry.communications.mailings import compose
from dobry.communications.models import Mailing, NewsItem
from dobry.communications.tests.factories import NewsItemFactory
from dobry.communications.tests.mailing_factories import segment
from dobry.events.tests.factories import ShiftFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/mailings"


def news(**kwargs) -> NewsItem:
    kwargs.setdefault("title", "Итоги <b>субботника</b> & планы")
    kwargs.setdefault("lead", "Собрали <script>alert(1)</script> 40 мешков.")
    return NewsItemFactory(**kwargs)


def event(title: str, in_days: float):  # type: ignore[no-untyped-def]
    starts = timezone.now() + timedelta(days=in_days)
    return ShiftFactory(starts_at=starts, event__title=title).event


def post(client, body: dict):  # type: ignore[no-untyped-def]
    return client.post(API, json.dumps(body), content_type="application/json")


def test_the_news_item_goes_plain_into_the_text_and_escaped_into_the_html():
    item = news()
    text, html = compose.with_insert("Здравствуйте!", "<p>Здравствуйте!</p>", compose.Insert(item))
    assert text.startswith("Здравствуйте!\n\nИтоги <b>субботника</b> & планы\n")
    assert item.get_absolute_url() in text
    assert "<h2>Итоги &lt;b&gt;субботника&lt;/b&gt; &amp; планы</h2>" in html
    assert "&lt;script&gt;" in html
    assert "<script>" not in html
    assert item.get_absolute_url() in html


def test_the_events_digest_of_the_next_days_lists_only_those_days():
    event("Донорская <акция>", 1)
    event("Через месяц", 30)
    text, html = compose.with_insert("Текст", "<p>Текст</p>", compose.Insert(events_days=7))
    assert "Донорская <акция>" in text
    assert "Через месяц" not in text
    assert "<li>" in html
    assert "Донорская &lt;акция&gt;" in html
    assert "Через месяц" not in html


def test_no_events_says_so_and_a_text_only_mailing_stays_text_only():
    text, html = compose.with_insert("Текст", "", compose.Insert(events_days=3))
    assert text.endswith("Событий пока нет.")
    assert html == ""
    assert compose.with_insert("Текст", "", compose.Insert()) == ("Текст", "")


def test_the_page_inserts_a_chosen_news_item_and_the_events(coordinator, login_as):
    item = news(title="Новость для письма")
    event("Субботник у реки", 2)
    client = login_as(coordinator)
    form = client.get(reverse("mailings:new")).content.decode()
    assert "Новость для письма" in form  # a choice of the published items
    response = client.post(
        reverse("mailings:new"),
        {"subject": "Новости", "body_text": "Здравствуйте!", "body_html": "<p>Привет</p>",
         "segment": segment().pk, "news": item.pk, "events_days": "7"},
    )  # fmt: skip
    m = Mailing.objects.get()
    assert response.url == reverse("mailings:detail", args=[m.pk])
    assert "Новость для письма" in m.body_text
    assert "Субботник у реки" in m.body_text
    assert "<h2>Новость для письма</h2>" in m.body_html
    assert "Субботник у реки" in m.body_html


def test_the_page_refuses_a_draft_news_item_and_keeps_what_was_typed(coordinator, login_as):
    draft = news(status=NewsItem.Status.DRAFT, published_at=None)
    client = login_as(coordinator)
    response = client.post(
        reverse("mailings:new"),
        {"subject": "Новости", "body_text": "Мой текст", "segment": segment().pk,
         "news": draft.pk, "events_days": "0"},
    )  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert "Мой текст" in page
    assert not Mailing.objects.exists()
    assert response.context["form"].errors.keys() == {"news", "events_days"}


def test_the_api_inserts_and_names_the_field_it_refuses(coordinator):
    client = bearer(coordinator)
    item = news(title="Новость из API")
    body = {"subject": "Новости", "body_text": "Текст", "segment_id": segment().pk}
    created = post(client, {**body, "news_id": item.pk, "events_days": 14})
    assert created.status_code == 201
    assert "Новость из API" in created.json()["body_text"]
    draft = news(status=NewsItem.Status.DRAFT, published_at=None)
    refused = post(client, {**body, "news_id": draft.pk})
    assert refused.status_code == 422
    assert "news_id" in refused.content.decode()
    too_far = post(client, {**body, "events_days": 1000})
    assert too_far.status_code == 422
    assert "events_days" in too_far.content.decode()
    assert Mailing.objects.count() == 1


def test_the_api_change_of_a_draft_can_insert_too(coordinator):
    client = bearer(coordinator)
    body = {"subject": "Новости", "body_text": "Текст", "segment_id": segment().pk}
    pk = post(client, body).json()["id"]
    item = news(title="Вставлено позже")
    changed = client.put(
        f"{API}/{pk}", json.dumps({**body, "news_id": item.pk}), content_type="application/json"
    )
    assert changed.status_code == 200
    assert "Вставлено позже" in Mailing.objects.get(pk=pk).body_text


def test_the_insert_fields_are_in_the_api_schema():
    from dobry.api.api import api

    schema = api.get_openapi_schema()
    mailing_in = schema["components"]["schemas"]["MailingIn"]["properties"]
    assert "news_id" in mailing_in
    assert "events_days" in mailing_in
    assert "published" in json.dumps(mailing_in["news_id"])


def test_the_compose_page_labels_the_insert_fields_and_offers_only_published_news(
    coordinator, login_as
):
    news(title="Опубликованная")
    news(title="Черновик новости", status=NewsItem.Status.DRAFT, published_at=None)
    page = login_as(coordinator).get(reverse("mailings:new")).content.decode()
    assert '<label for="id_news"' in page
    assert '<label for="id_events_days"' in page
    assert "Опубликованная" in page
    assert "Черновик новости" not in page


def test_residents_cannot_insert_anything_through_the_api(resident):
    item = news()
    body = {"subject": "Новости", "body_text": "Текст", "segment_id": segment().pk,
            "news_id": item.pk}  # fmt: skip
    assert post(bearer(resident), body).status_code == 403
    assert not Mailing.objects.exists()
