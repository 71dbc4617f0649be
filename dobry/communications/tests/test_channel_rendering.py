"""How a news item reads in each channel: VK plain text with one link, Telegram HTML
(escaped), and what does not fit cut at a word with «…» — the title and the link kept —
within 4,096 characters of a message and 1,024 of a photo's caption."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dobry.communications.channels.rendering import (
    cut_at_word,
    render_telegram,
    render_vk,
    telegram_length,
)
from dobry.communications.tests.channel_factories import published

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.DOBRY_SITE_URL = "https://dobry.example.org"


def test_vk_is_plain_text_with_the_one_link_last():
    item = published("Субботник <в парке>", body="<p>Берите <b>перчатки</b>.</p>")
    rendered = render_vk(item)
    link = f"https://dobry.example.org/news/{item.pk}/"
    assert rendered.text == (
        f"Субботник <в парке>\n\nСобираемся в субботу в 10:00 у главного входа.\n\n{link}"
    )
    assert rendered.link == link
    assert rendered.text.count("https://") == 1


def test_telegram_is_html_with_the_title_bold_and_the_text_escaped():
    item = published("Сбор & <раздача>", body="<p>Берите <b>перчатки</b>.</p>")
    rendered = render_telegram(item)
    assert rendered.text.startswith("<b>Сбор &amp; &lt;раздача&gt;</b>\n\n")
    assert "Берите перчатки." in rendered.text
    assert rendered.text.endswith(
        f'<a href="https://dobry.example.org/news/{item.pk}/">Читать на сайте</a>'
    )
    assert rendered.photo_url == ""


def test_a_long_message_is_cut_at_a_word_within_4096_and_keeps_the_link():
    body = "".join(f"<p>{'слово ' * 60}</p>" for _ in range(30))
    item = published(body=body)
    rendered = render_telegram(item)
    assert telegram_length(rendered.text) <= 4096
    assert "слово…\n\n<a href=" in rendered.text
    assert rendered.text.startswith("<b>Субботник в парке</b>")


def test_a_photo_caption_is_cut_within_1024(settings, tmp_path):
    item = published(body="<p>" + "длинное-предлинное слово " * 200 + "</p>")
    item.cover = SimpleUploadedFile("c.png", b"x", content_type="image/png")
    item.save()
    rendered = render_telegram(item)
    assert rendered.photo_url.startswith("https://dobry.example.org/")
    assert telegram_length(rendered.text) <= 1024
    assert rendered.text.endswith("Читать на сайте</a>")
    assert "…" in rendered.text


def test_emoji_count_twice_toward_telegrams_limit():
    assert telegram_length("😀") == 2
    assert telegram_length("ж") == 1


def test_escaping_is_counted_when_cutting():
    item = published(body="<p>" + "&amp; " * 2000 + "</p>")
    assert telegram_length(render_telegram(item).text) <= 4096


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("короткий текст", 100, "короткий текст"),
        ("раз два три четыре", 10, "раз два…"),
        ("раз, два три", 8, "раз…"),
        ("оченьдлинноеслово", 5, "очен…"),
        ("раз два", 0, ""),
    ],
)
def test_cut_at_word(text, limit, expected):
    assert cut_at_word(text, lambda t: len(t) <= limit) == expected
