import pytest

from dobry.communications.models import Notification, NotificationPreference


@pytest.fixture
def notification(resident):
    return Notification.objects.create(
        user=resident, kind="organization_verified", title="Проверена", url="/organizations/"
    )


def test_notifications_need_login(client, db):
    assert client.get("/notifications/").status_code == 302


def test_the_bell_shows_the_unread_count_and_opening_marks_read(login_as, resident, notification):
    client = login_as(resident)
    assert "непрочитанных" in client.get("/").content.decode()
    response = client.post(f"/notifications/{notification.pk}/")
    assert response["Location"] == "/organizations/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_404(login_as, outsider, notification):
    assert login_as(outsider).get(f"/notifications/{notification.pk}/").status_code == 404


def test_mark_all_read(login_as, resident, notification):
    login_as(resident).post("/notifications/read-all/")
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize("count", [1, 40])
def test_list_keeps_a_fixed_query_count(login_as, resident, django_assert_max_num_queries, count):
    Notification.objects.bulk_create(
        Notification(user=resident, kind="organization_verified", title=f"N{i}")
        for i in range(count)
    )
    client = login_as(resident)
    with django_assert_max_num_queries(6):
        assert client.get("/notifications/").status_code == 200


def test_email_preferences_are_saved_per_kind(login_as, resident):
    client = login_as(resident)
    assert "Организация проверена" in client.get("/notifications/preferences/").content.decode()
    client.post("/notifications/preferences/", {"organization_returned": "on"})
    prefs = dict(NotificationPreference.objects.filter(user=resident).values_list("kind", "email"))
    assert prefs["organization_returned"] is True
    assert prefs["organization_verified"] is False
