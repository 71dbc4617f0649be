from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from dobry.accounts.models import User

# Each app's demo data, in dependency order. Every seed function is idempotent.
DEMO_SEEDERS = [
    "dobry.core.demo.seed",
    "dobry.accounts.demo.seed",
    "dobry.organizations.demo.seed",
    "dobry.events.demo.seed",
    "dobry.resources.demo.seed",
    "dobry.resources.demo.seed_rooms",
    "dobry.resources.demo.seed_library",
    "dobry.resources.demo.seed_trainings",
    "dobry.resources.demo.seed_groups",
    "dobry.helprequests.demo.seed",
    "dobry.grants.demo.seed",
    "dobry.opportunities.demo.seed",
    "dobry.charity.demo.seed",
    "dobry.civic.demo.seed",
    "dobry.civic.demo.seed_votes",
    "dobry.festivals.demo.seed",
    "dobry.communications.news.demo.seed",
    "dobry.communications.channels.demo.seed",
    "dobry.site.demo.seed_event_post",
    "dobry.communications.mailings.demo.seed",
    "dobry.reports.demo.seed",
]


class Command(BaseCommand):
    help = "Load the demo data of the passport «Добрый Железногорск» (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if the database has users"
        )

    def handle(self, *args: Any, if_empty: bool, **options: Any) -> None:
        if if_empty and User.objects.exists():
            self.stdout.write("Demo data: the database already has users, nothing loaded.")
            return
        with transaction.atomic():
            for path in DEMO_SEEDERS:
                import_string(path)()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
