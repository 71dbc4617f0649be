"""Full-stack baseline: requests per second of /bench/hello and of the home page.

Starts gunicorn (the production server) on a free port with DOBRY_BENCH_HELLO=1 against
the configured database, fires concurrent requests from threads, and prints the home
page's throughput as a ratio of the hello baseline measured in the same run (machines here
are noisy; only ratios are comparable). Later benchmarks import `serve` and `hammer`.

    .venv/bin/python bench/hello.py [--seconds 5] [--concurrency 8]
"""

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, env: dict[str, str]) -> str:
    """Run `manage.py` with `args` in `env`; its standard output."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(workers: int = 4, log: Path | None = None) -> Iterator[str]:
    """Run gunicorn with production-like settings; yield its base URL. Its error log (each
    server error's traceback) goes to `log` when given, else to this process's stderr."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-" + "s" * 50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DOBRY_BENCH_HELLO": "1",
        "DOBRY_ENCRYPTION_SALT": os.environ.get("DOBRY_ENCRYPTION_SALT", "bench-salt"),
        "DOBRY_OPERATOR_NAME": os.environ.get("DOBRY_OPERATOR_NAME", "Оператор стенда"),
        "DOBRY_OPERATOR_ADDRESS": os.environ.get("DOBRY_OPERATOR_ADDRESS", "адрес стенда"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "dobry.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--timeout=60",  # as docs/deployment.md
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        stderr=log.open("a") if log else None,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/bench/hello", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=60)  # workers finish their requests first


def hammer(url: str, seconds: float, concurrency: int) -> tuple[float, int]:
    """Requests per second and number of non-2xx answers for GETs of `url`."""
    deadline = time.monotonic() + seconds

    def worker() -> tuple[int, int]:
        done = failed = 0
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    response.read()
                    done += 1
            except OSError:
                failed += 1
        return done, failed

    started = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda _: worker(), range(concurrency)))
    elapsed = time.monotonic() - started
    return sum(d for d, _ in results) / elapsed, sum(f for _, f in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with serve() as base:
        hello, hello_failed = hammer(base + "/bench/hello", args.seconds, args.concurrency)
        home, home_failed = hammer(base + "/", args.seconds, args.concurrency)
        catalogue, cat_failed = hammer(base + "/organizations/", args.seconds, args.concurrency)
    print(f"hello baseline: {hello:8.1f} req/s  (errors: {hello_failed})")
    print(
        f"home page:      {home:8.1f} req/s  = {home / hello:.2f} × hello  (errors: {home_failed})"
    )
    print(
        f"catalogue:      {catalogue:8.1f} req/s  = {catalogue / hello:.2f} × hello  "
        f"(errors: {cat_failed})"
    )


if __name__ == "__main__":
    main()
