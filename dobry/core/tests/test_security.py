import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dobry.organizations.tests.factories import OrganizationFactory

ROOT = Path(__file__).resolve().parents[3]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/organizations/", "/accounts/login/", "/accounts/signup/", "/api/v1/docs"]
)
def test_pages_send_a_csp_without_inline_scripts_and_have_none(client, path):
    OrganizationFactory()
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert not INLINE_SCRIPT.search(response.content.decode())


def test_deploy_check_with_production_settings_reports_nothing():
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "a-long-random-secret-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "dobry.example.org",
        "DOBRY_ENCRYPTION_SALT": "a-salt-for-the-check",
        "DOBRY_OPERATOR_NAME": "АНО «Оператор»",
        "DOBRY_OPERATOR_ADDRESS": "г. Город, ул. Улица, д. 1",
        "DATABASE_URL": "",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_ENV": "production", "DJANGO_ALLOWED_HOSTS": "x.org"}
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
