"""`manage.py import_content FILE.jsonl`: create or update pages from the corpus format."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cms.importer import ImportValidationError, import_records, parse_lines
from cms.search_signals import live_updates_paused
from search.indexing import rebuild


class Command(BaseCommand):
    help = ("Läser in metoder, vägledningar och goda exempel från en JSONL-fil "
            "(formatet i fixtures/content/FORMAT.md). Allt valideras först; "
            "en felaktig rad gör att inget läses in.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--owner", help="E-postadress till innehållsansvarig för nya sidor.")
        parser.add_argument("--no-progress", action="store_true", help="Ingen förloppsindikator.")

    def handle(self, *args, file: Path, owner: str | None = None, no_progress=False, **options):
        if not file.is_file():
            raise CommandError(f"Filen {file} finns inte.")
        owner_user = None
        if owner:
            owner_user = get_user_model().objects.filter(email__iexact=owner).first()
            if owner_user is None:
                raise CommandError(f"Ingen användare med e-postadressen {owner}.")
        try:
            lines = file.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError as exc:
            raise CommandError(f"Filen är inte UTF-8: {exc}") from None
        try:
            records = parse_lines(lines)
        except ImportValidationError as exc:
            for line, message in exc.errors:
                self.stderr.write(f"Rad {line}: {message}")
            raise CommandError(f"{len(exc.errors)} fel hittades. Inget lästes in.") from None

        def progress(items):
            return tqdm(items, desc="Läser in", unit="rad", disable=no_progress,
                        file=self.stderr._out)

        try:
            # One rebuild afterwards instead of a reindexing task per imported object.
            with live_updates_paused():
                result = import_records(records, progress=progress, owner=owner_user)
        except ImportValidationError as exc:
            raise CommandError(f"{exc} Inget lästes in.") from None
        self.stdout.write(self.style.SUCCESS(
            f"Klart: {result.created} nya, {result.updated} uppdaterade, "
            f"{result.unchanged} oförändrade sidor."
        ))
        labels = {"forum": "Forumtrådar", "konferens": "Konferenspass"}
        for kind, counts in sorted(result.external.items()):
            self.stdout.write(
                f"{labels.get(kind, kind)}: {counts['created']} nya, {counts['updated']} "
                f"uppdaterade, {counts['unchanged']} oförändrade."
            )
        for kind, count in sorted(result.skipped.items()):
            self.stdout.write(f"Hoppade över {count} rader av typen {kind} "
                              f"(läses in när den delen av plattformen finns).")
        self.stdout.write(f"Sökindexet: {rebuild()} dokument.")
