"""The development server never answers 500 to a path that climbs out of /static/ or /media/."""

from io import BytesIO
from urllib.parse import unquote
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.management import get_commands, load_command_class

TRAVERSALS = [
    "/static/../x",
    "/static/..%2fx",
    "/static/%2e%2e/%2e%2e/etc/passwd",
    "/static/a/../../x",
    "/static/css/../../dobry/settings.py",
    "/static/..%5csettings.py",
    "/media/../x",
    "/media/..%2f..%2fetc/passwd",
]


def _dev_server_app(settings):
    """The WSGI app `manage.py runserver` serves, with its default options and DEBUG on."""
    settings.DEBUG = True
    command = load_command_class(get_commands()["runserver"], "runserver")
    options = vars(command.create_parser("manage.py", "runserver").parse_args([]))
    return command.get_handler(**options)


def _get(app, raw_path: str) -> int:
    environ: dict = {"PATH_INFO": unquote(raw_path), "wsgi.input": BytesIO(b"")}
    setup_testing_defaults(environ)
    environ["HTTP_HOST"] = "127.0.0.1"
    statuses: list[str] = []
    body = app(environ, lambda status, headers, exc_info=None: statuses.append(status))
    try:
        b"".join(body)
    finally:
        getattr(body, "close", lambda: None)()
    return int(statuses[0].split()[0])


def test_the_dev_server_leaves_static_files_to_whitenoise(settings):
    command = load_command_class(get_commands()["runserver"], "runserver")
    options = vars(command.create_parser("manage.py", "runserver").parse_args([]))
    assert options["use_static_handler"] is False


@pytest.mark.django_db
@pytest.mark.parametrize("path", TRAVERSALS)
def test_a_traversal_is_a_404_or_400_never_a_500(settings, path):
    assert _get(_dev_server_app(settings), path) in (400, 404)


@pytest.mark.django_db
def test_a_real_static_file_is_still_served(settings):
    assert _get(_dev_server_app(settings), "/static/favicon.svg") == 200
