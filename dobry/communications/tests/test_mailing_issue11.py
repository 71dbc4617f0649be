"""Issue 11: a mailing keeps no external image (a tracking pixel), as news keep none; a
mailing is never scheduled for a time already past."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.accounts.tests.factories import bearer
from dobry.communications.mailings import compose
from dobry.communications.models import Mailing
from dobry.communications.rich_text import sanitize
from dobry.communications.tests.mailing_factories import mailing, segment, subscriber
from dobry.core.site import site_origin

pytestmark = pytest.mark.django_db
TRACKER = '<p>Привет</p><img src="http://tracker.example/p.gif?u=1" alt="">'


def post(client, path: str, body: object):
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    "html",
    [
        TRACKER,
        '<img src="https://tracker.example/p.gif">',
        '<img src="//tracker.example/p.gif">',
        '<img src="' + "http://127.0.0.1:8000.tracker.example/p.gif" + '">',
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">',
    ],
)
def test_an_external_image_loses_its_address_in_a_mailing_as_in_news(html):
    assert "tracker.example" not in compose.safe_html(html)
    assert "src=" not in compose.safe_html(html)
    assert "src=" not in sanitize(html)  # one rule: the news keep no image either


def test_an_image_of_the_site_itself_stays_in_a_mailing():
    own = f"{site_origin()}/media/news/a.png"
    cleaned = compose.safe_html(f'<img src="{own}" alt="лес">')
    assert f'src="{own}"' in cleaned
    assert 'alt="лес"' in cleaned


def test_the_api_keeps_no_tracking_pixel_in_a_mailing(coordinator):
    body = {"subject": "Новости", "body_text": "Текст", "body_html": TRACKER,
            "segment_id": segment().pk}  # fmt: skip
    response = post(bearer(coordinator), "/mailings", body)
    assert response.status_code == 201, response.content
    assert "tracker.example" not in response.json()["body_html"]
    assert "<p>Привет</p>" in response.json()["body_html"]
    assert "tracker.example" not in Mailing.objects.get().body_html


def test_a_schedule_in_the_past_is_a_422_at_the_field_and_nothing_moves(coordinator):
    subscriber()
    m = mailing()
    response = post(
        bearer(coordinator), f"/mailings/{m.pk}/schedule", {"at": "2020-01-01T10:00:00+07:00"}
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"]["at"] == ["Время не может быть в прошлом."]
    m.refresh_from_db()
    assert m.status == Mailing.Status.DRAFT
    assert m.scheduled_at is None


def test_a_schedule_an_hour_ago_is_refused_and_one_within_the_minute_is_now(coordinator):
    subscriber()
    client = bearer(coordinator)
    late = mailing()
    hour_ago = (timezone.now() - timedelta(hours=1)).isoformat()
    assert post(client, f"/mailings/{late.pk}/schedule", {"at": hour_ago}).status_code == 422
    now_ish = mailing()
    just_now = (timezone.now() - timedelta(seconds=20)).isoformat()
    response = post(client, f"/mailings/{now_ish.pk}/schedule", {"at": just_now})
    assert response.status_code == 200, response.content
    now_ish.refresh_from_db()
    assert now_ish.status != Mailing.Status.DRAFT


def test_the_page_refuses_a_schedule_in_the_past(coordinator, login_as):
    subscriber()
    m = mailing()
    client = login_as(coordinator)
    response = client.post(f"/mailings/{m.pk}/schedule/", {"at": "2020-01-01T10:00"}, follow=True)
    assert "Время не может быть в прошлом." in response.content.decode()
    m.refresh_from_db()
    assert m.status == Mailing.Status.DRAFT
