"""Development looks like production where a user can see it: the platform's Russian 404
and 403 pages, not Django's English debug page (a real 500 still shows its traceback),
and `make run` keeps the worker's per-task INFO lines off the screen."""

import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import path

import dobry.site.urls
from dobry.core.logging import TaskLogLevelFilter

pytestmark = pytest.mark.django_db


def raise_404(request):
    raise Http404("no such shift")


def raise_403(request):
    raise PermissionDenied


def raise_500(request):
    raise RuntimeError("a real bug")


@pytest.fixture
def development(settings):
    settings.DEBUG = True
    settings.ROOT_URLCONF = type(
        "Urls",
        (),
        {
            "urlpatterns": [
                path("dev/404/", raise_404),
                path("dev/403/", raise_403),
                path("dev/500/", raise_500),
                *dobry.site.urls.urlpatterns,
            ]
        },
    )


@pytest.mark.parametrize("url", ["/no-such-page/", "/dev/404/", "/events/999999/"])
def test_a_404_in_development_is_the_platforms_russian_page(client, development, url):
    response = client.get(url)
    assert response.status_code == 404
    body = response.content.decode()
    assert "Страница не найдена" in body
    assert "Page not found at" not in body


def test_a_403_in_development_is_the_platforms_russian_page(client, development):
    response = client.get("/dev/403/")
    assert response.status_code == 403
    assert "Недостаточно прав" in response.content.decode()


def test_a_500_in_development_still_shows_the_traceback(development):
    response = Client(raise_request_exception=False).get("/dev/500/")
    assert response.status_code == 500
    assert "a real bug" in response.content.decode()
    assert "Traceback" in response.content.decode()


def test_an_api_404_in_development_stays_json(client, development):
    response = client.get("/api/v1/events/999999")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def record(name: str, level: int) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, "Task id=1 succeeded", None, None)


def test_the_task_log_filter_drops_task_info_but_keeps_warnings_and_other_loggers(settings):
    settings.DOBRY_TASK_LOG_LEVEL = "WARNING"
    keep = TaskLogLevelFilter().filter
    assert not keep(record("django_tasks", logging.INFO))
    assert not keep(record("django_tasks_db", logging.INFO))
    assert keep(record("django_tasks_db", logging.WARNING))
    assert keep(record("django_tasks", logging.ERROR))
    assert keep(record("django.request", logging.INFO))


def test_the_task_log_filter_passes_everything_at_info(settings):
    settings.DOBRY_TASK_LOG_LEVEL = "INFO"
    assert TaskLogLevelFilter().filter(record("django_tasks_db", logging.INFO))


def test_the_console_handler_uses_the_task_log_filter():
    assert "task_level" in settings.LOGGING["handlers"]["console"]["filters"]


def test_make_run_quiets_the_workers_per_task_lines():
    out = subprocess.run(
        ["make", "-n", "run"],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        env={k: v for k, v in os.environ.items() if k != "DOBRY_TASK_LOG_LEVEL"},
    )
    assert "DOBRY_TASK_LOG_LEVEL=WARNING" in out.stdout


def test_development_writes_emails_to_files_not_to_the_terminal(tmp_path):
    """`make run` sends about a hundred demo emails: printed, they pushed the site address
    off the screen (issue 11 §6). Without EMAIL_HOST each email is a file in var/mail."""
    env = {k: v for k, v in os.environ.items() if k not in ("EMAIL_HOST", "EMAIL_FILE_PATH")}
    env["DOBRY_VAR_DIR"] = str(tmp_path)
    code = "from dobry import settings; print(settings.EMAIL_BACKEND, settings.EMAIL_FILE_PATH)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    assert out.stdout.split() == [
        "django.core.mail.backends.filebased.EmailBackend",
        str(tmp_path / "mail"),
    ]


def _request_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "django.request"]


@pytest.mark.parametrize(
    ("url", "status"),
    [("/dev/403/", 403), ("/dev/404/", 404), ("/events/?page=²&when=someday", 400)],
)
def test_a_4xx_is_one_info_line_without_a_traceback(development, caplog, url, status):
    caplog.set_level(logging.INFO, logger="django.request")
    response = Client().get(url)
    assert response.status_code == status
    [line] = _request_records(caplog)
    assert (line.levelno, line.status_code, line.exc_info) == (logging.INFO, status, None)
    assert "Traceback" not in caplog.text


def test_a_403_of_the_api_is_one_info_line_too(caplog):
    caplog.set_level(logging.INFO, logger="django.request")
    response = Client().get("/api/v1/me/hours")
    assert response.status_code in (401, 403)
    [line] = _request_records(caplog)
    assert (line.levelno, line.exc_info) == (logging.INFO, None)


def test_a_500_is_still_an_error_with_its_traceback(development, caplog):
    caplog.set_level(logging.INFO, logger="django.request")
    response = Client(raise_request_exception=False).get("/dev/500/")
    assert response.status_code == 500
    [line] = _request_records(caplog)
    assert line.levelno == logging.ERROR
    assert line.exc_info is not None
    assert "RuntimeError: a real bug" in caplog.text


def test_4xx_lines_are_dropped_where_the_level_hides_info(development, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    assert Client().get("/dev/403/").status_code == 403
    assert _request_records(caplog) == []


def test_a_refused_request_is_printed_once_in_development(tmp_path):
    """Django's default logging gave `django` its own console handler while DEBUG is on, so
    with the root's each 403/404 line of `make run` came twice (issue 11)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_LOG_LEVEL",)}
    env.update(DJANGO_ENV="development", DJANGO_DEBUG="1", DOBRY_VAR_DIR=str(tmp_path))
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('django.request').warning("
        "'Not Found: /nowhere/', extra={'status_code': 404})"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "dobry.settings"},
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    assert out.stderr.count("Not Found: /nowhere/") == 1, out.stderr
