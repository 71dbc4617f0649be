"""The notification pages as anonymous, as another person and as their owner; the email
preferences form."""

import pytest

from dobry.communications.models import Notification, NotificationPreference

pytestmark = pytest.mark.django_db

VERIFIED = "organization_verified"


def notification_of(user, title: str = "Проверена", **fields) -> Notification:
    return Notification.objects.create(user=user, kind=VERIFIED, title=title, **fields)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/notifications/"),
        ("get", "/notifications/preferences/"),
        ("post", "/notifications/preferences/"),
        ("post", "/notifications/read-all/"),
    ],
)
def test_anonymous_visitors_are_sent_to_log_in_and_nothing_changes(client, resident, method, url):
    notification = notification_of(resident)
    response = getattr(client, method)(url, {VERIFIED: ""} if method == "post" else None)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    notification.refresh_from_db()
    assert notification.read_at is None
    assert not NotificationPreference.objects.exists()


def test_the_list_shows_ones_own_notifications_only_newest_first(login_as, resident, outsider):
    notification_of(resident, "Первое уведомление")
    notification_of(resident, "Второе уведомление", body="Подробности второго")
    notification_of(outsider, "Чужое уведомление")
    page = login_as(resident).get("/notifications/").content.decode()
    assert page.index("Второе уведомление") < page.index("Первое уведомление")
    assert "Подробности второго" in page
    assert "Чужое уведомление" not in page


def test_an_empty_list_says_so(login_as, resident):
    assert "Уведомлений пока нет." in login_as(resident).get("/notifications/").content.decode()


@pytest.mark.parametrize(
    ("page", "shown", "hidden"),
    [
        ("", "Уведомление 30", "Уведомление 00"),
        ("2", "Уведомление 00", "Уведомление 30"),
        # not a number in digits 0–9: the first page, never a 500
        ("x", "Уведомление 30", "Уведомление 00"),
        ("²", "Уведомление 30", "Уведомление 00"),
        ("٢", "Уведомление 30", "Уведомление 00"),
        # past the end: the last page
        ("9" * 30, "Уведомление 00", "Уведомление 30"),
    ],
)
def test_the_list_is_paged_by_thirty(login_as, resident, page, shown, hidden):
    for number in range(31):
        notification_of(resident, f"Уведомление {number:02d}")
    response = login_as(resident).get("/notifications/", {"page": page})
    assert response.status_code == 200
    assert shown in response.content.decode()
    assert hidden not in response.content.decode()


def test_reading_the_list_marks_nothing_read(login_as, resident):
    notification = notification_of(resident)
    login_as(resident).get("/notifications/")
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_is_a_post_and_leaves_others_notifications(login_as, resident, outsider):
    mine = notification_of(resident)
    theirs = notification_of(outsider)
    client = login_as(resident)
    assert client.get("/notifications/read-all/").status_code == 405
    mine.refresh_from_db()
    assert mine.read_at is None
    response = client.post("/notifications/read-all/")
    assert response["Location"] == "/notifications/"
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None
    assert theirs.read_at is None


def test_the_preferences_form_shows_what_is_saved_and_the_defaults(login_as, resident):
    NotificationPreference.objects.create(user=resident, kind=VERIFIED, email=False)
    form = login_as(resident).get("/notifications/preferences/").context["form"]
    assert form[VERIFIED].value() is False
    assert form["organization_returned"].value() is True  # no choice yet: the kind's default


def test_saving_preferences_says_so_and_touches_only_ones_own(login_as, resident, outsider):
    NotificationPreference.objects.create(user=outsider, kind=VERIFIED, email=True)
    client = login_as(resident)
    response = client.post("/notifications/preferences/", {"organization_returned": "on"})
    assert response["Location"] == "/notifications/preferences/"
    assert "Настройки уведомлений сохранены." in client.get(response["Location"]).content.decode()
    assert NotificationPreference.objects.get(user=outsider, kind=VERIFIED).email is True
    assert NotificationPreference.objects.get(user=resident, kind=VERIFIED).email is False


def test_a_field_that_names_no_kind_is_ignored(login_as, resident):
    login_as(resident).post("/notifications/preferences/", {"no_such_kind": "on"})
    saved = set(NotificationPreference.objects.filter(user=resident).values_list("kind", flat=True))
    assert "no_such_kind" not in saved
    assert VERIFIED in saved


def test_opening_from_the_list_is_a_post_that_marks_it_read_and_goes_there(login_as, resident):
    notification = notification_of(resident)
    notification.url = "/help/"
    notification.save()
    client = login_as(resident)
    page = client.get("/notifications/").content.decode()
    assert f'<form method="post" action="/notifications/{notification.pk}/"' in page
    response = client.post(f"/notifications/{notification.pk}/")
    assert response["Location"] == "/help/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_get_of_a_notification_only_redirects_and_marks_nothing(login_as, resident, outsider):
    notification = notification_of(resident)
    response = login_as(resident).get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is None
    assert login_as(outsider).post(f"/notifications/{notification.pk}/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None
