"""Read the bounce mailbox (IMAP or POP3) and score what it reports (communications.bounces).

    manage.py read_bounces --protocol imap --host mail.example.org --user bounces
    (password in DOBRY_BOUNCE_MAILBOX_PASSWORD, never on the command line)

Run it from cron or the scheduler every few minutes; each message read is deleted."""

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dobry.communications.bounces import Mailbox, bounce_record, read_mailbox
from dobry.communications.models import Suppression

DEFAULT_PORTS = {
    ("imap", True): 993,
    ("imap", False): 143,
    ("pop3", True): 995,
    ("pop3", False): 110,
}


class Command(BaseCommand):
    help = "Read a bounce mailbox over IMAP or POP3 and score the bounces and complaints."

    def add_arguments(self, parser: CommandParser) -> None:
        env = os.environ.get
        parser.add_argument(
            "--protocol",
            choices=["imap", "pop3"],
            default=env("DOBRY_BOUNCE_MAILBOX_PROTOCOL", "imap"),
        )
        parser.add_argument("--host", default=env("DOBRY_BOUNCE_MAILBOX_HOST", ""))
        parser.add_argument("--port", type=int, default=None)
        parser.add_argument("--user", default=env("DOBRY_BOUNCE_MAILBOX_USER", ""))
        parser.add_argument(
            "--no-ssl", action="store_true", help="plain connection (tests, localhost)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("DOBRY_BOUNCE_MAILBOX_PASSWORD", "")
        if not options["host"] or not options["user"]:
            raise CommandError("Set --host and --user (or DOBRY_BOUNCE_MAILBOX_HOST/USER).")
        ssl = not options["no_ssl"]
        mailbox = Mailbox(
            protocol=options["protocol"],
            host=options["host"],
            port=options["port"] or DEFAULT_PORTS[(options["protocol"], ssl)],
            user=options["user"],
            password=password,
            ssl=ssl,
        )
        read, bounces = read_mailbox(mailbox, received=timezone.now())
        suppressed = 0
        for bounce in bounces:
            result = bounce_record(bounce, source=f"mailbox:{mailbox.protocol}")
            suppressed += isinstance(result, Suppression)
        self.stdout.write(f"messages={read} bounces={len(bounces)} suppressed={suppressed}")
