from typing import Any

from django.core.management.base import BaseCommand

from dobry.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from dobry.accounts.models import User


class Command(BaseCommand):
    help = "Print the demo accounts (one per role) and their password."

    def handle(self, *args: Any, **options: Any) -> None:
        existing = set(User.objects.filter(is_active=True).values_list("email", flat=True))
        rows = [account for account in DEMO_ACCOUNTS if account.email in existing]
        if not rows:
            self.stdout.write("No demo accounts in this database.")
            return
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        for account in rows:
            self.stdout.write(f"  {account.role:<28} {account.email}")
