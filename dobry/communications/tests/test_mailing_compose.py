"""What a mailing says: the templates a draft starts from, the events digest, the safe HTML
and the message every recipient gets (the footers that say why it came)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from dobry.communications.mailings import compose
from dobry.communications.tests.mailing_factories import mailing
from dobry.core.clock import local_time
from dobry.events.models import Event
from dobry.events.tests.factories import ShiftFactory
from dobry.organizations.models import Organization

pytestmark = pytest.mark.django_db


def _event(title: str, in_days: float, **event) -> Event:
    starts = timezone.now() + timedelta(days=in_days)
    return ShiftFactory(starts_at=starts, event__title=title, **event).event


def test_the_digest_lists_the_public_events_of_the_next_two_weeks_in_order_with_links():
    _event("Субботник у реки", 3)
    _event("Донорская акция", 1)
    _event("Через месяц", 30)
    _event("Черновик", 2, event__status=Event.Status.DRAFT)
    _event(
        "Непроверенная организация",
        2,
        event__organization__status=Organization.Status.PENDING,
    )
    digest = compose.events_digest()
    lines = digest.splitlines()
    assert [line.split(" — ", 1)[1] for line in lines[::2]] == [
        "Донорская акция",
        "Субботник у реки",
    ]
    assert all(line.strip().startswith("http") and "/events/" in line for line in lines[1::2])
    assert "Через месяц" not in digest
    assert "Черновик" not in digest


def test_the_digest_writes_the_city_time_and_keeps_to_its_limit(freeze_now):
    now = timezone.now().replace(hour=1, minute=0, second=0, microsecond=0)  # 08:00 local
    freeze_now(now)
    for number in range(4):
        _event(f"Событие {number}", 1 + number)
    digest = compose.events_digest(limit=2)
    assert digest.count("•") == 2
    assert local_time(now + timedelta(days=1)).strftime("%d.%m 08:00") in digest


def test_an_empty_digest_says_so_in_the_template():
    subject, body = compose.template_body("digest")
    assert subject == "События ближайших двух недель"
    assert "Событий пока нет." in body
    assert "{events}" not in body


def test_the_digest_template_carries_the_events():
    _event("Фестиваль добра", 2)
    _subject, body = compose.template_body("digest")
    assert "Фестиваль добра" in body


def test_an_unknown_template_starts_blank_and_the_announcement_has_its_outline():
    assert compose.template_body("no-such") == ("", "")
    subject, body = compose.template_body("announcement")
    assert subject == "Приглашаем: "
    assert "Когда: …" in body
    assert "Где: …" in body


def test_templates_are_worded_in_the_language_of_the_request():
    with translation.override("en"):
        subject, _body = compose.template_body("announcement")
        labels = [str(template.label) for template in compose.TEMPLATES.values()]
    assert subject != "Приглашаем: "
    assert "Пустое письмо" not in labels


@pytest.mark.parametrize(
    ("html", "kept", "dropped"),
    [
        ('<p onclick="steal()">Привет</p>', "<p>Привет</p>", "onclick"),
        ("<script>alert(1)</script><b>жирный</b>", "<b>жирный</b>", "alert"),
        ('<a href="javascript:alert(1)">ссылка</a>', "ссылка", "javascript:"),
        ('<img src="https://example.org/a.png" alt="лес" style="x">', 'alt="лес"', "style"),
        ("<form><input name=x></form><h2>Итоги</h2>", "<h2>Итоги</h2>", "<input"),
        ('<iframe src="https://example.org"></iframe><p>текст</p>', "<p>текст</p>", "iframe"),
    ],
)
def test_safe_html_keeps_formatting_and_drops_what_could_act(html, kept, dropped):
    cleaned = compose.safe_html(html)
    assert kept in cleaned
    assert dropped not in cleaned


def test_links_in_a_mailing_do_not_hand_the_platform_to_the_target():
    cleaned = compose.safe_html('<a href="https://example.org/">сайт</a>')
    assert 'rel="noopener noreferrer"' in cleaned


def test_the_rendered_message_says_why_it_came_in_text_and_html():
    # a line break in the subject is refused when it is stored (`core.one_line`, issue 11)
    with pytest.raises(ValidationError):
        mailing(subject="Новости\nBcc: x@example.com")
    m = mailing(
        subject="  Новости\t недели ",
        body_text="Текст письма.",
        body_html="<p>Текст <b>письма</b></p><script>x()</script>",
    )
    rendered = compose.render(m)
    assert rendered.subject == "Новости недели"
    assert rendered.text.startswith("Текст письма.")
    assert "согласились получать рассылку" in rendered.text
    assert "<b>письма</b>" in rendered.html
    assert "<script>" not in rendered.html
    assert "/profile/consents/" in rendered.html


def test_a_text_only_mailing_has_no_html_part():
    rendered = compose.render(mailing(body_text="Только текст.", body_html=""))
    assert rendered.html == ""
    assert "Только текст." in rendered.text
