"""`manage.py load_demo`: load the demo data set (idempotent; see fixtures/)."""

from django.core.management.base import BaseCommand

from fixtures.loader import load_demo


class Command(BaseCommand):
    help = "Läser in demoinnehållet (taxonomi, sidor, forum, konferens och demokonton)."

    def handle(self, *args, **options):
        load_demo(report=lambda line: self.stdout.write(line))
        self.stdout.write(self.style.SUCCESS("Demoinnehållet är inläst."))
