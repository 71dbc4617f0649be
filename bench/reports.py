"""The reports at region scale: p95 latency of the year dashboard and the time of the
XLSX export, beside the full-stack hello baseline measured in the same run.

Generates the data once into a database of its own (var/bench-reports-<N>/ on SQLite, or
the DATABASE_URL given), stores the monthly values as the daily job would, then serves
the platform with gunicorn and measures. Targets (issue 7, at 1,000,000 residents): the
dashboard for a year under 300 ms at p95; the XLSX export under 10 s.

    .venv/bin/python bench/reports.py [--residents 1000000] [--requests 40]
"""

import argparse
import os
import statistics
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.hello import ROOT, manage, serve

SECRET = "bench-reports-" + "s" * 40


def prepare(residents: int) -> dict[str, str]:
    env = dict(os.environ)
    if not env.get("DATABASE_URL"):
        env["DOBRY_VAR_DIR"] = str(ROOT / "var" / f"bench-data-{residents}")
    env["DJANGO_SECRET_KEY"] = SECRET
    marker = Path(env.get("DOBRY_VAR_DIR", ROOT / "var")) / f"generated-data-{residents}"
    manage("migrate", "-v0", env=env)
    if not marker.exists():
        started = time.monotonic()
        manage("generate_data", "--residents", str(residents), env=env)
        print(f"generated {residents} residents' activity in {time.monotonic() - started:.0f} s")
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text("done")
    manage(
        "shell",
        "-c",
        "from dobry.reports.services import snapshots_due; snapshots_due()",
        env=env,
    )
    # The first computation of last year's figures, part by part (what the warming job
    # pays, and a visitor when nothing is kept); the cache is emptied first.
    cold = manage(
        "shell",
        "-c",
        "import time\n"
        "from django.core.cache import cache\n"
        "from django.utils import timezone\n"
        "from dobry.reports import breakdowns, dashboard, hours\n"
        "from dobry.reports.periods import year\n"
        "cache.clear()\n"
        "period = year(timezone.localdate().year - 1)\n"
        "parts = (('hours', lambda: hours.tally(period)),\n"
        "         ('passport', lambda: dashboard.build(period)),\n"
        "         ('beyond', lambda: dashboard.beyond(period)),\n"
        "         ('breakdowns', lambda: breakdowns.tables(period)))\n"
        "for name, compute in parts:\n"
        "    started = time.perf_counter(); compute()\n"
        "    print(f'{name} {time.perf_counter() - started:.2f}')\n",
        env=env,
    )
    seconds = dict(line.split() for line in cold.strip().splitlines()[-4:])
    total = sum(float(value) for value in seconds.values())
    detail = ", ".join(f"{name} {value} s" for name, value in seconds.items())
    print(f"first computation of last year's figures (cold): {total:.1f} s ({detail})")
    return env


def staff_session(env: dict[str, str]) -> str:
    code = (
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "from dobry.accounts.models import User\n"
        "user, _ = User.objects.get_or_create(email='bench-official@example.org', "
        "defaults={'is_official': True})\n"
        "s = SessionStore()\n"
        "s[SESSION_KEY] = str(user.pk)\n"
        "s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
        "s[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
        "s.create()\n"
        "print(s.session_key)\n"
    )
    return manage("shell", "-c", code, env=env).strip().splitlines()[-1]


def timings(url: str, count: int, cookie: str = "") -> list[float]:
    result = []
    for _ in range(count):
        request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            assert response.status == 200, (url, response.status)
        result.append(time.perf_counter() - started)
    return result


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    env = prepare(args.residents)
    cookie = f"sessionid={staff_session(env)}"
    os.environ.update({key: env[key] for key in ("DOBRY_VAR_DIR", "DATABASE_URL") if env.get(key)})
    os.environ["DJANGO_SECRET_KEY"] = SECRET
    os.environ["DOBRY_REQUIRE_STAFF_MFA"] = "0"
    last_year = time.localtime().tm_year - 1
    with serve(workers=2) as base:
        timings(base + "/bench/hello", 5)
        hello = timings(base + "/bench/hello", args.requests)
        # A visitor's first look at periods nobody computed yet: a quarter, and a span.
        cold_quarter = timings(
            f"{base}/reports/?kind=quarter&year={last_year}&quarter=2", 1, cookie
        )
        span = f"from={last_year}-03-15&to={last_year}-09-14"
        cold_span = timings(f"{base}/reports/?kind=custom&{span}", 1, cookie)
        dashboard_url = f"{base}/reports/?year={last_year}"
        timings(dashboard_url, 10, cookie)  # every worker warm, the figures computed once
        dashboard = timings(dashboard_url, args.requests, cookie)
        xlsx = timings(f"{base}/reports/indicators.xlsx?year={last_year}", 3, cookie)
    base_p95 = p95(hello)
    print(f"residents: {args.residents}; requests per figure: {args.requests}")
    print(f"hello baseline p95:        {base_p95 * 1000:8.1f} ms")
    print(
        f"dashboard {last_year} p95:      {p95(dashboard) * 1000:8.1f} ms"
        f"  = {p95(dashboard) / base_p95:6.1f} × hello  (target < 300 ms;"
        f" median {statistics.median(dashboard) * 1000:.1f} ms)"
    )
    for name, seconds in (("quarter", cold_quarter[0]), ("span of 6 months", cold_span[0])):
        print(
            f"first visit, {name} (cold): {seconds:8.2f} s"
            f"  = {seconds / base_p95:6.0f} × hello  (server timeout 60 s)"
        )
    print(
        f"XLSX export {last_year} (max):  {max(xlsx):8.2f} s"
        f"  = {max(xlsx) / base_p95:6.0f} × hello  (target < 10 s)"
    )


if __name__ == "__main__":
    main()
