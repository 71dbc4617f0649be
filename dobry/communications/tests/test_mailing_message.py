"""A mailing's message built once and stamped per recipient (`mailings.message`) parses to
what Django's own email would carry: the same headers, text and HTML, each recipient's own
unsubscribe link and key; long lines quoted, nothing past the line limit; DKIM verifies."""

import email
from email.policy import default

import dkim
import pytest

from dobry.communications.mailings import compose, delivery
from dobry.communications.mailings.message import Body, Recipient, Stamp
from dobry.communications.models import Delivery
from dobry.communications.tasks import sender
from dobry.communications.tests.mailing_factories import mailing
from dobry.communications.tests.test_dkim import dkim_key  # noqa: F401 (a fixture)
from dobry.communications.unsubscribe import read_token

pytestmark = pytest.mark.django_db
LONG = "Новости недели. " * 80  # one line of ~2,500 bytes: quoted-printable


def built(m, email_address="reader@example.org"):
    row = Delivery.objects.create(mailing=m, email=email_address)
    prepared = delivery.Prepared(m, compose.render(m), sender())
    message = prepared.message(row)
    return row, message, message.message().as_bytes(linesep="\r\n")


def parts(raw: bytes) -> dict[str, str]:
    parsed = email.message_from_bytes(raw, policy=default)
    return {part.get_content_type(): part.get_content() for part in parsed.walk()
            if not part.is_multipart()}  # fmt: skip


@pytest.mark.parametrize("text", ["Здравствуйте!\n\nКоротко.", "Здравствуйте!\n\n" + LONG])
@pytest.mark.parametrize("html", ["", "<p>Здравствуйте!</p>" + "<p>Новости недели.</p>" * 60])
def test_the_stamped_message_parses_to_what_the_django_email_carries(text, html):
    m = mailing(body_text=text, body_html=html)
    row, message, raw = built(m)
    parsed = email.message_from_bytes(raw, policy=default)
    assert parsed["Subject"] == "Новости города"
    assert parsed["To"] == "reader@example.org"
    assert parsed["From"] == sender()
    assert parsed["X-Dobry-Key"] == f"mailing:{row.key}"
    assert parsed["Message-ID"]
    assert parsed["Date"]
    assert " ".join(parsed["List-Unsubscribe"].split()) == message.extra_headers["List-Unsubscribe"]
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    found = parts(raw)
    assert found["text/plain"].replace("\r\n", "\n").rstrip("\n") == message.body
    if html:
        html_part = found["text/html"].replace("\r\n", "\n")
        assert html_part.rstrip("\n") == message.alternatives[0][0].rstrip("\n")
        assert found["text/html"].index("/u/") < found["text/html"].index("</body>")
    else:
        assert set(found) == {"text/plain"}
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))


def test_each_recipient_gets_their_own_token_and_key_in_every_place():
    m = mailing(body_html="<p>Привет</p>")
    first_row, _first, first = built(m, "anna@example.org")
    second_row, _second, second = built(m, "ivan@example.org")
    for row, raw in ((first_row, first), (second_row, second)):
        text = parts(raw)["text/plain"]
        token = text.rsplit("/u/", 1)[1].split("/", 1)[0]
        assert read_token(token).email == row.email
        assert read_token(token).delivery == row.key
        assert token in parts(raw)["text/html"]
        assert token in raw.split(b"\r\n\r\n", 1)[0].decode()


def test_long_lines_are_quoted_printable_and_short_ones_go_as_they_are():
    long_raw = built(mailing(body_text=LONG))[2]
    short_raw = built(mailing(body_text="Коротко."))[2]
    assert b"Content-Transfer-Encoding: quoted-printable" in long_raw
    assert b"Content-Transfer-Encoding: 8bit" in short_raw
    assert "Коротко.".encode() in short_raw


def test_a_recipient_line_past_the_limit_quotes_the_whole_part():
    body = Body("text/plain", "Начало\nконец")
    headers, encoded = body.encoded("д" * 600)
    assert b"quoted-printable" in headers
    assert all(len(line) <= 998 for line in encoded.split(b"\r\n"))


def test_a_header_with_a_newline_is_refused():
    from django.core.mail import BadHeaderError

    stamp = Stamp(subject="Тема", from_email=sender(), text=Body("text/plain", "Текст"), html=None)
    with pytest.raises(BadHeaderError):
        stamp.as_bytes(Recipient("a@example.org", {"X-Evil": "a\r\nBcc: b@example.org"}, ""))


def test_an_address_with_a_name_or_non_ascii_is_encoded():
    stamp = Stamp(
        subject="Subject", from_email="Добрый город <city@example.org>",
        text=Body("text/plain", "Text"), html=None,
    )  # fmt: skip
    raw = stamp.as_bytes(Recipient("Анна <anna@example.org>", {}, ""))
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert head.isascii()
    parsed = email.message_from_bytes(raw, policy=default)
    assert parsed["From"].addresses[0].display_name == "Добрый город"
    assert parsed["To"].addresses[0].username == "anna"
    assert parsed["Subject"] == "Subject"


def test_the_mailing_message_is_signed_and_the_signature_verifies(dkim_key):  # noqa: F811
    raw = built(mailing(body_text="Здравствуйте!\n\n" + LONG, body_html="<p>Привет</p>"))[2]
    assert raw.startswith(b"DKIM-Signature:")
    assert dkim.verify(raw, dnsfunc=dkim_key)
    assert not dkim.verify(raw.replace(b"One-Click", b"One-Clock"), dnsfunc=dkim_key)


def test_a_long_russian_subject_folds_and_reads_back_whole():
    subject = "Субботник у реки и донорская акция: приходите всей семьёй, " * 3
    m = mailing(subject=subject)
    raw = built(m)[2]
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert head.isascii()
    assert all(len(line) <= 78 for line in head.split(b"\r\n") if line.startswith(b" =?"))
    parsed = email.message_from_bytes(raw, policy=default)
    assert parsed["Subject"] == " ".join(subject.split())


def test_an_address_on_a_cyrillic_domain_goes_in_punycode_in_the_header_and_the_envelope():
    from dobry.communications.mailings.message import envelope_address

    stamp = Stamp(subject="Тема", from_email=sender(), text=Body("text/plain", "Т"), html=None)
    raw = stamp.as_bytes(Recipient("anna@пример.рф", {}, ""))
    assert b"To: anna@xn--e1afmkfd.xn--p1ai\r\n" in raw
    assert envelope_address("anna@пример.рф") == "anna@xn--e1afmkfd.xn--p1ai"


def test_a_text_only_mailing_is_signed_too(dkim_key):  # noqa: F811
    raw = built(mailing(body_text="Коротко."))[2]
    assert raw.startswith(b"DKIM-Signature:")
    assert b"multipart" not in raw.split(b"\r\n\r\n", 1)[0]
    assert dkim.verify(raw, dnsfunc=dkim_key)


def test_each_message_has_its_own_message_id_and_the_boundary_is_in_no_part():
    m = mailing(body_html="<p>Привет</p>")
    first, second = built(m, "anna@example.org")[2], built(m, "ivan@example.org")[2]
    ids = {email.message_from_bytes(raw, policy=default)["Message-ID"] for raw in (first, second)}
    assert len(ids) == 2
    parsed = email.message_from_bytes(first, policy=default)
    boundary = parsed.get_boundary()
    assert boundary
    for part in parsed.walk():
        if not part.is_multipart():
            assert boundary not in part.get_content()


def test_html_without_a_body_element_gets_the_link_at_its_end():
    from dobry.communications.unsubscribe import html_link_place

    assert html_link_place("<p>a</p>") == ("<p>a</p>", "")
    assert html_link_place("<body><p>a</p></body></html>") == ("<body><p>a</p>", "</body></html>")
    body = Body("text/html", *html_link_place("<p>a</p>"))
    assert body.encoded("<p>link</p>")[1] == b"<p>a</p><p>link</p>"
