import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import User
from api import tokens
from api.models import Scope


class Command(BaseCommand):
    help = "Lager en ny API-nøkkel for brukeren og skriver den ut (den vises bare nå)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--scope",
            action="append",
            choices=Scope.values,
            help="Tilgang (kan gis flere ganger); lese (read) når ingen er gitt.",
        )
        parser.add_argument("--name", default="Kommandolinjen")
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args, username, scope, name, days, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Fant ingen aktiv bruker «{username}».")
        days = min(days, settings.API_TOKEN_MAX_DAYS)
        try:
            _token, plain = tokens.create_token(
                user=user,
                name=name,
                scopes=scope or [Scope.READ],
                expires_at=timezone.now() + dt.timedelta(days=days),
                by=user,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(plain)
