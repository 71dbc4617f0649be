"""Read the bounce mailbox (IMAP or POP3) and score what it reports (communications.bounces).

    manage.py read_bounces                       # the mailbox of DOBRY_BOUNCE_MAILBOX_*
    manage.py read_bounces --protocol imap --host mail.example.org --user bounces
    (the password only in DOBRY_BOUNCE_MAILBOX_PASSWORD, never on the command line)

The periodic job `read_bounces` (dobry/site/schedule.py) does the same every ten minutes
when the mailbox is configured; each message read is deleted."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dobry.communications.bounces import DEFAULT_PORTS, Mailbox, empty_mailbox


class Command(BaseCommand):
    help = (
        "Read a bounce mailbox over IMAP or POP3: score the bounces and complaints, honour "
        "the unsubscribe requests sent to the List-Unsubscribe mailto address."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--protocol", choices=["imap", "pop3"], default=settings.DOBRY_BOUNCE_MAILBOX_PROTOCOL
        )
        parser.add_argument("--host", default=settings.DOBRY_BOUNCE_MAILBOX_HOST)
        parser.add_argument("--port", type=int, default=settings.DOBRY_BOUNCE_MAILBOX_PORT or None)
        parser.add_argument("--user", default=settings.DOBRY_BOUNCE_MAILBOX_USER)
        parser.add_argument(
            "--no-ssl",
            action="store_true",
            default=not settings.DOBRY_BOUNCE_MAILBOX_SSL,
            help="plain connection (tests, localhost)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["host"] or not options["user"]:
            raise CommandError("Set --host and --user (or DOBRY_BOUNCE_MAILBOX_HOST/USER).")
        ssl = not options["no_ssl"]
        mailbox = Mailbox(
            protocol=options["protocol"],
            host=options["host"],
            port=options["port"] or DEFAULT_PORTS[(options["protocol"], ssl)],
            user=options["user"],
            password=settings.DOBRY_BOUNCE_MAILBOX_PASSWORD,
            ssl=ssl,
        )
        done = empty_mailbox(mailbox)
        self.stdout.write(
            f"messages={done['messages']} bounces={done['bounces']} "
            f"suppressed={done['suppressed']} unsubscribed={done['unsubscribed']}"
        )
