"""`manage.py search_rebuild [--backend database|elasticsearch]`: rebuild the whole index."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search.backends import backend_name
from search.indexing import rebuild


class Command(BaseCommand):
    help = "Bygger om sökindexet från alla källor (sidor, forumtrådar, konferenspass)."

    def add_arguments(self, parser):
        parser.add_argument("--backend", choices=["database", "elasticsearch"],
                            help="standard: Elasticsearch om ELASTICSEARCH_URL är satt, "
                                 "annars databasen")
        parser.add_argument("--no-progress", action="store_true", help="Ingen förloppsindikator.")

    def handle(self, *args, backend=None, no_progress=False, **options):
        backend = backend or backend_name()
        bar = tqdm(desc="Indexerar", unit="dok", disable=no_progress, file=self.stderr._out)
        done = 0

        def progress(count: int) -> None:
            nonlocal done
            bar.update(count - done)
            done = count

        try:
            count = rebuild(backend, progress=progress)
        except Exception as exc:  # the cluster or database is unreachable, say so plainly
            raise CommandError(f"Sökindexet kunde inte byggas om ({backend}): {exc}") from exc
        finally:
            bar.close()
        self.stdout.write(self.style.SUCCESS(f"Klart: {count} dokument i sökindexet ({backend})."))
