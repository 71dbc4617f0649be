"""Backup drill: back up, wipe, restore and verify — the procedure of docs/operations.md,
timed (issue 17).

On the PostgreSQL database of DATABASE_URL and the media folders of DOBRY_VAR_DIR:

1. records every table's exact row count, every sequence's last value, and a sample of
   rows (the first, the last and three between, by primary key, each as JSON);
2. backs up: `pg_dump --format=custom` and a tar.gz of `media/` and `private/`;
3. wipes: drops the database and deletes the media folders;
4. restores: `createdb` and `pg_restore`, then unpacks the media;
5. verifies the counts, the sequences, the sample and the media files (names and sizes),

printing how long each step took and PASS or FAIL. It destroys the database it is given
— that is the drill — so it asks for the database's name to be repeated:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dobry_drill DOBRY_VAR_DIR=/tmp/var_drill \\
        .venv/bin/python bench/backup_drill.py --wipe dobry_drill

The backup files stay in `--keep` (default: a temporary folder, removed at the end).
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

SAMPLE_ROWS = 5
MEDIA_FOLDERS = ("media", "private")


class Timer:
    """Each step's seconds, printed as it ends."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.monotonic()
        yield
        self.seconds[name] = time.monotonic() - started
        print(f"  {name:<28} {self.seconds[name]:8.1f} s", flush=True)


def connection_args(url: str) -> tuple[list[str], str, dict[str, str]]:
    """(`-h … -p … -U …` for the client programs, the database's name, their environment)."""
    parts = urlsplit(url)
    args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    if parts.username:
        args += ["-U", parts.username]
    env = dict(os.environ)
    if parts.password:
        env["PGPASSWORD"] = parts.password
    return args, parts.path.lstrip("/"), env


def tables(connection: psycopg.Connection[Any]) -> list[tuple[str, str | None]]:
    """(table, its one-column primary key or None) for every table of the public schema."""
    rows = connection.execute(
        """
        SELECT c.relname,
               (SELECT a.attname FROM pg_index i
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                WHERE i.indrelid = c.oid AND i.indisprimary AND i.indnatts = 1)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname
        """
    ).fetchall()
    return [(name, key) for name, key in rows]


def snapshot(url: str) -> dict[str, Any]:
    """Row counts, sequences and sampled rows of the database."""
    counts: dict[str, int] = {}
    samples: dict[str, list[str]] = {}
    with psycopg.connect(url) as connection:
        for table, key in tables(connection):
            name = sql.Identifier(table)
            (count,) = connection.execute(
                sql.SQL("SELECT count(*) FROM {}").format(name)
            ).fetchone() or (0,)
            counts[table] = count
            if key is None or count == 0:
                continue
            column = sql.Identifier(key)
            offsets = sorted(
                {0, count - 1, *(count * i // (SAMPLE_ROWS - 1) for i in range(1, SAMPLE_ROWS - 1))}
            )
            samples[table] = [
                str(row[0])
                for offset in offsets
                for row in connection.execute(
                    sql.SQL(
                        "SELECT row_to_json(t)::text FROM {} t ORDER BY {} OFFSET %s LIMIT 1"
                    ).format(name, column),
                    (offset,),
                )
            ]
        sequences: dict[str, int | None] = dict(
            connection.execute(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
            ).fetchall()
        )
    return {"counts": counts, "samples": samples, "sequences": sequences}


def media_listing(var_dir: Path) -> dict[str, str]:
    """Each media file's path and the digest of its bytes."""
    listing = {}
    for folder in MEDIA_FOLDERS:
        for path in sorted((var_dir / folder).rglob("*")):
            if path.is_file():
                listing[str(path.relative_to(var_dir))] = hashlib.sha256(
                    path.read_bytes()
                ).hexdigest()
    return listing


def run(command: list[str], env: dict[str, str]) -> None:
    subprocess.run(command, check=True, env=env)


def size(path: Path) -> str:
    return f"{path.stat().st_size / 1024 / 1024:.1f} MiB"


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    found = []
    for part in ("counts", "sequences", "samples", "media"):
        old, new = before[part], after[part]
        for key in sorted(set(old) | set(new)):
            if old.get(key) != new.get(key):
                found.append(f"{part}: {key}: {str(old.get(key))[:80]} != {str(new.get(key))[:80]}")
    return found


def drill(url: str, var_dir: Path, keep: Path, jobs: int) -> bool:
    args, database, env = connection_args(url)
    timer = Timer()
    print(f"Backup drill: database {database}, media under {var_dir}", flush=True)
    with timer.step("read counts and sample"):
        before = snapshot(url)
        before["media"] = media_listing(var_dir)
    rows = sum(before["counts"].values())
    print(
        f"  {len(before['counts'])} tables, {rows} rows, {len(before['media'])} media files",
        flush=True,
    )
    dump = keep / f"{database}.dump"
    media = keep / f"{database}-media.tgz"
    with timer.step("pg_dump (custom format)"):
        run(["pg_dump", *args, "--format=custom", f"--file={dump}", database], env)
    with timer.step("tar media"), tarfile.open(media, "w:gz") as archive:
        for folder in MEDIA_FOLDERS:
            if (var_dir / folder).exists():
                archive.add(var_dir / folder, arcname=folder)
    print(f"  dump {size(dump)}, media archive {size(media)}", flush=True)
    with timer.step("wipe (dropdb, rm media)"):
        run(["dropdb", *args, "--force", database], env)
        for folder in MEDIA_FOLDERS:
            shutil.rmtree(var_dir / folder, ignore_errors=True)
    with timer.step(f"restore (pg_restore -j {jobs})"):
        run(["createdb", *args, database], env)
        run(
            [
                "pg_restore",
                *args,
                "--no-owner",
                f"--jobs={jobs}",
                f"--dbname={database}",
                str(dump),
            ],
            env,
        )
    with timer.step("restore media"), tarfile.open(media) as archive:
        archive.extractall(var_dir, filter="data")
    with timer.step("verify"):
        after = snapshot(url)
        after["media"] = media_listing(var_dir)
    found = differences(before, after)
    total = sum(
        v for k, v in timer.seconds.items() if k != "read counts and sample" and k != "verify"
    )
    print(f"  backup + wipe + restore: {total:.1f} s", flush=True)
    sampled = sum(len(rows) for rows in before["samples"].values())
    if found:
        print(f"FAIL backup drill: {len(found)} differences", flush=True)
        for line in found[:20]:
            print("   ", line)
        return False
    print(
        f"PASS backup drill: {len(after['counts'])} tables and {rows} rows counted again, "
        f"{len(after['sequences'])} sequences, {sampled} sampled rows and "
        f"{len(after['media'])} media files identical",
        flush=True,
    )
    return True


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--wipe",
        required=True,
        metavar="DATABASE",
        help="the database's name, repeated: it is dropped and restored",
    )
    parser.add_argument("--keep", type=Path, help="keep the backup files in this folder")
    parser.add_argument(
        "--jobs", type=int, default=2, help="pg_restore's parallel jobs (default 2)"
    )
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        parser.error("DATABASE_URL must name a PostgreSQL database")
    if connection_args(url)[1] != options.wipe:
        parser.error(f"--wipe {options.wipe} does not name the database of DATABASE_URL")
    var_dir = Path(os.environ.get("DOBRY_VAR_DIR", "var"))
    if options.keep:
        options.keep.mkdir(parents=True, exist_ok=True)
        return 0 if drill(url, var_dir, options.keep, options.jobs) else 1
    with tempfile.TemporaryDirectory(prefix="dobry-backup-") as folder:
        return 0 if drill(url, var_dir, Path(folder), options.jobs) else 1


if __name__ == "__main__":
    sys.exit(main())
