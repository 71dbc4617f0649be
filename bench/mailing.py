"""A mailing to 10,000 recipients through the real task worker, beside a plain smtplib loop.

On a fresh PostgreSQL database next to the one in DATABASE_URL: 100,000 accounts with the
consent to mailings, 10,000 of them volunteers. Prints

- the time to compute the size of a segment of 100,000 accounts (one COUNT), and to write
  the 10,000 delivery rows when the mailing starts;
- messages per second of the mailing sent by `manage.py db_worker` processes (already
  running, as in production; throttle off; each over `--connections` SMTP connections at
  once) to a local SMTP sink (aiosmtpd, its own process), from the start until the
  mailing is «sent»;
- messages per second of a plain `smtplib` loop sending the same rendered messages over
  one reused connection to the same sink, in the same run, and the ratio (target ≥ 0.7).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/mailing.py
"""

import argparse
import os
import smtplib
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "dobry_bench_mailing"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare_database(server_url: str) -> str:
    import psycopg

    base = server_url.rsplit("/", 1)[0]
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {BENCH_DB}")
    return f"{base}/{BENCH_DB}"


def bench_env(database_url: str, port: int, workers: int, connections: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_ENV": "development",
        "DJANGO_DEBUG": "false",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "false",
        "DOBRY_MAILING_RATE": "0",
        "DOBRY_MAILING_WORKERS": str(workers),
        "DOBRY_MAILING_CONNECTIONS": str(connections),
        "DOBRY_TASK_LOG_LEVEL": "WARNING",
    }


def wait_for_port(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the SMTP sink did not start")


def make_accounts(total: int, volunteers: int) -> None:
    from dobry.accounts.models import ConsentDocument, ConsentRecord, User
    from dobry.volunteering.models import VolunteerProfile

    document = ConsentDocument.current(ConsentDocument.Kind.NEWSLETTER)
    step = 10_000
    for start in range(0, total, step):
        users = User.objects.bulk_create(
            User(email=f"reader{n}@example.org", password="!")
            for n in range(start, min(start + step, total))
        )
        ConsentRecord.objects.bulk_create(ConsentRecord(user=u, document=document) for u in users)
        VolunteerProfile.objects.bulk_create(
            VolunteerProfile(user=u, calendar_token=f"bench-{u.pk}")
            for u in users
            if int(u.email[6:].split("@")[0]) < volunteers
        )


def plain_loop(port: int, messages: list[tuple[str, str, bytes]]) -> float:
    """Seconds to send the rendered messages over one reused smtplib connection."""
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for from_email, to, data in messages:
            smtp.sendmail(from_email, [to], data)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--connections", type=int, default=4, help="SMTP connections per worker (a thread each)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="reuse the accounts of the previous run's database"
    )
    args = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith("postgres"):
        raise SystemExit("bench/mailing.py needs DATABASE_URL to PostgreSQL")
    database_url = (
        server_url.rsplit("/", 1)[0] + f"/{BENCH_DB}" if args.keep else prepare_database(server_url)
    )
    port = free_port()
    env = bench_env(database_url, port, args.workers, args.connections)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "dobry.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.utils import timezone

    from dobry.communications.mailings import compose, delivery, segments, services
    from dobry.communications.models import Delivery, Mailing, Segment
    from dobry.communications.tasks import sender

    if args.keep:
        Mailing.objects.all().delete()
        Segment.objects.all().delete()
    else:
        print(f"creating {args.accounts:,} accounts ({args.recipients:,} volunteers)…", flush=True)
        make_accounts(args.accounts, args.recipients)
    everyone = Segment.objects.create(name="Все")
    started = time.perf_counter()
    size = segments.segment_size(everyone)
    segment_seconds = time.perf_counter() - started
    volunteers = Segment.objects.create(name="Волонтёры", roles=["volunteer"])
    assert segments.segment_size(volunteers) == args.recipients
    mailing = Mailing.objects.create(
        subject="Новости города",
        body_text="Здравствуйте!\n\n" + "Новости недели. " * 60,
        body_html="<p>Здравствуйте!</p>" + "<p>Новости недели.</p>" * 30,
        segment=volunteers,
        status=Mailing.Status.SCHEDULED,
        scheduled_at=timezone.now(),
    )

    sink = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
         "-c", "aiosmtpd.handlers.Sink"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    workers = []
    try:
        wait_for_port(port)
        workers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--no-reload",
                    "--no-startup-delay",
                    "--interval",
                    "0.1",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
            )
            for _ in range(args.workers)
        ]
        time.sleep(4)  # the workers start and poll an empty queue
        started = time.perf_counter()
        services.mailing_start(mailing.pk)  # writes the rows, enqueues the senders
        rows_seconds = time.perf_counter() - started
        while Mailing.objects.get(pk=mailing.pk).status != Mailing.Status.SENT:
            time.sleep(0.05)
        worker_seconds = time.perf_counter() - started
        counts = delivery.counts(mailing)
        if counts[Delivery.State.SENT] != args.recipients:
            raise SystemExit(f"not everything was sent: {counts}")

        print(f"task worker: {args.recipients / worker_seconds:.0f} msg/s", flush=True)
        # The same messages, rendered as the worker renders them, through one connection.
        prepared = delivery.Prepared(mailing, compose.render(mailing), sender())
        messages = []
        for row in mailing.deliveries.order_by("pk"):
            data = prepared.message(row).message().as_bytes(linesep="\r\n")
            messages.append((sender(), row.email, data))
        plain_seconds = plain_loop(port, messages)
    finally:
        for process in [*workers, sink]:
            process.terminate()
        for process in [*workers, sink]:
            process.wait(timeout=10)

    worker_rate = args.recipients / worker_seconds
    plain_rate = args.recipients / plain_seconds
    print(f"segment of {size:,} accounts: size computed in {segment_seconds * 1000:.0f} ms")
    print(f"mailing start: {args.recipients:,} delivery rows written in {rows_seconds:.2f} s")
    print(
        f"task worker ({args.workers} db_worker processes × {args.connections} SMTP "
        f"connections): {args.recipients:,} messages in "
        f"{worker_seconds:.1f} s = {worker_rate:.0f} msg/s (rows included)"
    )
    print(f"plain smtplib loop, one connection: {plain_seconds:.1f} s = {plain_rate:.0f} msg/s")
    send_rate = args.recipients / (worker_seconds - rows_seconds)
    print(f"task worker, sending only (after the rows): {send_rate:.0f} msg/s")
    print(f"ratio worker / plain loop: {worker_rate / plain_rate:.2f} (target ≥ 0.7)")
    print(f"ratio, sending only: {send_rate / plain_rate:.2f}")


if __name__ == "__main__":
    main()
