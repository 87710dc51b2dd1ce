"""`manage.py search_evaluate --corpus FILE --queries FILE [--backend …] [--json]`.

Builds a scratch database (a temporary SQLite file, or --database-url on PostgreSQL, created
and dropped here), imports the corpus with import_content, indexes it, and runs every query
through the same code path as the API (search.service.run_search, facets and snippets
included) as an ordinary signed-in member of staff. Prints nDCG@10, recall@10, MRR@10, the
zero-result rate and p50/p95 latency, overall and per query category.
"""

from __future__ import annotations

import json
import os
import subprocess  # nosec B404 # runs this interpreter on a fixed argument list
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

INNER_FLAG = "--inside-scratch-database"


class Command(BaseCommand):
    help = "Mäter sökkvaliteten (nDCG@10, recall@10, MRR) på en bedömd frågemängd."

    def add_arguments(self, parser):
        parser.add_argument("--corpus", type=Path, required=True)
        parser.add_argument("--queries", type=Path, required=True)
        parser.add_argument("--backend", choices=["database", "elasticsearch"], default="database")
        parser.add_argument("--database-url", help="PostgreSQL URL of a scratch database to "
                            "create and drop (default: a temporary SQLite file)")
        parser.add_argument("--replace-existing", action="store_true",
                            help="drop the --database-url database first if it exists")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
        parser.add_argument("--show", action="store_true",
                            help="also print each query's metrics and top 10")
        parser.add_argument(INNER_FLAG, action="store_true", help="(internal)")

    def handle(self, *args, **options):
        for name in ("corpus", "queries"):
            if not options[name].is_file():
                raise CommandError(f"Filen {options[name]} finns inte.")
        if options["backend"] == "elasticsearch" and not settings.ELASTICSEARCH_URL:
            raise CommandError("Sätt ELASTICSEARCH_URL för att mäta Elasticsearch-backenden.")
        if options["inside_scratch_database"]:
            return self._evaluate(options)
        return self._in_scratch_database(options)

    def _in_scratch_database(self, options):
        """Re-run this command in a child process whose DATABASE_URL is the scratch one."""
        from mrnavet.scratchdb import ScratchDatabase

        scratch = ScratchDatabase(options["database_url"], options["replace_existing"])
        scratch.create()
        try:
            argv = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "search_evaluate",
                    "--corpus", str(options["corpus"].resolve()),
                    "--queries", str(options["queries"].resolve()),
                    "--backend", options["backend"], INNER_FLAG]
            argv += ["--json"] if options["json"] else []
            argv += ["--show"] if options["show"] else []
            # DEBUG off so query logging does not distort the latencies.
            env = {**os.environ, "DATABASE_URL": scratch.url, "TASKS_BACKEND": "immediate",
                   "LOG_LEVEL": "WARNING", "DEBUG": "false"}
            if not os.environ.get("SECRET_KEY"):
                env["TESTING"] = "true"  # allows the development key in this child only
            completed = subprocess.run(argv, env=env, check=False)  # nosec B603 # fixed argument list built from the command's own options, no shell
            if completed.returncode:
                raise CommandError("Utvärderingen misslyckades (se utskriften ovan).")
        finally:
            scratch.drop()

    def _evaluate(self, options):
        from django.contrib.auth import get_user_model
        from django.db import connection

        from search.evaluation import evaluate, load_queries
        from search.indexing import rebuild
        from search.service import run_search

        call_command("migrate", verbosity=0)
        call_command("import_content", str(options["corpus"]), "--no-progress", verbosity=0,
                     stdout=open(os.devnull, "w"))
        count = rebuild(options["backend"])
        user, _ = get_user_model().objects.get_or_create(
            email="utvardering@malmo.se", defaults={"display_name": "Utvärdering"})

        def search(text: str) -> list[str]:
            outcome = run_search(text, user=user, backend=options["backend"])
            return [hit.public_id for hit in outcome.hits]

        database = f"{connection.vendor} ({count} documents)"
        report = evaluate(load_queries(options["queries"]), search, options["backend"], database)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
            return
        if options["show"]:
            for item in report.as_json()["queries"]:
                self.stdout.write(f"{item['qid']} {item['category']:<20} nDCG {item['ndcg@10']:.2f} "
                                  f"R {item['recall@10']:.2f}  {item['query']}")
        self.stdout.write(report.as_table())
