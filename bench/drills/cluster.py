"""A private PostgreSQL cluster for the drills: Debian's binaries, a temporary folder, a
free port, `fsync` off (it is thrown away). initdb refuses to run as root, so as root the
cluster runs as the `postgres` system user (`runuser`)."""

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("DOBRY_PG_BIN", "/usr/lib/postgresql/15/bin"))
DATABASE = "dobry_drill"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    def __init__(self, folder: Path, port: int) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.port = port
        self.user = "postgres" if os.geteuid() == 0 else None

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", self.user, "--"] if self.user else []
        return subprocess.run(
            [*prefix, *command], check=check, capture_output=True, text=True, cwd=self.folder
        )

    def init(self) -> None:
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self._run(
            str(BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=60"
        )
        self._run(
            str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"),
            "-o", options, "-w", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def psql(self, command: str, database: str = "postgres") -> str:
        done = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
             "-Atc", command],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        return done.stdout.strip()


def drill_env(cluster: Cluster, var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of `manage.py` and the workers against the cluster."""
    return {
        **os.environ,
        "DATABASE_URL": cluster.url,
        "DOBRY_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "dobry.settings",
        **extra,
    }


@contextmanager
def private_cluster() -> Iterator[tuple[Cluster, Path]]:
    """A started cluster with the database `dobry_drill` migrated; its var folder."""
    folder = Path(tempfile.mkdtemp(prefix="dobry-drill-pg-"))
    cluster = Cluster(folder, free_port())
    var_dir = Path(tempfile.mkdtemp(prefix="dobry-drill-var-"))
    started = time.monotonic()
    try:
        cluster.init()
        cluster.start()
        cluster.psql(f"CREATE DATABASE {DATABASE}")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT, env=drill_env(cluster, var_dir), check=True,
        )  # fmt: skip
        print(
            f"private cluster on port {cluster.port} ({folder}), migrated in "
            f"{time.monotonic() - started:.0f} s",
            flush=True,
        )
        yield cluster, var_dir
    finally:
        cluster.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(var_dir, ignore_errors=True)
