"""While the database cannot answer (PostgreSQL restarting, a connection it closed) a page
answers 503 «try again shortly», not the 500 page of a fault: `make drill` restarts a real
PostgreSQL under load; these tests pin the answer itself."""

import psycopg
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import Client
from django.urls import path

import dobry.site.urls


def _failing(error: Exception):
    def view(request):
        raise error

    return view


@pytest.fixture
def urls(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = type(
        "Urls",
        (),
        {
            "handler500": dobry.site.urls.handler500,
            "urlpatterns": [
                path(
                    "restarting/",
                    _failing(
                        OperationalError("terminating connection due to administrator command")
                    ),
                ),
                path("closed/", _failing(InterfaceError("connection already closed"))),
                # Django leaves the driver's error unwrapped when a server-side cursor
                # (`.iterator()`, a form's choices) is closed on a dead connection
                path(
                    "cursor-closed/",
                    _failing(
                        psycopg.OperationalError(
                            "consuming input failed: server closed the connection unexpectedly"
                        )
                    ),
                ),
                path("missing-table/", _failing(OperationalError("no such table: events_event"))),
                path(
                    "api/v1/restarting",
                    _failing(OperationalError("server closed the connection unexpectedly")),
                ),
                path("fine/", lambda request: HttpResponse("fine")),
                *dobry.site.urls.urlpatterns,
            ],
        },
    )


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/restarting/", "/closed/", "/cursor-closed/"])
def test_a_page_whose_database_is_away_answers_503_asking_to_try_again(urls, client, url):
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    body = response.content.decode()
    assert "Сайт ненадолго недоступен" in body
    assert "повторите действие чуть позже" in body
    assert "Ошибка на сервере" not in body


@pytest.mark.django_db
def test_a_missing_table_is_a_fault_not_an_outage(urls, client):
    response = client.get("/missing-table/")
    assert response.status_code == 500
    assert "Ошибка на сервере" in response.content.decode()


@pytest.mark.django_db
def test_the_api_answers_503_in_its_shape(urls, client):
    response = client.get("/api/v1/restarting")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response.json() == {
        "message": "Сервис временно недоступен: повторите запрос через несколько секунд.",
        "errors": {},
    }


@pytest.mark.django_db
def test_the_database_failing_in_a_middleware_before_the_view_answers_503(
    urls, client, monkeypatch
):
    """A visitor with a session: the session middleware reads it before any view runs."""
    client.get("/fine/")
    client.cookies["sessionid"] = "x" * 32

    def away(self):
        raise OperationalError("connection failed: Connection refused")

    monkeypatch.setattr(SessionStore, "load", away)
    response = client.get("/fine/")
    assert response.status_code == 503
    assert "Сайт ненадолго недоступен" in response.content.decode()
