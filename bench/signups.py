"""Concurrent signups for one event over HTTP, against the production setup.

Starts gunicorn with the production settings on a fresh PostgreSQL database, creates one
event and volunteers with API tokens, then fires concurrent
`POST /api/v1/shifts/{id}/registrations` and prints:

- confirmed signups per second for one event, beside the full-stack /bench/hello
  baseline measured in the same run (machines here are noisy: compare the ratio). Both are
  driven by `wrk` (Debian's package), a separate process, so the client does not share
  Python's lock or the server's cores more than it must; each of wrk's connections signs
  up a different volunteer (a Lua script hands out the API tokens, each once);
- overbooking: a shift of CAPACITY places hit by more people than it holds must confirm
  exactly CAPACITY and put the rest on the waiting list;
- the number of 5xx answers (must be zero).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/signups.py
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.hello import serve  # noqa: E402

BENCH_DB = "dobry_bench"
WRK_THREADS = 2  # as bench/pages.py's `measure`

# wrk: each thread signs up its own share of the tokens, one per request, then asks for
# /bench/hello (counted apart) once its share is used up; `done` prints one JSON line.
SIGNUP_SCRIPT = """
local threads = {}
local path, tokens_file = "%(path)s", "%(tokens)s"

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  tokens, used, spare = {}, 0, 0
  local n = 0
  for line in io.lines(tokens_file) do
    if n %% %(threads)d == id then table.insert(tokens, line) end
    n = n + 1
  end
end

function request()
  used = used + 1
  local token = tokens[used]
  if token == nil then
    spare = spare + 1
    return wrk.format("GET", "/bench/hello")
  end
  return wrk.format("POST", path, {
    ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, "{}")
end

done = function(summary, latency, requests)
  local spare_total = 0
  for _, thread in ipairs(threads) do spare_total = spare_total + thread:get("spare") end
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests": %%d, "seconds": %%.3f, "p50": %%.3f, "p95": %%.3f, "errors": %%d, "status": %%d, "spare": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, e.connect + e.read + e.write + e.timeout, e.status,
    spare_total))
end
"""


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
    from django.utils import timezone

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
    expires_at = timezone.now() + timedelta(days=1)
    ApiToken.objects.bulk_create(
        ApiToken(
            user=user,
            name="bench",
            token_hash=hash_token(raw),
            hint=raw[:12],
            expires_at=expires_at,
        )
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


def sign_up_for(base: str, shift_id: int, tokens: list[str], seconds: float) -> dict:
    """wrk's figures for signups to `shift_id` for `seconds`, each token used once."""
    from bench.pages import measure

    folder = Path(tempfile.mkdtemp(prefix="dobry-signups-"))
    (folder / "tokens").write_text("\n".join(tokens) + "\n")
    script = folder / "signup.lua"
    path = f"/api/v1/shifts/{shift_id}/registrations"
    script.write_text(
        SIGNUP_SCRIPT % {"path": path, "tokens": folder / "tokens", "threads": WRK_THREADS}
    )
    return measure(base + path, seconds, None, str(script))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--signups", type=int, default=4000, help="volunteers ready for the throughput run"
    )
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each wrk run")
    parser.add_argument("--capacity", type=int, default=100, help="places in the overbooking run")
    parser.add_argument("--crowd", type=int, default=400, help="people in the overbooking run")
    parser.add_argument("--concurrency", type=int, default=32, help="overbooking run's threads")
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench/signups.py needs wrk: apt-get install wrk")
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres"
        )
    setup_django(prepare_database(server))
    tokens = make_volunteers(args.signups + args.crowd)
    throughput_shift = make_shift(args.signups)
    overbooking_shift = make_shift(args.capacity)

    from bench.pages import REPORT, measure

    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as report:
        report.write(REPORT)
    with serve(workers=args.workers) as base:
        hello = measure(base + "/bench/hello", args.seconds, None, report.name)
        run = sign_up_for(base, throughput_shift, tokens[: args.signups], args.seconds)
        crowd = sign_up_all(base, overbooking_shift, tokens[args.signups :], args.concurrency)

    from dobry.events.models import Registration

    confirmed_run = Registration.objects.filter(
        shift_id=throughput_shift, status="confirmed"
    ).count()
    confirmed_crowd = Registration.objects.filter(
        shift_id=overbooking_shift, status="confirmed"
    ).count()
    rate = confirmed_run / run["seconds"]
    errors_5xx = run["errors"] + sum(
        n for k, n in crowd["counts"].items() if k.startswith("http-5")
    )
    print(f"gunicorn workers:      {args.workers}; wrk: {WRK_THREADS} threads, 20 connections")
    print(
        f"hello baseline:        {hello['rate']:8.1f} req/s, p95 {hello['p95']:.1f} ms "
        f"(errors: {hello['errors'] + hello['status']})"
    )
    print(
        f"signups, one event:    {rate:8.1f} confirmed/s = {rate / hello['rate']:.2f} × hello, "
        f"p95 {run['p95']:.1f} ms   target ≥ 0.30 × hello"
    )
    print(
        f"  answers:             {run['requests']} in {run['seconds']:.1f} s, "
        f"{run['status']} not 2xx, {run['errors']} failed, "
        f"{run['spare']} after the tokens ran out (raise --signups if not 0)"
    )
    print(
        f"overbooking run:       {confirmed_crowd} confirmed of {args.capacity} places, "
        f"{args.crowd} people → {crowd['counts']}"
    )
    print(f"overbooked:            {max(confirmed_crowd - args.capacity, 0)}   (must be 0)")
    print(f"5xx answers / failed:  {errors_5xx}   (must be 0)")


if __name__ == "__main__":
    main()
