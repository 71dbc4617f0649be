"""Fault drills (issue 17), run by `make drill` — outside the parallel test suite.

Each drill runs on a private PostgreSQL cluster (`cluster.py`: Debian's initdb/pg_ctl in a
temporary folder, on a free port) with the app's migrations applied, and prints PASS or
FAIL with its figures:

- `postgres_restart`: the cluster restarts while clients load pages — 503 pages, no 500,
  and the site answers again by itself;
- `worker_killed`: a worker is killed with SIGKILL mid-task — the task is taken over after
  its lease (a controllable clock) and runs to the end once;
- `full_disk`: uploads on a disk that is full (ENOSPC) — a clear message, nothing stored;
- `mail_down`: the SMTP server down for ten minutes during a mailing — letters wait and go
  later, none lost, none twice;
- `scaleout`: the scale-out layout (`bench/scaleout.py`) — three workers never run a task
  twice, a killed web instance loses no GET, two schedulers enqueue each slot once.

    .venv/bin/python -m bench.drills [postgres_restart worker_killed full_disk mail_down scaleout]
"""
