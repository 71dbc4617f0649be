"""The scale-out layout on one machine (issue 17; docs/deployment.md «Scale-out»).

nginx (Debian's, run as a child with its own configuration in a temporary folder) balances
two gunicorn instances on two ports; three `run_worker` processes and one `run_scheduler`
work beside them; all of them use one PostgreSQL through a connection pool in each process
(`DOBRY_DB_POOL`). Every process runs with the production settings (`DJANGO_ENV=production`,
DEBUG off) except TLS: the layout answers plain HTTP on 127.0.0.1. Ctrl+C or SIGTERM stops
everything: nginx first, then the web instances (requests in flight finish), the workers
(a task in flight finishes) and the scheduler.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dobry_scale DOBRY_VAR_DIR=/tmp/var_scale \\
        .venv/bin/python -m bench.scaleout [--port 8080] [--web-workers 3] [--redis]

(`make scaleout` runs the same.) It migrates the database and collects the static files
first. `bench/drills/scaleout.py` starts the same layout on the drills' private cluster.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX = os.environ.get("DOBRY_NGINX", "/usr/sbin/nginx")
REDIS = os.environ.get("DOBRY_REDIS_SERVER", "/usr/bin/redis-server")
WORKERS = 3
# What the drill reads from nginx's log: when, the answer, which instance answered (and,
# after a retry, every instance tried: «127.0.0.1:8001, 127.0.0.1:8002»).
LOG_FORMAT = "$msec|$status|$request_method|$uri|$upstream_addr|$upstream_status"


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def nginx_config(
    *, folder: Path, port: int, web_ports: list[int], media: Path, private: Path
) -> str:
    """nginx's whole configuration for the layout: the `server` block is docs/deployment.md's
    (public media aliased, private media `internal` behind X-Accel-Redirect, everything else
    proxied) with an `upstream` of the web instances instead of one address."""
    servers = "\n".join(
        f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;" for p in web_ports
    )
    user = "user root;" if os.geteuid() == 0 else ""  # its workers read the private folder
    return f"""
{user}
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {folder}/temp/body;
    proxy_temp_path {folder}/temp/proxy;
    fastcgi_temp_path {folder}/temp/fastcgi;
    uwsgi_temp_path {folder}/temp/uwsgi;
    scgi_temp_path {folder}/temp/scgi;
    log_format layout '{LOG_FORMAT}';
    access_log {folder}/access.log layout;

    # A web instance that refuses or drops a connection is left out for fail_timeout,
    # then tried again with live requests (a restarted instance takes load by itself).
    upstream dobry {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 20m;
        location /media/ {{ alias {media}/; add_header X-Content-Type-Options nosniff; }}
        location /_private/ {{
            internal;
            alias {private}/;
            types {{ }}
            default_type application/octet-stream;
            add_header X-Content-Type-Options nosniff always;
        }}
        location / {{
            proxy_pass http://dobry;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            # An instance killed or restarting: the request goes to the other one. nginx
            # re-sends only what is safe: any request that never reached the instance
            # (connection refused), and a GET or HEAD whose answer was cut; a POST the
            # instance had already received is not sent twice (it answers 502).
            proxy_next_upstream error timeout http_502 http_504;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 2s;
            proxy_read_timeout 65s;
        }}
    }}
}}
"""


def production_env(
    database_url: str, var_dir: Path, port: int, cache_url: str = ""
) -> dict[str, str]:
    """The environment of every process of the layout: production settings behind nginx."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dobry.settings",
        "DJANGO_ENV": "production",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": database_url,
        "DOBRY_VAR_DIR": str(var_dir),
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "scaleout-" + "s" * 50),
        "DOBRY_ENCRYPTION_SALT": os.environ.get("DOBRY_ENCRYPTION_SALT", "scaleout-salt"),
        "DOBRY_OPERATOR_NAME": os.environ.get("DOBRY_OPERATOR_NAME", "Оператор стенда"),
        "DOBRY_OPERATOR_ADDRESS": os.environ.get("DOBRY_OPERATOR_ADDRESS", "адрес стенда"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DOBRY_SITE_URL": f"http://127.0.0.1:{port}",
        # plain HTTP on this machine; TLS is the front nginx's in production
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DOBRY_TRUSTED_PROXIES": "127.0.0.1,::1",
        "DOBRY_PRIVATE_MEDIA_ACCEL_PREFIX": "/_private/",
        "DOBRY_DB_POOL": os.environ.get("DOBRY_DB_POOL", "1"),
        "DOBRY_BENCH_HELLO": "1",
        "DOBRY_TASK_LOG_LEVEL": os.environ.get("DOBRY_TASK_LOG_LEVEL", "WARNING"),
    }
    if cache_url:
        env["DOBRY_CACHE_URL"] = cache_url
    return env


class Layout:
    """The processes of the layout, each in a process group of its own (Ctrl+C in the
    terminal reaches this script only, which stops them in order)."""

    def __init__(
        self,
        *,
        database_url: str,
        var_dir: Path,
        port: int = 0,
        web_workers: int = (os.cpu_count() or 1) + 1,
        redis: bool = False,
    ) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="dobry-scaleout-"))
        self.port = port or free_port()
        self.web_ports = [free_port(), free_port()]
        self.web_workers = web_workers
        self.var_dir = var_dir
        self.redis_port = free_port() if redis else 0
        cache_url = f"redis://127.0.0.1:{self.redis_port}/0" if redis else ""
        self.env = production_env(database_url, var_dir, self.port, cache_url)
        self.worker_ids = [f"scaleout-worker-{n}" for n in range(1, WORKERS + 1)]
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def access_log(self) -> Path:
        return self.folder / "access.log"

    def _spawn(self, name: str, command: list[str]) -> None:
        log = (self.folder / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def prepare(self) -> None:
        """Migrate and collect the static files, as an upgrade does (docs/deployment.md)."""
        for args in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True)

    def start_web(self, n: int) -> None:
        self._spawn(
            f"web-{n + 1}",
            [str(Path(sys.executable).parent / "gunicorn"), "dobry.wsgi",
             f"--bind=127.0.0.1:{self.web_ports[n]}", f"--workers={self.web_workers}",
             "--timeout=60", "--graceful-timeout=20", "--log-level=warning"],
        )  # fmt: skip

    def wait_web(self, n: int, seconds: float = 60) -> float:
        """Seconds until instance `n` answers /health/live itself (not through nginx)."""
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            try:
                url = f"http://127.0.0.1:{self.web_ports[n]}/health/live"
                with urllib.request.urlopen(url, timeout=2):
                    return time.monotonic() - started
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"web-{n + 1} did not answer in {seconds} s")

    def kill_web(self, n: int) -> None:
        """SIGKILL the whole instance (its master and workers), as a lost machine."""
        process = self.processes[f"web-{n + 1}"]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def start(self) -> None:
        (self.folder / "temp").mkdir()
        media = Path(self.env.get("DOBRY_MEDIA_ROOT", self.var_dir / "media"))
        private = Path(self.env.get("DOBRY_PRIVATE_MEDIA_ROOT", self.var_dir / "private"))
        for folder in (media, private):
            folder.mkdir(parents=True, exist_ok=True)
        if self.redis_port:
            self._spawn(
                "redis",
                [REDIS, "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", str(self.folder)],
            )  # fmt: skip
        config = self.folder / "nginx.conf"
        config.write_text(
            nginx_config(
                folder=self.folder, port=self.port, web_ports=self.web_ports, media=media,
                private=private,
            )
        )  # fmt: skip
        for n in range(len(self.web_ports)):
            self.start_web(n)
        manage = [sys.executable, "manage.py"]
        for worker_id in self.worker_ids:
            self._spawn(worker_id, [*manage, "run_worker", "--no-reload", "--worker-id", worker_id])
        self._spawn("scheduler", [*manage, "run_scheduler"])
        for n in range(len(self.web_ports)):
            self.wait_web(n)
        self._spawn("nginx", [NGINX, "-p", str(self.folder), "-c", str(config), "-e",
                              str(self.folder / "nginx-error.log")])  # fmt: skip
        for _ in range(100):
            try:
                with urllib.request.urlopen(self.base + "/health/live", timeout=2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"nginx did not answer; see {self.folder}/nginx-error.log")

    def stop(self) -> None:
        """nginx first (no new requests), then the rest; what does not stop in 30 s is
        killed."""
        order = ["nginx", *(n for n in self.processes if n.startswith("web-")), *self.worker_ids,
                 "scheduler", "redis"]  # fmt: skip
        for name in order:
            process = self.processes.get(name)
            if process and process.poll() is None:
                os.killpg(process.pid, signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
        deadline = time.monotonic() + 30
        for name in order:
            process = self.processes.get(name)
            if not process:
                continue
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def describe(self) -> str:
        web = ", ".join(f"gunicorn :{p} ({self.web_workers} workers)" for p in self.web_ports)
        cache = f"Redis :{self.redis_port}" if self.redis_port else "files in $DOBRY_VAR_DIR/cache"
        return (
            f"nginx {self.base}/ → {web}; {WORKERS} run_worker, 1 run_scheduler; "
            f"database pool {'on' if self.env['DOBRY_DB_POOL'] != '0' else 'off'}; "
            f"cache: {cache}; logs in {self.folder}/"
        )


@contextmanager
def running(layout: Layout) -> Iterator[Layout]:
    try:
        layout.start()
        yield layout
    finally:
        layout.stop()


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8080, help="nginx's port (default 8080)")
    parser.add_argument("--web-workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--redis", action="store_true", help="a Redis cache (redis-server)")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        parser.error("DATABASE_URL must name a PostgreSQL database")
    var_dir = Path(os.environ.get("DOBRY_VAR_DIR", ROOT / "var"))
    layout = Layout(
        database_url=database_url, var_dir=var_dir, port=args.port,
        web_workers=args.web_workers, redis=args.redis,
    )  # fmt: skip
    signal.signal(signal.SIGTERM, _terminate)
    try:
        layout.prepare()
        with running(layout):
            print(layout.describe(), flush=True)
            print("Ctrl+C stops everything.", flush=True)
            reported: set[str] = set()
            while True:
                time.sleep(1)
                for name, process in layout.processes.items():
                    if process.poll() is not None and name not in reported:
                        reported.add(name)
                        print(
                            f"{name} exited ({process.returncode}); see {layout.folder}/{name}.log"
                        )
    except KeyboardInterrupt:
        print("stopping…", flush=True)
    finally:
        shutil.rmtree(layout.folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
