"""Production logs one JSON object a line (DOBRY_LOG_FORMAT, settings.LOGGING): a collector
reads the time in UTC, the level, the logger, the message and the traceback as fields."""

import io
import json
import logging
import logging.config
import os
import subprocess
import sys
from copy import deepcopy

import pytest
from django.conf import settings
from django.test import RequestFactory


@pytest.fixture
def console():
    """The settings' console handler with the JSON formatter, writing to a buffer."""
    config = deepcopy(settings.LOGGING)
    config["handlers"]["console"]["formatter"] = "json"
    config["handlers"]["console"]["filters"] = []
    config["handlers"]["console"]["stream"] = io.StringIO()
    logging.config.dictConfig(config)
    handler = logging.getLogger().handlers[0]
    yield handler.stream
    logging.config.dictConfig(settings.LOGGING)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_line_is_a_json_object_with_time_level_logger_and_message(console):
    logging.getLogger("dobry.example").warning("письмо %s не ушло", 7)
    (line,) = lines(console)
    assert line["level"] == "WARNING"
    assert line["logger"] == "dobry.example"
    assert line["message"] == "письмо 7 не ушло"  # Russian kept readable, not \\u escapes
    assert line["time"].endswith("+00:00")  # UTC, ISO 8601
    assert "письмо" in console.getvalue()


def test_a_traceback_and_a_request_record_stay_one_parseable_line(console):
    request = RequestFactory().get("/events/?q=x")
    try:
        raise ValueError("bad")
    except ValueError:
        logging.getLogger("django.request").error(
            "Internal Server Error: %s",
            request.path,
            exc_info=True,
            extra={"status_code": 500, "request": request},
        )
    (line,) = lines(console)
    assert line["status_code"] == 500
    assert "ValueError: bad" in line["exc_info"]
    assert "/events/" in line["request"]


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"DJANGO_ENV": "production"}, "json"),
        ({"DJANGO_ENV": "development"}, "text"),
        ({"DJANGO_ENV": "production", "DOBRY_LOG_FORMAT": "text"}, "text"),
    ],
)
def test_production_logs_json_unless_told_otherwise(environment, expected, tmp_path):
    """The settings read in a fresh interpreter, as gunicorn reads them."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DOBRY_LOG"))},
        "DJANGO_SECRET_KEY": "x" * 60,
        "DOBRY_ENCRYPTION_SALT": "salt",
        "DOBRY_OPERATOR_NAME": "Оператор",
        "DOBRY_OPERATOR_ADDRESS": "адрес",
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "DOBRY_VAR_DIR": str(tmp_path),
        **environment,
    }
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import dobry.settings as s; print(s.LOGGING['handlers']['console']['formatter'])",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert shown == expected
