"""`manage.py forum_prune_read_marks`: delete read marks older than the unread cutoff.

Everything older than the cutoff counts as read anyway, so these rows decide nothing and
only make the read-mark tables (and every unread query) bigger.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from forum.models import CategoryRead, ThreadRead
from forum.unread import CUTOFF


class Command(BaseCommand):
    help = "Tar bort lässtatus för trådar och kategorier som är äldre än gränsen (30 dagar)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=CUTOFF.days,
                            help="Ta bort lässtatus äldre än så här många dagar (standard: 30).")

    def handle(self, *args, days: int, **options):
        if days < 1:
            raise CommandError("--days måste vara minst 1.")
        cutoff = timezone.now() - datetime.timedelta(days=days)
        threads, _ = ThreadRead.objects.filter(updated_at__lt=cutoff).delete()
        categories, _ = CategoryRead.objects.filter(marked_at__lt=cutoff).delete()
        self.stdout.write(f"Tog bort {threads} lässtatus för trådar och {categories} för "
                          f"kategorier äldre än {days} dagar.")
