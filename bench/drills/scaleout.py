"""The scale-out layout (`bench/scaleout.py`: nginx, two gunicorn instances, three workers,
the scheduler, a connection pool per process) on the private cluster, proving three things:

- the three workers claim tasks without overlap (`SELECT … FOR UPDATE SKIP LOCKED`): 300
  tasks that note which worker ran them run once each, and all three workers take part;
  then 600 empty tasks measure how fast three workers drain the database queue;
- a web instance killed with SIGKILL under load (wrk through nginx) loses no GET — nginx
  sends it to the other instance — and at most the POSTs it had in flight; restarted, it
  takes load again;
- two schedulers side by side (`run_scheduler --jobs bench.drills.tasks.DRILL_JOBS`, a
  two-second slot) enqueue each (job, slot) once.
"""

import itertools
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bench.drills.cluster import ROOT, Cluster
from bench.scaleout import REDIS, Layout, running

OVERLAP_TASKS = 300
OVERLAP_TASK_SECONDS = 0.01
RATE_TASKS = 600
LOAD_SECONDS = 10
AGAIN_SECONDS = 3
KILL_AT = 2.5
GET_CONNECTIONS = 12
POST_CONNECTIONS = 4
SCHEDULER_SECONDS = 10
PAGES = ["/", "/events/", "/organizations/", "/news/", "/health/live", "/bench/hello"]


def wait_for_lines(path: Path, count: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and len(path.read_text().splitlines()) >= count:
            return True
        time.sleep(0.2)
    return False


def workers_claim_without_overlap(layout: Layout, var_dir: Path) -> bool:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from bench.drills.tasks import noted_run

    marker = var_dir / "overlap.txt"
    started = time.monotonic()
    ids = [
        str(noted_run.enqueue(str(marker), OVERLAP_TASK_SECONDS).id) for _ in range(OVERLAP_TASKS)
    ]
    enqueued_in = time.monotonic() - started
    done = wait_for_lines(marker, OVERLAP_TASKS, 120)
    time.sleep(1)  # a task run twice would note a second line now
    lines = [line.split() for line in marker.read_text().splitlines()]
    runs = Counter(task_id for task_id, _worker, _at in lines)
    by_worker = Counter(worker for _id, worker, _at in lines)
    rows = DBTaskResult.objects.filter(pk__in=ids)
    successful = rows.filter(status=TaskResultStatus.SUCCESSFUL).count()
    claimed_once = sum(len(row.worker_ids) == 1 for row in rows.only("worker_ids"))
    print(
        f"   {OVERLAP_TASKS} tasks enqueued in {enqueued_in:.2f} s; ran {len(lines)} times "
        f"({len(runs)} distinct, most runs of one task {max(runs.values(), default=0)}); "
        f"by worker: {', '.join(f'{w} {n}' for w, n in sorted(by_worker.items()))}; "
        f"{successful} successful, {claimed_once} claimed by one worker only"
    )
    ok = (
        done
        and set(runs) == set(ids)
        and set(runs.values()) == {1}
        and set(by_worker) == set(layout.worker_ids)
        and successful == claimed_once == OVERLAP_TASKS
    )

    rate_marker = var_dir / "rate.txt"
    started = time.monotonic()
    for _ in range(RATE_TASKS):
        noted_run.enqueue(str(rate_marker), 0)
    enqueued_at = time.monotonic()
    drained = wait_for_lines(rate_marker, RATE_TASKS, 180)
    drained_at = time.monotonic()
    times = sorted(float(line.split()[2]) for line in rate_marker.read_text().splitlines())
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    print(
        f"   {RATE_TASKS} empty tasks: enqueued at {RATE_TASKS / (enqueued_at - started):.0f}/s "
        f"(one INSERT and commit each), run by 3 workers at {len(times) / span:.0f}/s "
        f"(first to last), queue empty {drained_at - enqueued_at:.1f} s after the last enqueue"
        if span
        else "   the empty tasks did not run"
    )
    ok = ok and drained and len(times) == RATE_TASKS
    print(("PASS" if ok else "FAIL") + " scaleout workers: each task once, all three workers")
    return bool(ok)


def wrk(
    layout: Layout, name: str, script: str, connections: int, seconds: float
) -> subprocess.Popen[str]:
    lua = layout.folder / f"{name}.lua"
    lua.write_text(script)
    return subprocess.Popen(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "20s",
         "-s", str(lua), layout.base],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def socket_errors(output: str) -> int:
    found = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return sum(int(n) for n in found.groups()) if found else 0


Entry = tuple[float, int, str, str, str]


def logged(layout: Layout, since: float, until: float) -> list[Entry]:
    """nginx's log lines between two moments: (time, status, method, instances tried, their
    answers). 499 (wrk closing its connections when its time is up) is the client's."""
    entries = []
    for line in layout.access_log.read_text().splitlines():
        at, status, method, _path, upstreams, answers = line.split("|")
        if since <= float(at) <= until and status != "499":
            entries.append((float(at), int(status), method, upstreams, answers))
    return entries


GETS = (
    "local paths = {" + ", ".join(f'"{p}"' for p in PAGES) + "}\nlocal n = 0\n"
    "request = function()\n  n = n + 1\n  return wrk.format('GET', paths[n % #paths + 1])\nend\n"
)
# POST without a CSRF token: the instance answers 403 — an answer; a 502 is a lost request
POSTS = (
    "wrk.method = 'POST'\nwrk.body = 'x=1'\n"
    "wrk.headers['Content-Type'] = 'application/x-www-form-urlencoded'\n"
    "request = function() return wrk.format(nil, '/news/') end\n"
)


def killed_web_instance(layout: Layout) -> bool:
    gets = wrk(layout, "gets", GETS, GET_CONNECTIONS, LOAD_SECONDS)
    posts = wrk(layout, "posts", POSTS, POST_CONNECTIONS, LOAD_SECONDS)
    load_started = time.time()
    time.sleep(KILL_AT)
    killed_at = time.time()
    layout.kill_web(0)
    layout.start_web(0)
    ready_in = layout.wait_web(0)
    get_output, _ = gets.communicate()
    post_output, _ = posts.communicate()
    load_ended = time.time()
    # The restarted instance takes load again: nginx tries it after fail_timeout.
    time.sleep(2.5)
    again = wrk(layout, "again", GETS, GET_CONNECTIONS, AGAIN_SECONDS)
    again_started = time.time()
    again_output, _ = again.communicate()
    time.sleep(0.5)
    killed_port = f"127.0.0.1:{layout.web_ports[0]}"
    entries = logged(layout, load_started, load_ended)
    by_method = {
        m: Counter(s for _, s, method, *_ in entries if method == m) for m in ("GET", "POST")
    }
    get_failed = sum(n for s, n in by_method["GET"].items() if s >= 500)
    post_lost = sum(n for s, n in by_method["POST"].items() if s >= 500)
    # Requests the killed instance had taken (being answered, or waiting in its listen
    # queue): cut at the kill, nginx's attempt there ended without an answer. Later attempts
    # refused while it restarted never reached it (nginx sends those, POSTs too, elsewhere).
    cut = [
        e for e in entries
        if e[3].startswith(killed_port) and e[4].startswith("502") and e[0] <= killed_at + 1
    ]  # fmt: skip
    failed_elsewhere = sum(e[1] >= 500 for e in entries if e not in cut)
    retried = sum("," in u for *_, u, _ in entries)
    served = Counter(u.split(", ")[-1] for *_, u, _ in entries)
    later = logged(layout, again_started, time.time())
    later_served = Counter(u.split(", ")[-1] for *_, u, _ in later)
    later_failed = sum(s >= 500 for _, s, *_ in later)
    errors = socket_errors(get_output) + socket_errors(post_output) + socket_errors(again_output)
    name = {f"127.0.0.1:{p}": f"web-{n + 1}" for n, p in enumerate(layout.web_ports)}
    print(
        f"   {len(entries)} requests in {LOAD_SECONDS} s through nginx ({GET_CONNECTIONS} GET and "
        f"{POST_CONNECTIONS} POST connections); web-1 killed at {killed_at - load_started:.1f} s "
        f"(SIGKILL to its master and workers), restarted and answering {ready_in:.1f} s later"
    )
    print(
        "   GET: "
        + ", ".join(f"{s}: {n}" for s, n in sorted(by_method["GET"].items()))
        + f" — failed {get_failed}; POST: "
        + ", ".join(f"{s}: {n}" for s, n in sorted(by_method["POST"].items()))
        + f" — lost {post_lost}; in flight on web-1 when killed: {len(cut)} "
        f"({sum(e[2] == 'GET' for e in cut)} GET, {sum(e[2] == 'POST' for e in cut)} POST); "
        f"sent again to web-2: {retried}; failed but not in flight: {failed_elsewhere}; "
        "answered by " + ", ".join(f"{name.get(u, u)} {n}" for u, n in sorted(served.items()))
    )
    print(
        f"   then {AGAIN_SECONDS} s more: "
        + ", ".join(f"{name.get(u, u)} {n}" for u, n in sorted(later_served.items()))
        + f", failed {later_failed}; wrk's socket errors over both runs: {errors}"
    )
    ok = (
        get_failed == 0
        and failed_elsewhere == 0
        and post_lost <= min(POST_CONNECTIONS, len(cut))
        and errors == 0
        and later_failed == 0
        and later_served[killed_port] > 0
        and by_method["GET"][200] > 0
    )
    print(("PASS" if ok else "FAIL") + " scaleout web: a killed instance loses no GET, comes back")
    return ok


def two_schedulers(layout: Layout, var_dir: Path) -> bool:
    from django_tasks_db.models import DBTaskResult

    from dobry.core.models import ScheduledRun

    ticks = var_dir / "drill-ticks.txt"
    env = {**layout.env, "DOBRY_TASK_LOG_LEVEL": "INFO"}
    logs = [layout.folder / f"drill-scheduler-{n}.log" for n in (1, 2)]
    schedulers = [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "run_scheduler",
                "--jobs",
                "bench.drills.tasks.DRILL_JOBS",
                "--interval",
                "0.1",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        for log in logs
    ]
    # Both start in the same few seconds; the window opens at the first slot enqueued.
    deadline = time.monotonic() + 90
    while not ScheduledRun.objects.filter(job="drill_tick").exists():
        if time.monotonic() > deadline:
            break
        time.sleep(0.2)
    time.sleep(SCHEDULER_SECONDS)
    for scheduler in schedulers:
        scheduler.send_signal(signal.SIGTERM)
        scheduler.wait(timeout=20)
    slots = sorted(ScheduledRun.objects.filter(job="drill_tick").values_list("slot", flat=True))
    tasks = DBTaskResult.objects.filter(task_path="bench.drills.tasks.noted_tick").count()
    ran = wait_for_lines(ticks, len(slots), 30)
    runs = len(ticks.read_text().splitlines()) if ticks.exists() else 0
    each = [log.read_text().count("enqueued drill_tick") for log in logs]
    steps = {(b - a).total_seconds() for a, b in itertools.pairwise(slots)}
    print(
        f"   two schedulers for {SCHEDULER_SECONDS} s on a 2 s slot: {len(slots)} slots, "
        f"{tasks} tasks enqueued (scheduler 1: {each[0]}, scheduler 2: {each[1]}), "
        f"{runs} runs; slots {'consecutive' if steps <= {2.0} else f'apart by {sorted(steps)} s'}"
    )
    ok = (
        len(slots) >= SCHEDULER_SECONDS // 2
        and tasks == len(slots) == sum(each)
        and ran
        and runs == len(slots)
        and steps <= {2.0}
    )
    print(("PASS" if ok else "FAIL") + " scaleout schedulers: each slot enqueued once")
    return bool(ok)


def run(cluster: Cluster, var_dir: Path) -> bool:
    # With Redis on the machine the layout's cache is shared as on many machines.
    layout = Layout(database_url=cluster.url, var_dir=var_dir, redis=Path(REDIS).exists())
    layout.prepare()
    with running(layout):
        print(f"   {layout.describe()}", flush=True)
        results = [
            killed_web_instance(layout),
            workers_claim_without_overlap(layout, var_dir),
            two_schedulers(layout, var_dir),
        ]
        connections = cluster.psql(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = 'dobry_drill'"
        )
        print(f"   PostgreSQL connections of the layout at the end: {connections}")
    ok = all(results)
    print(("PASS" if ok else "FAIL") + " scaleout: workers, a killed web instance, two schedulers")
    return ok
