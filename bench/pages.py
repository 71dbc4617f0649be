"""Key pages at city or region scale against the framework's own limit (issue 17).

Generates the data once into a database of its own (the demo data, then `generate_data
--scale S`: var/bench-pages-S/ on SQLite, or the empty PostgreSQL database DATABASE_URL
names), starts the production setup (gunicorn, 2 × cores + 1 workers, DEBUG off), and
measures each page with `wrk` — a separate process, so the client does not share Python's
lock with anything — at 20 concurrent clients, with the cache on and off. `off` turns off
the whole pages kept for anonymous visitors (`DOBRY_PAGE_CACHE_SECONDS=0`) and keeps the
reports' computed figures, which the warming job keeps fresh (their cost is what
`bench/reports.py` measures); `none` keeps nothing at all (`DOBRY_CACHE=off`). Each page's throughput is printed as a ratio to `/bench/hello` measured
in the same run, with its p50 and p95 beside hello's.

Targets: anonymous public pages ≥ 0.50 × hello, logged-in pages ≥ 0.25 × hello, every p95
≤ 2 × hello's p95, no errors; inherently heavy pages (the candidates for a request) are
listed apart. Needs `wrk` (Debian: apt-get install wrk).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dobry_pages \\
        .venv/bin/python bench/pages.py [--scale city] [--seconds 10] [--cache on,off,none]
"""

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.hello import ROOT, manage, serve

CLIENTS = 20
COMPARE_CLIENTS = 2
TARGETS = {"public": 0.50, "user": 0.25}
SECRET = "bench-pages-" + "s" * 40

# wrk's summary as one JSON line: throughput, latency percentiles (ms) and errors.
REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "seconds": %.3f, "p50": %.3f, "p95": %.3f, "errors": %d, "status": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, e.connect + e.read + e.write + e.timeout, e.status))
end
"""

# What the run reads to build its URLs and log its users in (`manage.py shell`).
PREPARE = """
import json
from django.db.models import Count
from django.test import Client
from dobry.accounts.demo import demo_user
from dobry.events.models import Event
from dobry.festivals.models import Programme
from dobry.grants.models import Competition
from dobry.helprequests.models import HelpRequest
from dobry.organizations.models import Organization
from dobry.accounts.models import User

def session(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value

busiest = User.objects.annotate(n=Count("registrations")).order_by("-n").first()
event = Event.objects.upcoming().order_by("starts_at").first()
print("JSON " + json.dumps({
    "event": event.pk,
    "district": event.district_id,
    "organization": Organization.objects.annotate(n=Count("events")).order_by("-n").first().pk,
    "competition": Competition.objects.filter(results_published_at__isnull=False).first().pk,
    "request": HelpRequest.objects.filter(status="matching").first().pk,
    "programme": Programme.objects.filter(version__gt=0).order_by("-pk").first().pk,
    "volunteer": session(busiest),
    "coordinator": session(demo_user("coordinator@example.org")),
}))
"""


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # with {names} from PREPARE
    who: str | None  # None: anonymous; else a session from PREPARE
    kind: str  # "public", "user" or "heavy"


PAGES = [
    Page("home", "/", None, "public"),
    Page("events, filtered by district", "/events/?district={district}", None, "public"),
    Page("event page", "/events/{event}/", None, "public"),
    Page("organisation catalogue", "/organizations/", None, "public"),
    Page("organisation page", "/organizations/{organization}/", None, "public"),
    Page("news", "/news/", None, "public"),
    Page("campaigns", "/donate/", None, "public"),
    Page("initiatives", "/initiatives/", None, "public"),
    Page("competition results", "/grants/{competition}/results/", None, "public"),
    Page("festival programme", "/programme/{programme}/", None, "public"),
    Page("residents' votes", "/votes/", None, "public"),
    Page("KPI dashboard", "/reports/public/", None, "public"),
    Page("API: events", "/api/v1/events", None, "public"),
    Page("API: organisations", "/api/v1/organizations", None, "public"),
    Page("API: news", "/api/v1/news", None, "public"),
    Page("API: initiatives", "/api/v1/initiatives", None, "public"),
    Page("volunteer's registrations", "/events/my/", "volunteer", "user"),
    Page("record book", "/volunteer/book/", "volunteer", "user"),
    Page("help queue", "/help/queue/", "coordinator", "user"),
    Page("help request (candidates)", "/help/{request}/", "coordinator", "heavy"),
    Page("API: candidates", "/api/v1/help-requests/{request}/candidates", "coordinator", "heavy"),
]


def prepare(scale: str, database_url: str | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """The environment of the run's database (`database_url`, else DATABASE_URL, else
    SQLite in var/), generated once, and PREPARE's answers."""
    # the coordinator's session is made by the run, without the second factor production asks
    env = {**os.environ, "DJANGO_SECRET_KEY": SECRET, "DOBRY_REQUIRE_STAFF_MFA": "0"}
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    if not env.get("DATABASE_URL"):
        env["DOBRY_VAR_DIR"] = str(ROOT / "var" / f"bench-pages-{scale}")
    marker = Path(env.get("DOBRY_VAR_DIR", ROOT / "var")) / f"pages-generated-{scale}"
    manage("migrate", "-v0", env=env)
    if not marker.exists():
        started = time.monotonic()
        manage("seed_passport", env=env)
        manage("generate_data", "--scale", scale, env=env)
        print(f"generated the {scale} in {time.monotonic() - started:.0f} s")
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text("done")
    line = [
        x for x in manage("shell", "-c", PREPARE, env=env).splitlines() if x.startswith("JSON ")
    ]
    return env, json.loads(line[-1][5:])


def measure(
    url: str, seconds: float, cookie: str | None, script: str, clients: int = CLIENTS
) -> dict[str, float]:
    """wrk's figures for `url` with `clients` connections: requests/s, p50 and p95 in ms,
    errors (incl. status ≥ 400; an answer slower than 30 s counts as a timeout)."""
    headers = ["-H", "Accept-Language: ru"]
    if cookie:
        headers += ["-H", f"Cookie: sessionid={cookie}"]
    done = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{clients}",
            f"-d{max(int(seconds), 1)}s",
            "--timeout",
            "30s",
            "-s",
            script,
            *headers,
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("JSON "))
    figures = json.loads(line[5:])
    figures["rate"] = figures["requests"] / figures["seconds"]
    return figures


def first_answer(url: str, cookie: str | None) -> int:
    """The page's status for one GET without following redirects (a redirect to the login
    page would measure the wrong page)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    request = urllib.request.Request(
        url, headers={"Cookie": f"sessionid={cookie}"} if cookie else {}
    )
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def run(
    env: dict[str, str], values: dict[str, str], cache: str, seconds: float, script: str
) -> bool:
    """Measure every page with the cache `on` or `off`; print the table; True if every
    target is met."""
    os.environ.update(env)  # the server reads the run's database
    os.environ["DOBRY_CACHE"] = "off" if cache == "none" else "on"
    os.environ["DOBRY_PAGE_CACHE_SECONDS"] = "300" if cache == "on" else "0"
    workers = 2 * (os.cpu_count() or 1) + 1
    met = True
    with serve(workers=workers) as base:
        hello = measure(base + "/bench/hello", seconds, None, script)
        print(f"\ncache {cache}; {workers} workers; {CLIENTS} clients; {seconds:.0f} s a page")
        print(
            f"{'page':34} {'req/s':>8} {'× hello':>8} {'p50 ms':>8} {'p95 ms':>8} {'p95/h':>6} errors"
        )
        print(
            f"{'hello':34} {hello['rate']:8.1f} {1:8.2f} {hello['p50']:8.1f} {hello['p95']:8.1f} {1:6.2f} {hello['errors'] + hello['status']}"
        )
        for page in PAGES:
            url = base + page.path.format(**values)
            cookie = values[page.who] if page.who else None
            status = first_answer(url, cookie)
            if status != 200:
                print(f"{page.name:34} answered {status}, not measured")
                met = False
                continue
            figures = measure(url, seconds, cookie, script)
            ratio, slower = figures["rate"] / hello["rate"], figures["p95"] / hello["p95"]
            errors = int(figures["errors"] + figures["status"])
            target = TARGETS.get(page.kind)
            ok = errors == 0 and (target is None or (ratio >= target and slower <= 2))
            met = met and ok
            mark = "" if ok else "  ← below target"
            if page.kind == "heavy":
                mark = "  (heavy: listed apart)"
            print(
                f"{page.name:34} {figures['rate']:8.1f} {ratio:8.2f} {figures['p50']:8.1f} {figures['p95']:8.1f} {slower:6.2f} {errors}{mark}"
            )
    return met


def compare(
    first: tuple[dict[str, str], dict[str, str]],
    second: tuple[dict[str, str], dict[str, str]],
    names: tuple[str, str],
    seconds: float,
    script: str,
    rounds: int = 2,
) -> bool:
    """Each page at two scales, with the page cache off, served side by side and measured
    in turns (first, second, first, second…) so that the machine's other load falls on
    both alike; prints the median p50 and p95 of each and their ratio. True if every
    page's second-scale p50 and p95 are at most 1.5 × the first's. COMPARE_CLIENTS
    connections, fewer than each server's workers: the latency of a page, not of a queue."""
    workers = (os.cpu_count() or 1) + 1
    servers = []
    with contextlib.ExitStack() as stack:
        for env, _values in (first, second):
            os.environ.update(env)
            os.environ["DOBRY_CACHE"] = "on"
            os.environ["DOBRY_PAGE_CACHE_SECONDS"] = "0"
            servers.append(stack.enter_context(serve(workers=workers)))
        print(
            f"\n{names[1]} ÷ {names[0]}, page cache off; {workers} workers each; "
            f"{COMPARE_CLIENTS} clients; {rounds} × {seconds:.0f} s a page at each scale, in turns"
        )
        print(
            f"{'page':34} {'p50 ' + names[0]:>11} {'p50 ' + names[1]:>11} {'p50 ×':>6} "
            f"{'p95 ' + names[0]:>11} {'p95 ' + names[1]:>11} {'p95 ×':>6}"
        )
        met = True
        for page in PAGES:
            runs: list[list[dict[str, float]]] = [[], []]
            urls = [
                (base + page.path.format(**values), values[page.who] if page.who else None)
                for base, (_env, values) in zip(servers, (first, second), strict=True)
            ]
            if any(first_answer(url, cookie) != 200 for url, cookie in urls):
                print(f"{page.name:34} not 200 at one scale, not measured")
                met = False
                continue
            for _ in range(rounds):
                for side, (url, cookie) in enumerate(urls):
                    runs[side].append(measure(url, seconds, cookie, script, COMPARE_CLIENTS))
            p50 = [statistics.median(r["p50"] for r in side) for side in runs]
            p95 = [statistics.median(r["p95"] for r in side) for side in runs]
            errors = sum(r["errors"] + r["status"] for side in runs for r in side)
            ok = errors == 0 and p50[1] <= 1.5 * p50[0] and p95[1] <= 1.5 * p95[0]
            met = met and ok
            print(
                f"{page.name:34} {p50[0]:11.1f} {p50[1]:11.1f} {p50[1] / p50[0]:6.2f} "
                f"{p95[0]:11.1f} {p95[1]:11.1f} {p95[1] / p95[0]:6.2f}"
                + ("" if ok else f"  ← over 1.5 × (errors {int(errors)})")
            )
    return met


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=["sample", "city", "region"], default="city")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument(
        "--cache", default="on,off", help="on, off (no page cache), none (no cache): a list"
    )
    parser.add_argument(
        "--against",
        choices=["sample", "city", "region"],
        help="instead: compare each page's latency at this scale with --scale's, in turns",
    )
    parser.add_argument(
        "--against-database",
        help="the database of the --against scale (PostgreSQL URL; default SQLite in var/)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("bench/pages.py needs wrk: apt-get install wrk")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(REPORT)
    if args.against:
        first = prepare(args.scale)
        second = prepare(args.against, args.against_database or "")
        met = compare(first, second, (args.scale, args.against), args.seconds, script.name)
        print("\nevery page within 1.5 ×" if met else "\nsome pages are slower (see ← above)")
        return
    env, values = prepare(args.scale)
    # every mode is measured, even after one falls short
    results = [
        run(env, values, cache, args.seconds, script.name) for cache in args.cache.split(",")
    ]
    met = all(results)
    print("\nevery target met" if met else "\nsome targets are not met (see ← above)")


if __name__ == "__main__":
    main()
