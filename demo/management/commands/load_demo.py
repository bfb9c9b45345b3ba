"""`manage.py load_demo`: demo data built from the seed documents (see demo/build.py)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from demo import build as demo
from notifications.models import OutgoingMail

DEMO_MAILERS = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
DEMO_NOT_SENT = "Demodata: ikke sendt."


class Command(BaseCommand):
    help = (
        "Bygger demodata fra seed-dokumentene: organisasjoner, brukere og prosjekter. "
        "Kan kjøres flere ganger; det som finnes fra før, blir ikke endret."
    )

    def handle(self, *args, **options):
        # The demo's people have example.no addresses: building it (meetings called, answers
        # published, a protocol approved) sends no mail, wherever the mail is configured to go.
        # What it wrote to the outbox is kept as not sent, and the mailer is a dummy for what
        # would go out right after the commit.
        last = OutgoingMail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with override_settings(MAILERS=DEMO_MAILERS), transaction.atomic():
            summary = demo.build_demo()
            OutgoingMail.objects.filter(pk__gt=last, state=OutgoingMail.State.QUEUED).update(
                state=OutgoingMail.State.CANCELLED, last_error=DEMO_NOT_SENT
            )

        self.stdout.write(
            f"Nye brukere: {len(summary['users'])}, "
            f"nye organisasjoner: {len(summary['organisations'])}, "
            f"nye prosjekter: {len(summary['projects'])}."
        )
        for project in summary["projects"]:
            self.stdout.write(f"  nytt prosjekt: {project}")
        for project in summary["progress"]:
            self.stdout.write(f"  fremdriftsplan lagt til: {project}")
        for project in summary["roles"]:
            self.stdout.write(f"  organisasjon og bemanningsplan lagt til: {project}")
        for project in summary["consultations"]:
            self.stdout.write(f"  møter og spørsmål lagt til: {project}")
        for project in summary["steering"]:
            self.stdout.write(
                f"  risikoer, beslutningssaker og statusrapporter lagt til: {project}"
            )
        for name in summary["templates"]:
            self.stdout.write(f"  prosjektmal lagret: {name}")
        if summary["drafts"]:
            self.stdout.write(f"  nye utkast til statusrapporter: {summary['drafts']}")
        for project in summary["skipped"]:
            self.stdout.write(f"  finnes fra før, ikke endret: {project}")

        headers = ("Brukernavn", "Navn", "Stilling", "Roller")
        rows = demo.login_rows()
        widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(3)]
        self.stdout.write("")
        self.stdout.write(
            f"Demobrukere (passord «{demo.PASSWORD}», satt bare da brukeren ble opprettet):"
        )
        for row in [headers, *rows]:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  " + "  ".join([*cells, row[3]]))
