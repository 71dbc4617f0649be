"""The site is assembled in `dobry.site`: routers, jobs, hooks and the import layers."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from dobry.events.services.attendance import TRAINING_ATTENDED
from dobry.resources.services import support_record_for_training
from dobry.site.api import api
from dobry.site.schedule import JOBS

ROOT = Path(__file__).resolve().parents[3]


def test_the_root_url_conf_is_the_sites():
    assert settings.ROOT_URLCONF == "dobry.site.urls"
    assert reverse("home") == "/"
    assert reverse("bench_hello") == "/bench/hello"


def test_every_apps_router_is_mounted_on_the_one_api():
    paths = api.get_openapi_schema()["paths"]
    prefixes = [
        "/api/v1/me",
        "/api/v1/organizations",
        "/api/v1/events",
        "/api/v1/rooms",
        "/api/v1/help-requests",
        "/api/v1/competitions",
        "/api/v1/kpi",
    ]
    for prefix in prefixes:
        assert any(path.startswith(prefix) for path in paths), prefix


def test_each_periodic_job_has_one_unique_name_and_a_task():
    names = [job.name for job in JOBS]
    assert len(names) == len(set(names))
    assert all(hasattr(job.task, "enqueue") for job in JOBS)


def test_a_seminar_attended_is_recorded_as_support_through_the_site_hook():
    assert support_record_for_training in TRAINING_ATTENDED.receivers


def test_apps_import_only_the_layers_below_them():
    """The contract in pyproject.toml: a new import up a layer or a cycle fails here and in
    `make lint`."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
