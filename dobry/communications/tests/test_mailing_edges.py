"""Edges of composing and sending: an insert that would push the text past its limit is
refused naming the field with nothing kept (page and API); the stamped message in other
line endings and as text; the shared count when its cache key expires; who may be mailed
for no address at all."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from dobry.accounts.tests.factories import bearer
from dobry.communications.mailings import compose, platform_limit, policy
from dobry.communications.mailings.message import Body, Recipient, Stamp, StampedEmail
from dobry.communications.models import Mailing
from dobry.communications.tests.factories import NewsItemFactory
from dobry.communications.tests.mailing_factories import segment, subscriber
from dobry.core.text_limits import LONG

pytestmark = pytest.mark.django_db


def test_an_insert_past_the_texts_limit_is_refused_on_the_page(coordinator, login_as):
    item = NewsItemFactory(title="Длинная новость")
    client = login_as(coordinator)
    response = client.post(
        reverse("mailings:new"),
        {"subject": "Новости", "body_text": "я" * (LONG - 5), "segment": segment().pk,
         "news": item.pk},
    )  # fmt: skip
    assert response.status_code == 200
    assert "body_text" in response.context["form"].errors
    assert not Mailing.objects.exists()


def test_an_insert_past_the_texts_limit_is_a_422_through_the_api(coordinator):
    item = NewsItemFactory(title="Длинная новость")
    body = {"subject": "Новости", "body_text": "я" * (LONG - 5), "segment_id": segment().pk,
            "news_id": item.pk}  # fmt: skip
    response = bearer(coordinator).post(
        "/api/v1/mailings", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422
    assert "body_text" in response.content.decode()
    assert not Mailing.objects.exists()


def stamped() -> StampedEmail:
    stamp = Stamp(
        subject="Тема", from_email="city@example.org",
        text=Body("text/plain", "Первая строка\nвторая"), html=None,
    )  # fmt: skip
    return stamp.email(Recipient("anna@example.org", {"X-Dobry-Key": "mailing:k"}, "\n-- \nК"))


def test_the_stamped_message_gives_its_bytes_in_other_line_endings_and_as_text():
    built = stamped().message()
    crlf = built.as_bytes()
    assert b"\r\n" in crlf
    lf = built.as_bytes(linesep="\n")
    assert b"\r\n" not in lf
    assert lf.count(b"\n") == crlf.count(b"\r\n")
    assert str(built) == built.as_string() == crlf.decode()
    assert "X-Dobry-Key: mailing:k" in str(built)


def test_the_text_before_the_recipients_part_may_have_no_line_end():
    body = Body("text/plain", "одна строка", "хвост\nпоследняя")
    headers, encoded = body.encoded("[вставка]")
    assert b"8bit" in headers
    assert encoded.decode() == "одна строка[вставка]хвост\r\nпоследняя"
    assert body.text("[вставка]") == "одна строка[вставка]хвост\nпоследняя"


def test_the_shared_count_starts_again_when_its_cache_key_expired(monkeypatch):
    cache.clear()

    def expired(key: str, delta: int = 1) -> int:
        cache.delete(key)  # it ran out between add and incr
        raise ValueError(key)

    monkeypatch.setattr(platform_limit.cache, "incr", expired)
    assert platform_limit.take_from_cache(9, 3, 10) == 3
    monkeypatch.undo()
    assert cache.get("dobry:mailings:sent:9") == 3


def test_no_address_is_no_query_and_one_address_is_asked_as_many(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert policy.mailable_addresses([]) == set()
    reader = subscriber()
    assert policy.may_mail(reader.email.upper())
    assert not policy.may_mail("nobody@example.org")


def test_an_insert_of_nothing_changes_nothing():
    assert compose.with_insert("Текст", "<p>Т</p>", compose.Insert()) == ("Текст", "<p>Т</p>")
    assert compose.published_news(None) is None


def test_an_upload_step_without_a_file_says_so_and_imports_nothing(coordinator, login_as):
    from dobry.communications.models import MailingContact

    response = login_as(coordinator).post(reverse("mailings:contacts"), {"step": "upload"})
    assert response.status_code == 200
    assert "file" in response.context["upload_form"].errors
    assert not MailingContact.objects.exists()


def test_the_list_id_names_the_sites_host_without_its_port(settings):
    from dobry.communications.models import Delivery

    settings.DOBRY_SITE_URL = "https://dobry.example.org:8443/"
    m = Mailing.objects.create(subject="Т", body_text="Т", segment=segment())
    row = Delivery(mailing=m, email="a@example.org", key="k1")
    headers = policy.message_headers(m, row, "token")
    assert headers["List-Id"] == "<mailing.dobry.example.org>"
    assert headers["X-Dobry-Mailing"] == str(m.pk)
    assert headers["X-Dobry-Key"] == "mailing:k1"
    assert headers["List-Unsubscribe"].startswith("<https://dobry.example.org:8443/u/token/>, <")


def test_the_mailto_form_names_the_bare_mailbox_and_falls_back_to_the_sender(settings):
    from dobry.communications.unsubscribe import token_mailto

    settings.DOBRY_UNSUBSCRIBE_EMAIL = "Отписка <leave@dobry.example.org>"
    assert token_mailto("T") == "mailto:leave@dobry.example.org?subject=unsubscribe%20T"
    settings.DOBRY_UNSUBSCRIBE_EMAIL = ""
    settings.DEFAULT_FROM_EMAIL = "Добрый город <city@dobry.example.org>"
    assert token_mailto("T") == "mailto:city@dobry.example.org?subject=unsubscribe%20T"
