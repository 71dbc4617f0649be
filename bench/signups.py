"""Concurrent signups for one event over HTTP, against the production setup.

Starts gunicorn with the production settings on a fresh PostgreSQL database, creates one
event and volunteers with API tokens, then fires concurrent
`POST /api/v1/shifts/{id}/registrations` and prints:

- confirmed signups per second for one event, beside the full-stack /bench/hello
  baseline measured in the same run (machines here are noisy: compare the ratio);
- overbooking: a shift of CAPACITY places hit by more people than it holds must confirm
  exactly CAPACITY and put the rest on the waiting list;
- the number of 5xx answers (must be zero).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/signups.py
"""

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.hello import hammer, serve  # noqa: E402

BENCH_DB = "dobry_bench"


def prepare_database(server_url: str) -> str:
    """A fresh database next to the one in DATABASE_URL; returns its URL."""
    import psycopg

    base = server_url.rsplit("/", 1)[0]
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {BENCH_DB}")
    return f"{base}/{BENCH_DB}"


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_ENV"] = "production"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "s" * 50)
    os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1"
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    os.environ["DJANGO_SECURE_COOKIES"] = "0"
    os.environ["DOBRY_BENCH_HELLO"] = "1"
    os.environ.setdefault("DOBRY_ENCRYPTION_SALT", "bench-salt")
    os.environ.setdefault("DOBRY_OPERATOR_NAME", "Оператор стенда")
    os.environ.setdefault("DOBRY_OPERATOR_ADDRESS", "адрес стенда")
    os.environ["DJANGO_SETTINGS_MODULE"] = "dobry.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def make_volunteers(count: int) -> list[str]:
    """`count` volunteers with a birth date and an API token; returns the raw tokens."""
    from dobry.accounts.models import ApiToken, User, hash_token
    from dobry.volunteering.models import VolunteerProfile

    users = User.objects.bulk_create(
        User(email=f"bench{i}@example.org", first_name="Bench", last_name=str(i), password="!")
        for i in range(count)
    )
    VolunteerProfile.objects.bulk_create(
        VolunteerProfile(
            user=user, date_of_birth=date(1990, 1, 1), calendar_token=f"bench-{user.pk}"
        )
        for user in users
    )
    raws = [ApiToken.generate_raw() for _ in users]
    ApiToken.objects.bulk_create(
        ApiToken(user=user, name="bench", token_hash=hash_token(raw), hint=raw[:12])
        for user, raw in zip(users, raws, strict=True)
    )
    return raws


def make_shift(capacity: int) -> int:
    from django.utils import timezone

    from dobry.events.models import Event, Shift
    from dobry.organizations.models import Organization

    organization, _ = Organization.objects.get_or_create(
        name="Bench НКО", defaults={"kind": "initiative_group", "status": "verified"}
    )
    start = timezone.now() + timedelta(days=7)
    event = Event.objects.create(
        organization=organization,
        kind="volunteer_action",
        title=f"Bench event {capacity}",
        status=Event.Status.PUBLISHED,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
    )
    return Shift.objects.create(
        event=event,
        title="Bench",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        capacity=capacity,
    ).pk


def sign_up_all(base: str, shift_id: int, tokens: list[str], concurrency: int) -> dict:
    url = f"{base}/api/v1/shifts/{shift_id}/registrations"

    def one(token: str) -> str:
        request = urllib.request.Request(
            url,
            data=b"{}",
            method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return str(json.load(response)["status"])
        except urllib.error.HTTPError as error:
            return f"http-{error.code}"
        except OSError:
            return "network-error"

    started = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        outcomes = list(pool.map(one, tokens))
    elapsed = time.monotonic() - started
    counts: dict = {}
    for outcome in outcomes:
        counts[outcome] = counts.get(outcome, 0) + 1
    return {"elapsed": elapsed, "counts": counts}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--signups", type=int, default=1500, help="signups in the throughput run")
    parser.add_argument("--capacity", type=int, default=100, help="places in the overbooking run")
    parser.add_argument("--crowd", type=int, default=400, help="people in the overbooking run")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=8, help="gunicorn worker processes")
    args = parser.parse_args()

    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres"
        )
    setup_django(prepare_database(server))
    tokens = make_volunteers(args.signups + args.crowd)
    throughput_shift = make_shift(args.signups)
    overbooking_shift = make_shift(args.capacity)

    with serve(workers=args.workers) as base:
        hello, hello_failed = hammer(base + "/bench/hello", 5, args.concurrency)
        run = sign_up_all(base, throughput_shift, tokens[: args.signups], args.concurrency)
        crowd = sign_up_all(base, overbooking_shift, tokens[args.signups :], args.concurrency)

    from dobry.events.models import Registration

    confirmed_run = Registration.objects.filter(
        shift_id=throughput_shift, status="confirmed"
    ).count()
    confirmed_crowd = Registration.objects.filter(
        shift_id=overbooking_shift, status="confirmed"
    ).count()
    rate = confirmed_run / run["elapsed"]
    errors_5xx = sum(
        n for k, n in {**run["counts"], **crowd["counts"]}.items() if k.startswith("http-5")
    )
    print(f"hello baseline:        {hello:8.1f} req/s (errors: {hello_failed})")
    print(
        f"signups, one event:    {rate:8.1f} confirmed/s = {rate / hello:.2f} × hello   target ≥ 100/s"
    )
    print(f"  outcomes:            {run['counts']}")
    print(
        f"overbooking run:       {confirmed_crowd} confirmed of {args.capacity} places, "
        f"{args.crowd} people → {crowd['counts']}"
    )
    print(f"overbooked:            {max(confirmed_crowd - args.capacity, 0)}   (must be 0)")
    print(f"5xx answers:           {errors_5xx}   (must be 0)")


if __name__ == "__main__":
    main()
