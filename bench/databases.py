"""A fresh database for one benchmark run: a SQLite file in a temporary folder, or a database of
its own on a PostgreSQL server (created at the start, dropped at the end), so a benchmark never
touches the database the tests use."""

from __future__ import annotations

from pathlib import Path


class FreshDatabase:
    """A fresh database: a SQLite file in `folder`, or a new database on a PostgreSQL server."""

    def __init__(self, target: str, folder: Path, name: str) -> None:
        self.server = None
        self.name = name
        if target == "sqlite":
            self.url = f"sqlite:///{folder / (name + '.db')}"
            self.kind = "SQLite"
            return
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        server = make_url(target)
        self.server = create_engine(server, isolation_level="AUTOCOMMIT")
        with self.server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{self.name}"'))
            version = connection.execute(text("SHOW server_version")).scalar_one()
        self.url = server.set(database=self.name).render_as_string(hide_password=False)
        self.kind = "PostgreSQL " + version.split()[0]

    def drop(self) -> None:
        if self.server is None:
            return
        from sqlalchemy import text

        with self.server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.server.dispose()
