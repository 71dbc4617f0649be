"""The mailings' pages: staff only, compose → preview → test → schedule → progress →
statistics, segments with their size, the import with its preview, and the opt-in link."""

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from dobry.accounts.tests.factories import UserFactory
from dobry.communications.mailings import contacts
from dobry.communications.models import Mailing, MailingContact, Segment
from dobry.communications.tests.mailing_factories import contact, mailing, segment, subscriber

pytestmark = pytest.mark.django_db

PAGES = [
    "mailings:list",
    "mailings:new",
    "mailings:segments",
    "mailings:segment_new",
    "mailings:contacts",
]


@pytest.mark.parametrize("name", PAGES)
def test_staff_pages_refuse_anonymous_and_residents(name, login_as):
    url = reverse(name)
    assert Client().get(url).status_code == 302
    assert login_as(UserFactory()).get(url).status_code == 403
    assert login_as(UserFactory(is_official=True)).get(url).status_code == 200


def test_someone_elses_mailing_is_not_found_for_a_resident(login_as):
    m = mailing()
    for name in ("mailings:detail", "mailings:progress"):
        assert login_as(UserFactory()).get(reverse(name, args=[m.pk])).status_code == 403
    assert login_as(UserFactory()).post(reverse("mailings:cancel", args=[m.pk])).status_code == 403
    m.refresh_from_db()
    assert m.status == Mailing.Status.DRAFT


def test_compose_preview_test_schedule_progress_and_statistics(coordinator, login_as):
    readers = [subscriber() for _ in range(2)]
    s = segment()
    client = login_as(coordinator)
    form = client.get(reverse("mailings:new"), {"template": "announcement"})
    assert "Приглашаем" in form.content.decode()
    response = client.post(
        reverse("mailings:new"),
        {
            "subject": "Субботник",
            "body_text": "Приходите в субботу.",
            "body_html": '<p onclick="x()">Приходите <b>в субботу</b><script>x()</script></p>',
            "segment": s.pk,
        },
    )
    m = Mailing.objects.get()
    assert response.url == reverse("mailings:detail", args=[m.pk])
    page = client.get(response.url).content.decode()
    assert "Приходите <b>в субботу</b>" in page
    assert "onclick" not in page
    assert "<script>x()" not in page
    assert "2 получателя сейчас" in page
    client.post(reverse("mailings:test", args=[m.pk]))
    assert mail.outbox[-1].to == [coordinator.email]
    client.post(reverse("mailings:schedule", args=[m.pk]), {"at": ""})
    m.refresh_from_db()
    assert m.status == Mailing.Status.SENT
    assert {message.to[0] for message in mail.outbox[1:]} == {r.email for r in readers}
    stats = client.get(reverse("mailings:detail", args=[m.pk])).content.decode()
    assert "Статистика" in stats
    assert "100 %" in stats
    progress = client.get(reverse("mailings:progress", args=[m.pk])).content.decode()
    assert 'aria-valuenow="100"' in progress
    assert "hx-get" not in progress  # sent: the bar stops polling


def test_a_sending_mailing_polls_its_progress(coordinator, login_as):
    m = mailing(status=Mailing.Status.SENDING)
    progress = login_as(coordinator).get(reverse("mailings:progress", args=[m.pk]))
    assert 'hx-trigger="every 3s"' in progress.content.decode()


def test_a_future_schedule_shows_the_city_time_and_stores_utc(coordinator, login_as):
    subscriber()
    m = mailing()
    client = login_as(coordinator)
    client.post(reverse("mailings:schedule", args=[m.pk]), {"at": "2030-05-01T09:00"})
    m.refresh_from_db()
    assert m.status == Mailing.Status.SCHEDULED
    assert m.scheduled_at.utcoffset().total_seconds() == 0
    assert (m.scheduled_at.hour, m.scheduled_at.day) == (2, 1)  # 09:00 in Krasnoyarsk
    assert "09:00" in client.get(reverse("mailings:detail", args=[m.pk])).content.decode()


def test_bad_compose_input_is_shown_on_the_form_and_nothing_is_kept(coordinator, login_as):
    response = login_as(coordinator).post(
        reverse("mailings:new"), {"subject": "", "body_text": "x" * 20001, "segment": "abc"}
    )
    assert response.status_code == 200
    assert Mailing.objects.count() == 0


def test_a_segment_shows_its_size(coordinator, login_as):
    subscriber(is_coordinator=True)
    subscriber()
    client = login_as(coordinator)
    response = client.post(
        reverse("mailings:segment_new"), {"name": "Координаторы", "roles": ["coordinator"]}
    )
    s = Segment.objects.get()
    assert response.url == reverse("mailings:segment", args=[s.pk])
    page = client.get(response.url).content.decode()
    assert "Сейчас в сегменте 1 получатель" in page


def test_the_lists_keep_a_fixed_query_count(coordinator, login_as, django_assert_max_num_queries):
    client = login_as(coordinator)
    for count in (1, 25):
        for _ in range(count):
            mailing()
            contact(f"c{MailingContact.objects.count()}@example.org")
        for name in ("mailings:list", "mailings:segments", "mailings:contacts"):
            with django_assert_max_num_queries(12):
                assert client.get(reverse(name)).status_code == 200


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_import_preview_then_import_then_double_opt_in(coordinator, login_as):
    client = login_as(coordinator)
    upload = SimpleUploadedFile(
        "list.xlsx",
        xlsx(
            [
                ["E-mail", "ФИО", "Интересы"],
                ["a@example.org", "Анна", "Экология, animals"],
                ["bad", "Б", ""],
                ["c@example.org", "В", "астрология"],
            ]
        ),
    )
    preview = client.post(
        reverse("mailings:contacts"), {"file": upload, "source": "фестиваль", "step": "upload"}
    )
    html = preview.content.decode()
    assert "Строк: 3, с ошибками: 2" in html
    assert "Неверный email" in html
    assert "Неизвестное направление: астрология" in html
    assert MailingContact.objects.count() == 0
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    report = client.post(
        reverse("mailings:contacts"),
        {"token": token, "email": "0", "name": "1", "interests": "2", "step": "import"},
    )
    assert "Добавлено: 1" in report.content.decode()
    added = MailingContact.objects.get()
    assert (added.email, added.interests, added.source, added.confirmed_at) == (
        "a@example.org",
        ["ecology", "animals"],
        "фестиваль",
        None,
    )
    link = re.search(r"http\S+/mailings/confirm/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    anonymous = Client()
    assert "Подтвердить подписку" in anonymous.get("/" + path).content.decode()
    added.refresh_from_db()
    assert added.confirmed_at is None  # opening the link confirms nothing
    anonymous.post("/" + path)
    added.refresh_from_db()
    assert added.confirmed_at is not None


def test_a_forged_or_stale_opt_in_link_confirms_nothing(client):
    c = contact("x@example.org", confirmed=False)
    token = contacts.opt_in_token(c)
    assert client.post(reverse("mailings:confirm", args=[token[:-2] + "xx"])).status_code == 404
    c.email = "other@example.org"
    c.save()
    assert client.post(reverse("mailings:confirm", args=[token])).status_code == 404
    c.refresh_from_db()
    assert c.confirmed_at is None


def test_an_unconfirmed_contact_is_never_mailed(coordinator):
    from dobry.communications.mailings import services

    contact("waiting@example.org", confirmed=False)
    contact("ok@example.org")
    m = mailing(status=Mailing.Status.SCHEDULED)
    services.mailing_start(m.pk)
    assert [message.to[0] for message in mail.outbox] == ["ok@example.org"]


def test_a_file_that_is_not_a_table_is_refused_on_the_form(coordinator, login_as):
    response = login_as(coordinator).post(
        reverse("mailings:contacts"),
        {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.4"), "step": "upload"},
    )
    assert "CSV или XLSX" in response.content.decode()
    stale = login_as(coordinator).post(
        reverse("mailings:contacts"), {"token": "nope", "email": "0", "step": "check"}
    )
    assert stale.status_code == 302


def test_an_import_post_without_its_step_is_a_400_and_imports_nothing(coordinator, login_as):
    client = login_as(coordinator)
    upload = SimpleUploadedFile("list.csv", b"email\na@example.org\n")
    html = client.post(
        reverse("mailings:contacts"), {"file": upload, "step": "upload"}
    ).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    for step in ({}, {"step": "everything"}):
        response = client.post(reverse("mailings:contacts"), {"token": token, "email": "0", **step})
        assert response.status_code == 400
        assert "«step»" in response.content.decode()
    assert MailingContact.objects.count() == 0
    again = client.post(
        reverse("mailings:contacts"), {"token": token, "email": "0", "step": "check"}
    )
    assert "Строк: 1, с ошибками: 0" in again.content.decode()
    assert MailingContact.objects.count() == 0


def test_an_unknown_template_is_a_400_naming_it(coordinator, login_as):
    response = login_as(coordinator).get(reverse("mailings:new"), {"template": "nope"})
    assert response.status_code == 400
    assert "«template»" in response.content.decode()


def test_a_wrong_time_is_shown_on_the_page_with_the_summary(coordinator, login_as):
    subscriber()
    m = mailing()
    response = login_as(coordinator).post(
        reverse("mailings:schedule", args=[m.pk]), {"at": "0001-01-01T09:00"}
    )
    assert response.status_code == 200
    assert "data-error-summary" in response.content.decode()
    m.refresh_from_db()
    assert m.status == Mailing.Status.DRAFT


def test_a_refused_schedule_says_why_and_keeps_the_draft(coordinator, login_as):
    m = mailing()  # nobody in the segment
    client = login_as(coordinator)
    response = client.post(reverse("mailings:schedule", args=[m.pk]), {"at": ""}, follow=True)
    assert "В сегменте нет ни одного получателя." in response.content.decode()
    m.refresh_from_db()
    assert m.status == Mailing.Status.DRAFT


def test_unschedule_and_cancel_say_what_they_did(coordinator, login_as):
    subscriber()
    m = mailing(status=Mailing.Status.SCHEDULED)
    client = login_as(coordinator)
    page = client.post(reverse("mailings:unschedule", args=[m.pk]), follow=True)
    assert "Рассылка снова черновик." in page.content.decode()
    m.refresh_from_db()
    assert m.status == Mailing.Status.DRAFT
    page = client.post(reverse("mailings:cancel", args=[m.pk]), follow=True)
    assert "Рассылка отменена." in page.content.decode()
    again = client.post(reverse("mailings:cancel", args=[m.pk]), follow=True)
    assert again.status_code == 200  # cancelled already: a message, not an error page
    m.refresh_from_db()
    assert m.status == Mailing.Status.CANCELLED


def test_a_sent_mailing_cannot_be_edited(coordinator, login_as):
    m = mailing(status=Mailing.Status.SENT)
    response = login_as(coordinator).get(reverse("mailings:edit", args=[m.pk]), follow=True)
    assert "Изменить можно только черновик рассылки." in response.content.decode()
