import pytest
from django.test import RequestFactory

from dobry.core import accessibility


@pytest.mark.django_db
def test_the_toggle_turns_the_mode_on_and_is_remembered_by_the_browser(client):
    response = client.post("/a11y/", {"field": "enabled", "value": "1", "next": "/organizations/"})
    assert response.status_code == 302
    assert response["Location"] == "/organizations/"
    page = client.get("/")
    assert (
        'class="low-vision lv-size-2 lv-scheme-bw lv-spacing-1 lv-no-images"'
        in page.content.decode()
    )
    assert "Размер шрифта" in page.content.decode()


@pytest.mark.django_db
def test_size_scheme_and_images_can_be_changed_and_the_mode_turned_off(client):
    client.post("/a11y/", {"field": "enabled", "value": "1"})
    client.post("/a11y/", {"field": "size", "value": "3"})
    client.post("/a11y/", {"field": "scheme", "value": "wb"})
    client.post("/a11y/", {"field": "images", "value": "1"})
    body = client.get("/").content.decode()
    assert 'class="low-vision lv-size-3 lv-scheme-wb lv-spacing-1"' in body
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


@pytest.mark.django_db
def test_the_size_step_sizes_the_root_so_everything_in_rem_grows(client):
    client.post("/a11y/", {"field": "enabled", "value": "1"})
    client.post("/a11y/", {"field": "size", "value": "3"})
    body = client.get("/").content.decode()
    assert '<html lang="ru" class="lv-size-3">' in body


@pytest.mark.django_db
def test_the_chosen_spacing_is_remembered_like_the_other_settings(client):
    client.post("/a11y/", {"field": "enabled", "value": "1"})
    client.post("/a11y/", {"field": "spacing", "value": "3"})
    client.post("/a11y/", {"field": "scheme", "value": "blue"})
    body = client.get("/").content.decode()
    assert 'class="low-vision lv-size-2 lv-scheme-blue lv-spacing-3 lv-no-images"' in body
    assert 'name="value" value="3" aria-pressed="true"' in body


def test_a_cookie_from_before_spacing_existed_still_reads():
    request = RequestFactory().get("/")
    request.COOKIES[accessibility.COOKIE] = "1.3.wb.1"
    assert accessibility.read(request) == accessibility.LowVision(
        enabled=True, size="3", scheme="wb", images=True, spacing="1"
    )


def test_unknown_spacing_is_ignored():
    on = accessibility.LowVision(enabled=True)
    assert accessibility.update(on, "spacing", "9") == on
    request = RequestFactory().get("/")
    request.COOKIES[accessibility.COOKIE] = "1.2.bw.0.9"
    assert accessibility.read(request).spacing == "1"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [{}, {"field": "size"}, {"field": "size", "value": "99"}, {"field": "colour", "value": "1"}],
)
def test_a_setting_the_panel_does_not_offer_is_a_400_naming_it(client, body):
    client.post("/a11y/", {"field": "enabled", "value": "1"})
    before = client.cookies[accessibility.COOKIE].value
    response = client.post("/a11y/", body)
    assert response.status_code == 400
    assert "«field»" in response.content.decode() or "«value»" in response.content.decode()
    assert client.cookies[accessibility.COOKIE].value == before
