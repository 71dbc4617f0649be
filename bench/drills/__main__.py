"""`make drill`: start the private cluster, run the drills, print PASS/FAIL for each; the
exit status is 1 when one failed. Names on the command line choose drills."""

import argparse
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from bench.drills.cluster import Cluster, free_port, private_cluster

DRILLS = ["postgres_restart", "worker_killed", "full_disk", "mail_down", "scaleout"]


def configure_django(cluster: Cluster, var_dir: Path, smtp_port: int) -> None:
    """This process talks to the cluster as the site does (DEBUG off, SMTP to the drill's
    sink); settings are read once, so before `django.setup()`."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "dobry.settings",
            "DJANGO_ENV": "development",
            "DJANGO_DEBUG": "false",
            "DATABASE_URL": cluster.url,
            "DOBRY_VAR_DIR": str(var_dir),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_USE_TLS": "false",
            "EMAIL_TIMEOUT": "5",
            "DOBRY_MAILING_RATE": "0",
            "DOBRY_MAILING_CONNECTIONS": "1",
            "DOBRY_TASK_LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("drills", nargs="*", metavar="drill", help=", ".join(DRILLS))
    chosen = parser.parse_args().drills or DRILLS
    unknown = set(chosen) - set(DRILLS)
    if unknown:
        parser.error(f"no such drill: {', '.join(sorted(unknown))}")
    results: dict[str, bool] = {}
    with private_cluster() as (cluster, var_dir):
        configure_django(cluster, var_dir, free_port())
        from importlib import import_module

        for name in chosen:
            run: Callable[[Cluster, Path], bool] = import_module(f"bench.drills.{name}").run
            started = time.monotonic()
            print(f"\n== {name}", flush=True)
            try:
                results[name] = run(cluster, var_dir)
            except Exception:
                traceback.print_exc()
                print(f"FAIL {name}: the drill itself broke (above)")
                results[name] = False
            print(f"   ({time.monotonic() - started:.0f} s)", flush=True)
    print("\n" + "\n".join(f"{'PASS' if ok else 'FAIL'} {name}" for name, ok in results.items()))
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
