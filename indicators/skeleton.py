"""One report skeleton for every scheme: the outcome indicators, DDU-GKY and WIOA.

A scheme says what its table holds (a TableSpec), how one group's figures are counted (a tally
with a row()) and how one worker enters the tallies; the skeleton does the rest the same way for
every scheme: check the records, keep what existed by the report date, count each worker in the
total and in the group(s) their figures belong to, sort the groups, apply disclosure control and
drop private helper fields.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from indicators.disclosure import TableSpec, suppress_table
from indicators.records import (
    EnrolmentRecord,
    PlacementRecord,
    RetentionCheckRecord,
    WorkerHistory,
    WorkerRecord,
    check_grouping,
    enrolment_group_key,
    worker_histories,
)


class Tally(Protocol):
    """The figures of one group (or the total) while workers are added."""

    def row(self) -> dict[str, Any]: ...


# The tallies one enrolment's figures go to: the total, and its group's when there is a grouping.
TalliesFor = Callable[[EnrolmentRecord], tuple[Any, ...]]


@dataclass(frozen=True)
class Scheme:
    """What makes one kind of report.

    table: its count, rate and derived columns, for disclosure control.
    new_tally: an empty tally of one group.
    add_worker(history, as_of, tallies_for): add one worker's figures; tallies_for(enrolment)
        gives the tallies a figure about that enrolment counts in (a worker counts once per
        tally because tallies hold sets of workers).
    extras(histories, suppress): fields of the report beside the table (DDU-GKY's batch alerts).
    gender_helpers: (gender, private field) pairs: the row counts of placed workers of a gender
        that the table's derived fields need, which an institution's scoped report recomputes.
    """

    name: str
    table: TableSpec
    new_tally: Callable[[], Any]
    add_worker: Callable[[WorkerHistory, date, TalliesFor], None]
    extras: Callable[[list[WorkerHistory], bool], dict[str, Any]] | None = None
    gender_helpers: tuple[tuple[str, str], ...] = ()


def scheme_report(
    scheme: Scheme,
    workers: Iterable[WorkerRecord],
    enrolments: Iterable[EnrolmentRecord],
    placements: Iterable[PlacementRecord],
    as_of: date,
    by: str | None = None,
    suppress: bool = True,
    *,
    protect_differences: bool = False,
    retention_checks: Iterable[RetentionCheckRecord] = (),
) -> dict[str, Any]:
    """The scheme's figures as of as_of: {"as_of", "by", "groups", "total"} (+ its extras).

    groups is empty without by and sorted by key with it; each row carries "suppressed", the
    hidden field names. suppress=False gives exact figures (administrators only).
    """
    check_grouping(by)
    histories = worker_histories(workers, enrolments, placements, as_of, retention_checks)
    total = scheme.new_tally()
    groups: dict[Hashable, Any] = {}

    for history in histories:
        tallies_for = _tallies_for(scheme, history, by, total, groups)
        scheme.add_worker(history, as_of, tallies_for)
    report = finish_report(
        as_of,
        by,
        {key: tally.row() for key, tally in groups.items()},
        total.row(),
        scheme.table,
        suppress=suppress,
        protect_differences=protect_differences,
    )
    if scheme.extras is not None:
        report.update(scheme.extras(histories, suppress))
    return report


def _tallies_for(
    scheme: Scheme, history: WorkerHistory, by: str | None, total: Any, groups: dict
) -> TalliesFor:
    if by is None:
        return lambda _enrolment: (total,)

    def tallies(enrolment: EnrolmentRecord) -> tuple[Any, ...]:
        key = enrolment_group_key(history, by, enrolment)
        if key not in groups:
            groups[key] = scheme.new_tally()
        return (total, groups[key])

    return tallies


def finish_report(
    as_of: date,
    by: str | None,
    group_rows: dict[Hashable, dict[str, Any]],
    total_row: dict[str, Any],
    spec: TableSpec,
    *,
    suppress: bool,
    protect_differences: bool = False,
) -> dict[str, Any]:
    """Sort the groups, apply disclosure control if asked and drop private helper fields."""
    keys = sorted(group_rows) if by is not None else []
    groups = [{"key": key, **group_rows[key]} for key in keys]
    if suppress:
        groups, total = suppress_table(
            groups, total_row, spec, protect_differences=protect_differences
        )
    else:
        total = {**total_row, "suppressed": []}
        groups = [{**row, "suppressed": []} for row in groups]
    return {
        "as_of": as_of.isoformat(),
        "by": by,
        "groups": [_public(row) for row in groups],
        "total": _public(total),
    }


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in row.items() if not name.startswith("_")}
