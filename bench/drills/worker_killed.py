"""A worker killed mid-task (SIGKILL): its task stays RUNNING until the worker's lease runs
out, then `take_over_abandoned` gives it back and another worker runs it to the end — once.
The lease is DOBRY_TASK_LEASE (120 s by default); the drill moves the clock instead of
waiting: `take_over_abandoned(now=…)`."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from bench.drills.cluster import ROOT, Cluster, drill_env

TASK_SECONDS = 4.0


def worker(cluster: Cluster, var_dir: Path, worker_id: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--no-reload", "--no-startup-delay",
         "--interval", "0.2", "--worker-id", worker_id],
        cwd=ROOT,
        env=drill_env(cluster, var_dir, DOBRY_WORKER_BEAT="1", DOBRY_TASK_LOG_LEVEL="WARNING"),
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


def wait_for(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.1)
    return False


def run(cluster: Cluster, var_dir: Path) -> bool:
    from django.conf import settings
    from django.utils import timezone
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from bench.drills.tasks import noted_step
    from dobry.core.task_leases import take_over_abandoned

    marker = var_dir / "noted_step.txt"
    marker.unlink(missing_ok=True)
    notes = lambda: marker.read_text().split() if marker.exists() else []  # noqa: E731
    result = noted_step.enqueue(str(marker), TASK_SECONDS)
    row = lambda: DBTaskResult.objects.get(pk=result.id)  # noqa: E731

    first = worker(cluster, var_dir, "drill-first")
    started = wait_for(lambda: "start" in notes(), 60)
    first.send_signal(signal.SIGKILL)
    first.wait()
    killed_status = row().status
    now = timezone.now()
    lease = timedelta(seconds=settings.DOBRY_TASK_LEASE)
    early = take_over_abandoned(now=now + lease / 2)  # within the lease: nobody takes it
    late = take_over_abandoned(now=now + lease + timedelta(seconds=1))  # the lease ran out
    given_back_status = row().status

    second = worker(cluster, var_dir, "drill-second")
    try:
        wait_for(lambda: row().status == TaskResultStatus.RUNNING, 60)
        time.sleep(1.5)  # the second worker has beaten since it claimed the task
        while_alive = take_over_abandoned()
        finished = wait_for(lambda: row().status == TaskResultStatus.SUCCESSFUL, 60)
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(second.pid, signal.SIGKILL)
    final = row()
    words = notes()
    starts, dones = words.count("start"), words.count("done")
    print(
        f"   killed while running: {started}, status then {killed_status}; "
        f"taken over within the lease: {early}, after it: {late} (status {given_back_status})"
    )
    print(
        f"   second worker: finished {finished}, taken from it while alive: {while_alive}; "
        f"the task started {starts}× and ended {dones}×; workers {final.worker_ids}"
    )
    ok = (
        started
        and killed_status == TaskResultStatus.RUNNING
        and early == 0
        and late == 1
        and given_back_status == TaskResultStatus.READY
        and while_alive == 0
        and finished
        and final.status == TaskResultStatus.SUCCESSFUL
        and (starts, dones) == (2, 1)
        and final.worker_ids == ["drill-first", "drill-second"]
    )
    print(("PASS" if ok else "FAIL") + " worker_killed: taken over after the lease, done once")
    return bool(ok)
