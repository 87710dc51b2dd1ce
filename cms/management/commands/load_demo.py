"""`manage.py load_demo`: load the demo data set (idempotent; see fixtures/)."""

import logging

from django.core.management.base import BaseCommand

from fixtures.loader import load_demo


class Command(BaseCommand):
    help = "Läser in demoinnehållet (taxonomi, sidor, forum, konferens och demokonton)."

    def handle(self, *args, **options):
        # Wagtail logs every page it creates; the summary below says enough here.
        wagtail_logger = logging.getLogger("wagtail")
        previous_level = wagtail_logger.level
        wagtail_logger.setLevel(logging.WARNING)
        try:
            load_demo(report=lambda line: self.stdout.write(line))
        finally:
            wagtail_logger.setLevel(previous_level)
        self.stdout.write(self.style.SUCCESS("Demoinnehållet är inläst."))
