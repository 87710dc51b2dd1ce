"""A throw-away database for benchmarks and `search_evaluate`: a temporary SQLite file, or a
PostgreSQL database created here and dropped afterwards. Imports nothing from Django, so it
can be used before django.setup()."""

from __future__ import annotations

import tempfile
from urllib.parse import urlsplit, urlunsplit


class ScratchDatabase:
    """A temporary SQLite file, or a PostgreSQL database created and dropped here."""

    def __init__(self, url: str | None, replace_existing: bool):
        self.postgres = url is not None
        self.replace_existing = replace_existing
        if url is None:
            self.tmpdir = tempfile.mkdtemp(prefix="mrnavet-bench-")
            self.url = f"sqlite:///{self.tmpdir}/bench.sqlite3"
            self.description = f"SQLite {self.tmpdir}/bench.sqlite3"
            return
        parts = urlsplit(url)
        if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
            raise SystemExit(f"--database-url must be a PostgreSQL URL, got {parts.scheme!r}")
        self.name = parts.path.lstrip("/")
        if not self.name:
            raise SystemExit("--database-url needs a database name, e.g. …:5432/mrnavet_bench")
        self.url = url
        self.maintenance_url = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
        self.description = f"PostgreSQL {parts.hostname}:{parts.port or 5432}/{self.name}"

    def _admin(self):
        import psycopg

        return psycopg.connect(self.maintenance_url, autocommit=True)

    def create(self) -> None:
        if not self.postgres:
            return
        from psycopg import sql

        with self._admin() as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  [self.name]).fetchone()
            if exists and not self.replace_existing:
                raise SystemExit(
                    f"Database {self.name!r} already exists. This script drops its database "
                    "when done, so it will not use an existing one; pass --replace-existing "
                    "to drop and recreate it, or name another database."
                )
            if exists:
                conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)")
                             .format(sql.Identifier(self.name)))
            conn.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0")
                         .format(sql.Identifier(self.name)))

    def drop(self) -> None:
        if not self.postgres:
            import shutil

            shutil.rmtree(self.tmpdir, ignore_errors=True)
            return
        from psycopg import sql

        with self._admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                         .format(sql.Identifier(self.name)))
