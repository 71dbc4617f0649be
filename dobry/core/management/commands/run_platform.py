import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from dobry.core.site import site_origin


class Command(BaseCommand):
    help = (
        "Development: serve the site on 127.0.0.1:$PORT with the background worker and the "
        "scheduler beside it; Ctrl+C stops all three."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        port = os.environ.get("PORT", "8000")
        manage = [sys.executable, "manage.py"]
        children = [
            subprocess.Popen([*manage, "run_worker", "--no-reload"]),
            subprocess.Popen([*manage, "run_scheduler"]),
        ]
        self.stdout.write(
            self.style.SUCCESS(f"Dobry: {site_origin()}/ (worker and scheduler running)")
        )
        mail_folder = getattr(settings, "EMAIL_FILE_PATH", None)
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend") and mail_folder:
            self.stdout.write(f"Emails are written as files to {mail_folder}/ (newest last).")
        try:
            subprocess.call([*manage, "runserver", f"127.0.0.1:{port}"])
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
