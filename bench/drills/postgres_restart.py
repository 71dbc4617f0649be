"""PostgreSQL restarting under load: clients keep loading pages from gunicorn (production
settings) while the cluster stops for a few seconds and starts again. Every answer must be
a page (200) or the «briefly unavailable» page (503) — no 500, no dropped connection — and
the site must answer 200 again by itself soon after the database is back."""

import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.drills.cluster import Cluster
from bench.hello import serve

PAGES = ["/", "/events/", "/organizations/", "/news/", "/health/live"]
CLIENTS = 4
OUTAGE_SECONDS = 4.0
RECOVERY_LIMIT_SECONDS = 10.0


@dataclass
class Log:
    answers: list[tuple[float, str, int, bool]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, path: str, status: int, unavailable_page: bool) -> None:
        with self.lock:
            self.answers.append((time.monotonic(), path, status, unavailable_page))


def client(base: str, log: Log, stop: threading.Event, offset: int) -> None:
    n = offset
    while not stop.is_set():
        path = PAGES[n % len(PAGES)]
        n += 1
        try:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                log.add(path, response.status, False)
        except urllib.error.HTTPError as error:
            body = error.read().decode(errors="replace")
            log.add(path, error.code, "ненадолго недоступен" in body or '"ok": false' in body)
        except OSError:
            log.add(path, 0, False)  # no answer at all
        time.sleep(0.02)


def run(cluster: Cluster, var_dir: Path) -> bool:
    log = Log()
    stop = threading.Event()
    errors = var_dir / "gunicorn-errors.log"
    with serve(workers=3, log=errors) as base:
        threads = [
            threading.Thread(target=client, args=(base, log, stop, i)) for i in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        time.sleep(3)
        down_at = time.monotonic()
        cluster.stop("fast")
        time.sleep(OUTAGE_SECONDS)
        cluster.start()
        up_at = time.monotonic()
        time.sleep(RECOVERY_LIMIT_SECONDS)
        stop.set()
        for thread in threads:
            thread.join()
    statuses = Counter(status for _, _, status, _ in log.answers)
    during = [a for a in log.answers if down_at <= a[0] <= up_at]
    unavailable = [a for a in log.answers if a[2] == 503]
    first_ok = min((a[0] for a in log.answers if a[0] > up_at and a[2] == 200), default=None)
    recovered_in = None if first_ok is None else first_ok - up_at
    tail = [a for a in log.answers if a[0] > up_at + RECOVERY_LIMIT_SECONDS / 2]
    print(
        f"   {len(log.answers)} requests from {CLIENTS} clients: "
        + ", ".join(f"{status or 'no answer'}: {n}" for status, n in sorted(statuses.items()))
    )
    print(
        f"   database down {up_at - down_at:.1f} s: {len(during)} requests meanwhile, "
        f"{len(unavailable)} answered 503 ({sum(a[3] for a in unavailable)} with the "
        f"«briefly unavailable» page or the health JSON)"
    )
    print(
        "   first 200 after the restart: "
        + ("never" if recovered_in is None else f"{recovered_in:.2f} s")
        + f"; last {RECOVERY_LIMIT_SECONDS / 2:.0f} s: {sum(a[2] == 200 for a in tail)}/{len(tail)} 200"
    )
    logged = errors.read_text(errors="replace").splitlines()
    print(
        f"   gunicorn's log: {sum(line.startswith('Service Unavailable:') for line in logged)} "
        f"«Service Unavailable», {sum(line.startswith('Internal Server Error:') for line in logged)} "
        f"«Internal Server Error» ({errors})"
    )
    for moment, path, status, _page in log.answers:
        if status not in (200, 503):
            print(
                f"   {status or 'no answer'} for {path} at {moment - down_at:+.2f} s from the stop"
            )
    ok = (
        set(statuses) <= {200, 503}
        and bool(unavailable)
        and all(a[3] for a in unavailable)
        and recovered_in is not None
        and recovered_in < RECOVERY_LIMIT_SECONDS / 2
        and bool(tail)
        and all(a[2] == 200 for a in tail)
    )
    print(("PASS" if ok else "FAIL") + " postgres_restart: 503 while down, no 500, recovered alone")
    return ok
