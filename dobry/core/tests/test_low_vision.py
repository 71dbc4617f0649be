import pytest

from dobry.core import accessibility


@pytest.mark.django_db
def test_the_toggle_turns_the_mode_on_and_is_remembered_by_the_browser(client):
    response = client.post("/a11y/", {"field": "enabled", "value": "1", "next": "/organizations/"})
    assert response.status_code == 302
    assert response["Location"] == "/organizations/"
    page = client.get("/")
    assert 'class="low-vision lv-size-2 lv-scheme-bw lv-no-images"' in page.content.decode()
    assert "Размер шрифта" in page.content.decode()


@pytest.mark.django_db
def test_size_scheme_and_images_can_be_changed_and_the_mode_turned_off(client):
    client.post("/a11y/", {"field": "enabled", "value": "1"})
    client.post("/a11y/", {"field": "size", "value": "3"})
    client.post("/a11y/", {"field": "scheme", "value": "wb"})
    client.post("/a11y/", {"field": "images", "value": "1"})
    body = client.get("/").content.decode()
    assert 'class="low-vision lv-size-3 lv-scheme-wb"' in body
    client.post("/a11y/", {"field": "enabled", "value": "0"})
    assert "low-vision" not in client.get("/").content.decode().split("<body")[1][:80]


@pytest.mark.django_db
def test_foreign_redirect_targets_are_ignored(client):
    response = client.post(
        "/a11y/", {"field": "enabled", "value": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_nonsense_values_leave_settings_unchanged():
    on = accessibility.LowVision(enabled=True)
    assert accessibility.update(on, "size", "99") == on
    assert accessibility.update(on, "scheme", "<script>") == on
    assert accessibility.update(accessibility.LowVision(), "size", "3") == accessibility.LowVision()


@pytest.mark.django_db
def test_get_is_not_allowed(client):
    assert client.get("/a11y/").status_code == 405
