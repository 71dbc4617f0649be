from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dobry.accounts.models import User
from dobry.accounts.services import api_token_create
from dobry.core.errors import DomainError


class Command(BaseCommand):
    help = "Create a personal API token for a user and print it (for operators and scripts)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="manage.py issue_token")

    def handle(self, *args: Any, email: str, name: str, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with email {email}.")
        try:
            _token, raw = api_token_create(user=user, name=name)
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(raw)
