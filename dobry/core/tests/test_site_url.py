"""Absolute links (emails, calendar feeds, the personal feed address) come from one
configured site address, DOBRY_SITE_URL, which `make run` derives from PORT."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from icalendar import Calendar

from dobry.communications.services import email_kind_to_address
from dobry.core.site import absolute_url, site_host
from dobry.env import env_url
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory
from dobry.volunteering.models import VolunteerProfile

OTHER_PORT = "http://127.0.0.1:8123"


@pytest.fixture
def on_another_port(settings):
    settings.DOBRY_SITE_URL = OTHER_PORT


def test_env_url_takes_an_origin_and_drops_the_trailing_slash(monkeypatch):
    monkeypatch.setenv("X_URL", "https://dobry.example.org/")
    assert env_url("X_URL", "http://127.0.0.1:8000") == "https://dobry.example.org"
    monkeypatch.delenv("X_URL")
    assert env_url("X_URL", "http://127.0.0.1:8000") == "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    "value", ["127.0.0.1:8000", "ftp://dobry.example.org", "https://", "http://x.example/a?b"]
)
def test_env_url_fails_loudly_on_anything_but_an_http_origin(monkeypatch, value):
    monkeypatch.setenv("X_URL", value)
    with pytest.raises(ImproperlyConfigured, match="X_URL"):
        env_url("X_URL", "http://127.0.0.1:8000")


def test_absolute_url_joins_the_configured_site_and_a_path(on_another_port):
    assert absolute_url("/events/my/") == f"{OTHER_PORT}/events/my/"
    assert site_host() == "127.0.0.1:8123"


def test_absolute_url_refuses_a_relative_path(on_another_port):
    with pytest.raises(ValueError, match="/"):
        absolute_url("events/my/")


@pytest.mark.django_db
def test_links_in_emails_point_to_the_configured_site(on_another_port):
    email_kind_to_address(
        key="invite-1",
        to="new@example.org",
        kind="membership_invited",
        context={"organization": "Приют", "role": "редактор", "inviter": "Ольга"},
        url="/accounts/signup/",
    )
    from dobry.communications.models import OutboundEmail

    assert f"{OTHER_PORT}/accounts/signup/" in OutboundEmail.objects.get().body_text
    assert "127.0.0.1:8000" not in OutboundEmail.objects.get().body_text


@pytest.mark.django_db
def test_calendar_feeds_link_to_the_configured_site(client, on_another_port):
    shift = ShiftFactory()
    [vevent] = Calendar.from_ical(client.get(f"/events/{shift.event_id}/event.ics").content).walk(
        "VEVENT"
    )
    assert str(vevent["URL"]) == f"{OTHER_PORT}{shift.event.get_absolute_url()}"
    # the UID keeps the domain stored at the first migrate, never the present port
    assert str(vevent["UID"]) == f"shift-{shift.pk}@127.0.0.1"


@pytest.mark.django_db
def test_my_shifts_give_the_feed_address_on_the_configured_site(login_as, on_another_port):
    registration = RegistrationFactory()
    token = VolunteerProfile.objects.get(user=registration.user).calendar_token
    body = login_as(registration.user).get("/events/my/").content.decode()
    assert f"{OTHER_PORT}/events/feed/{token}.ics" in body


def test_the_site_address_defaults_to_the_port_the_server_runs_on():
    env = {k: v for k, v in os.environ.items() if k != "DOBRY_SITE_URL"} | {"PORT": "8123"}
    out = subprocess.run(
        [sys.executable, "-c", "from dobry import settings; print(settings.DOBRY_SITE_URL)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    assert out.stdout.strip() == OTHER_PORT


def test_make_run_passes_the_site_address_from_port():
    out = subprocess.run(
        ["make", "-n", "run", "PORT=8123"],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        env={k: v for k, v in os.environ.items() if k != "DOBRY_SITE_URL"},
    )
    assert f"DOBRY_SITE_URL={OTHER_PORT}" in out.stdout


def test_absolute_links_are_built_in_one_place():
    offenders = []
    for path in (Path(settings.BASE_DIR) / "dobry").rglob("*.py"):
        # a migration reads the address once, to store the domain of ids (core 0005)
        if {"tests", "migrations"} & set(path.parts) or path.name in ("site.py", "settings.py"):
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("DOBRY_SITE_URL", "build_absolute_uri", "127.0.0.1:8000"):
            if needle in text:
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}: {needle}")
    assert offenders == []
