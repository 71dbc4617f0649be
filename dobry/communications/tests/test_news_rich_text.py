"""A news item's text keeps paragraphs, lists, links, headings, emphasis and quotations,
and loses everything that could run code or restyle the page — when saved, so the page,
the API and the feeds all carry the clean text."""

import pytest

from dobry.communications.news.services import news_create
from dobry.communications.rich_text import plain_text, sanitize

pytestmark = pytest.mark.django_db

HOSTILE = [
    ("<script>alert(1)</script><p>Текст</p>", "<p>Текст</p>"),
    ('<img src="x" onerror="alert(1)"><p>Фото</p>', "<p>Фото</p>"),
    ('<p onclick="steal()" style="color:red" class="x">Абзац</p>', "<p>Абзац</p>"),
    (
        '<a href="javascript:alert(1)">клик</a>',
        '<a rel="nofollow noopener">клик</a>',
    ),
    (
        '<a href="JaVaScRiPt:alert(1)">клик</a>',
        '<a rel="nofollow noopener">клик</a>',
    ),
    (
        '<a href="java&#x09;script:alert(1)">клик</a>',
        '<a rel="nofollow noopener">клик</a>',
    ),
    (
        '<a href="data:text/html;base64,PHNjcmlwdD4=">данные</a>',
        '<a rel="nofollow noopener">данные</a>',
    ),
    ("<style>body{display:none}</style><p>Видно</p>", "<p>Видно</p>"),
    ('<iframe src="https://evil.example"></iframe><p>После</p>', "<p>После</p>"),
    ("<svg><script>alert(1)</script></svg>Текст", "Текст"),
    ("<!-- <script>x</script> --><p>Без комментария</p>", "<p>Без комментария</p>"),
    ('<form action="/x"><input name="a"></form><p>Форма</p>', "<p>Форма</p>"),
    ("<h1>Заголовок</h1><h5>мелкий</h5>", "Заголовокмелкий"),
]


@pytest.mark.parametrize(("typed", "kept"), HOSTILE)
def test_hostile_markup_is_removed(typed, kept):
    assert sanitize(typed) == kept


def test_the_allowed_markup_stays_and_links_get_nofollow_noopener():
    typed = (
        "<h2>Итоги</h2><p>Спасибо <strong>всем</strong> и <em>каждому</em>!</p>"
        "<ul><li>раз</li><li>два</li></ul><ol><li>три</li></ol>"
        "<blockquote>Цитата</blockquote><h3>Дальше</h3><h4>Ещё</h4>"
        '<p><a href="https://example.org/" title="сайт" target="_blank">ссылка</a>, '
        '<a href="/events/1/">наша</a>, <a href="mailto:rc@example.org">почта</a><br>конец</p>'
    )
    assert sanitize(typed) == (
        "<h2>Итоги</h2><p>Спасибо <strong>всем</strong> и <em>каждому</em>!</p>"
        "<ul><li>раз</li><li>два</li></ul><ol><li>три</li></ol>"
        "<blockquote>Цитата</blockquote><h3>Дальше</h3><h4>Ещё</h4>"
        '<p><a href="https://example.org/" title="сайт" rel="nofollow noopener">ссылка</a>, '
        '<a href="/events/1/" rel="nofollow noopener">наша</a>, '
        '<a href="mailto:rc@example.org" rel="nofollow noopener">почта</a><br>конец</p>'
    )


def test_plain_text_has_the_words_without_markup():
    assert plain_text("<h2>Итоги</h2><p>Спасибо&nbsp;&amp; до встречи</p><script>x()</script>") == (
        "Итоги Спасибо & до встречи"
    )


def test_the_service_stores_the_clean_text_and_the_page_shows_no_code(coordinator, client):
    item = news_create(
        author=coordinator,
        fields={
            "title": "<b>Заголовок</b>",
            "lead": '<img src=x onerror="alert(1)">Анонс',
            "body": '<p style="x">Текст</p><script>alert("body")</script>'
            '<a href="javascript:alert(2)">ссылка</a>',
        },
    )
    assert item.body == '<p>Текст</p><a rel="nofollow noopener">ссылка</a>'
    from dobry.communications.news.services import news_move

    news_move(actor=coordinator, item=item, move="publish")
    html = client.get(item.get_absolute_url()).content.decode()
    assert 'alert("body")' not in html
    assert "javascript:" not in html
    assert "<img src=x" not in html
    assert 'onerror="' not in html
    # the title and lead are plain text, shown escaped (in the page and in its card)
    assert "&lt;b&gt;Заголовок&lt;/b&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Анонс" in html


def test_search_finds_words_of_the_body_not_its_markup(coordinator):
    from dobry.communications import selectors
    from dobry.communications.news.services import news_move

    item = news_create(
        author=coordinator,
        fields={
            "title": "Субботник",
            "lead": "Приходите",
            "body": "<p>Возьмите <strong>перчатки</strong></p>",
        },
    )
    news_move(actor=coordinator, item=item, move="publish")
    assert list(selectors.public_news({"q": "перчатки"})) == [item]
    assert list(selectors.public_news({"q": "strong"})) == []


def test_text_typed_without_markup_becomes_paragraphs_and_links():
    typed = "Приходите в субботу & приносите <перчатки>.\nНачало в 10:00.\n\nПодробности: https://example.org/subbotnik"
    assert sanitize(typed) == (
        "<p>Приходите в субботу &amp; приносите &lt;перчатки&gt;.<br>Начало в 10:00.</p>\n\n"
        '<p>Подробности: <a href="https://example.org/subbotnik" rel="nofollow noopener">'
        "https://example.org/subbotnik</a></p>"
    )


def test_a_comparison_is_not_taken_for_markup():
    assert sanitize("5 < 6, и это верно") == "<p>5 &lt; 6, и это верно</p>"
