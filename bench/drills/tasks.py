"""The drills' own task: it notes each start and each end in a file, so a run killed midway
and a run that went twice can be told apart."""

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def noted_step(marker: str, seconds: float) -> str:
    """Note «start», work for `seconds`, note «done»."""
    path = Path(marker)
    with path.open("a") as notes:
        notes.write(f"start {os.getpid()}\n")
    time.sleep(seconds)
    with path.open("a") as notes:
        notes.write(f"done {os.getpid()}\n")
    return "done"
