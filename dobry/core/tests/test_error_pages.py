import pytest
from django.test import Client


@pytest.mark.django_db
def test_missing_page_answers_404_in_russian(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


@pytest.mark.django_db
def test_server_error_page_is_russian_and_standalone(settings):
    settings.DEBUG = False
    from django.urls import path

    def boom(request):
        raise RuntimeError("boom")

    import dobry.site.urls

    settings.ROOT_URLCONF = type(
        "Urls", (), {"urlpatterns": [path("boom/", boom), *dobry.site.urls.urlpatterns]}
    )
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Ошибка на сервере" in response.content.decode()


@pytest.mark.django_db
def test_bench_hello_exists_only_when_enabled(client, settings):
    settings.DOBRY_BENCH_HELLO = False
    assert client.get("/bench/hello").status_code == 404
    settings.DOBRY_BENCH_HELLO = True
    response = client.get("/bench/hello")
    assert response.status_code == 200
    assert "hello 0" in response.content.decode()
