"""Version counters of derived data, raised in the same transaction as the writes they follow.

A process that keeps something built from the tables (the match data, the search index) needs to
know cheaply whether it is still current. Each `WatchedData` names the models and tables its data
is built from; session events see every write the app makes to them (objects flushed through the
unit of work in `before_flush`; INSERT, UPDATE and DELETE statements run through `Session.execute`,
bulk imports included, in `do_orm_execute`) and, just before COMMIT, raise the counter once per
transaction. So the row lock on PostgreSQL is held only for the commit, a reader that sees the new
version also sees the data (they commit together), and a rolled-back transaction raises nothing.
Reading a version is one primary-key read.

A counter may also keep a log of what changed (`after_raise`: called with the new version in the
same transaction; the matching data writes its change log there, app/matchmaking/changes.py).

Writes made outside the app (SQL by hand) are not seen: raise the counter by hand too, e.g.
`UPDATE data_version SET version = version + 1 WHERE name = 'matching'`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import BigInteger, String, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from app.extensions import db

_CHANGED = "watched_data_changed"  # session.info key: names of the data changed in this transaction


class DataVersion(db.Model):
    """One counter per kind of derived data (its row is made on the first write it follows)."""

    __tablename__ = "data_version"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


@dataclass(frozen=True)
class WatchedData:
    """Derived data built from `models` and the plain `tables` (association tables)."""

    name: str
    models: tuple[type, ...]
    tables: frozenset[str]
    after_raise: Callable[[Session, int], None] | None = None

    def version(self, session: Session) -> int:
        """The committed version (0 before the first write it follows)."""
        found = session.scalar(select(DataVersion.version).where(DataVersion.name == self.name))
        return int(found or 0)

    def has_uncommitted_changes(self, session: Session) -> bool:
        """Whether `session` holds writes this data depends on that are not committed yet."""
        if self.name in session.info.get(_CHANGED, ()):
            return True
        return any(isinstance(instance, self.models) for instance in _pending(session))


_watched: list[WatchedData] = []


def watch(
    name: str,
    models: Iterable[type],
    tables: Iterable[str] = (),
    after_raise: Callable[[Session, int], None] | None = None,
) -> WatchedData:
    """Follow writes to `models` (and `tables`) with the counter `name`; `after_raise(session,
    version)` runs in the committing transaction right after the counter was raised."""
    models = tuple(models)
    watched = WatchedData(
        name,
        models,
        frozenset({model.__table__.name for model in models} | set(tables)),
        after_raise,
    )
    _watched.append(watched)
    return watched


def _pending(session: Session) -> tuple:
    return (*session.new, *session.dirty, *session.deleted)


def _mark(session: Session, names: Iterable[str]) -> None:
    session.info.setdefault(_CHANGED, set()).update(names)


@event.listens_for(Session, "before_flush")
def _note_flushed_changes(session: Session, _context, _instances) -> None:
    pending = _pending(session)
    # A course whose skills changed is in session.dirty: association tables are caught too.
    _mark(
        session,
        (w.name for w in _watched if any(isinstance(instance, w.models) for instance in pending)),
    )


@event.listens_for(Session, "do_orm_execute")
def _note_statement_changes(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is not None:
        _mark(state.session, (w.name for w in _watched if table.name in w.tables))


@event.listens_for(Session, "before_commit")
def _raise_versions_before_commit(session: Session) -> None:
    session.flush()  # the flush the commit would do next: its changes are noted first
    changed = session.info.pop(_CHANGED, None)
    if not changed:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = DataVersion.__table__
    hooks = {w.name: w.after_raise for w in _watched if w.after_raise is not None}
    for name in sorted(changed):  # one order everywhere: no deadlock between two committers
        version = session.execute(
            insert(table)
            .values(name=name, version=1)
            .on_conflict_do_update(index_elements=["name"], set_={"version": table.c.version + 1})
            .returning(table.c.version)
        ).scalar_one()
        hook = hooks.get(name)
        if hook is not None:
            hook(session, int(version))


@event.listens_for(Session, "after_transaction_end")
def _forget_after_transaction(session: Session, transaction) -> None:
    if transaction.parent is None:  # the session's own transaction ended: committed or undone
        session.info.pop(_CHANGED, None)
