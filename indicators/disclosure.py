"""Statistical disclosure control for outcome tables: small counts must not identify anyone.

Every figure shown to anyone but an administrator, and every export marked public, goes through
`suppress_table`. It is pure: plain dicts in, plain dicts out, no Flask and no database.

What the rules protect against
------------------------------
1. Primary suppression: a count of 1 to ``threshold - 1`` (1-9 by default) is hidden, in the
   groups and in the total alike.
2. Complementary suppression: within each count column (the groups plus the total), a hidden
   cell must not be recoverable by subtracting the shown cells from the total. If exactly one
   cell of a column is hidden, the smallest shown non-zero group cell is hidden too (the total
   only when no group cell is left). Because zero is always shown, an attacker knows every
   hidden cell is at least 1; so when the hidden group cells of a column with a shown total are
   all 1s (their known sum equals their number, e.g. two hidden 1s that sum to 2), one more cell
   is hidden as well. After this every hidden group cell can take at least two values.
3. Anything built on a hidden count is hidden: a rate whose numerator or denominator is hidden
   (rate x cohort would give the count back), a median whose base count is hidden or 1-9
   (a median of one wage is that person's wage; a median shown beside a hidden count would
   also tell which hidden cell is the small one).
   The complementary cell is the smallest, except that the groups a table names in
   ``keep_keys`` are taken last: in the gender table the women's row stays shown and the men's
   is hidden instead (the cluster reports on women above all; a public table by gender that
   blanked the women's row to protect a small transgender row told it nothing about women).
   A total field that repeats one group's figure (``repeated``: the women's median wage in the
   total row is the women's row's median) is hidden when that group's is, and two fields of one
   group's row that are the same figure (``same_in_row``: in a table by gender, the women's
   row's "enrolled" and "enrolled women") are hidden together. Tables of one grouping that a
   report publishes side by side (the outcome table and the DDU-GKY table by gender) name the
   same ``keep_keys``, so they hide the same rows: a public export once hid the women's row in
   one sheet and the men's in the other, and the small transgender row came back by
   subtraction.
4. Optional (``protect_differences=True``): a difference of two nested columns that the reader
   can compute, such as cohort - placed = not placed, is treated like a count: when it is 1-9
   and both cells are shown, the inner cell (placed) is hidden, then rule 2 runs on it.
   Off by default because the contract suppresses cells, not implied differences, and because
   with high placement and retention rates it hides a large share of a table.

Zero is shown. A zero says "nobody in this group", which identifies no one and is the usual
practice of statistical offices; hiding zeros would also hide most of a sparse table. The price
is rule 2's "all 1s" case above and group disclosure: a cohort of 12 with 12 placed tells the
reader that everyone in that group was placed.

What they do not protect against (documented limits)
----------------------------------------------------
- Bounds, not exact values: two hidden cells summing to a known 25 leave each within 1..24;
  nested columns (retained <= cohort <= placed <= certified) narrow such intervals further.
- Differences across tables: the same data grouped two ways (by gender, by district), the same
  table at two report dates, or a series of month ends (the change from one month to the next
  can be a small count) are not checked against each other. Totals are consistent across the
  tables of one date because a total is only ever hidden when it is itself 1-9 (or, as a last
  resort, when a column has no other non-zero cell).
- Differences between nested columns unless ``protect_differences`` is on.
- Hidden-total columns with nine or more hidden groups of exactly 1 each (total 9): the reader
  can still tell each group is 1. The tables of this project never get near that.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

DEFAULT_THRESHOLD = 10


@dataclass(frozen=True)
class TableSpec:
    """Which fields of a table row are counts, and which fields are built on which counts.

    counts: count columns (non-negative ints), suppressed by rules 1 and 2.
    rates: (rate_field, numerator_count, denominator_count) triples.
    derived: (field, base_fields) pairs, e.g. a median and the count it was taken over. A base
        that is a count column hides the field when that count is hidden; a base that is not a
        count column (a private helper count such as ``_placed_women``) hides the field when its
        value is 1 to threshold - 1.
    nested: (outer, inner) count pairs whose difference (outer - inner) rule 4 protects.
    keep_keys: group keys whose cells complementary suppression hides last (rule 2).
    repeated: (group key, group field, total fields): where a group of that key is in the
        table, the total's fields that give its field again, hidden when it is hidden.
    same_in_row: (group key, field, twin field): in that group's row the two fields are one
        figure, hidden together (rule 2).
    """

    counts: tuple[str, ...]
    rates: tuple[tuple[str, str, str], ...] = ()
    derived: tuple[tuple[str, tuple[str, ...]], ...] = ()
    nested: tuple[tuple[str, str], ...] = ()
    keep_keys: frozenset[object] = frozenset()
    repeated: tuple[tuple[object, str, tuple[str, ...]], ...] = ()
    same_in_row: tuple[tuple[object, str, str], ...] = ()


def needs_suppression(
    *, viewer_is_admin: bool, public_export: bool = False, own_records: bool = False
) -> bool:
    """Administrators, and an institution reading its own trainees' figures (it holds their
    records already), see exact figures; everyone else, and any public export, sees suppressed."""
    return public_export or not (viewer_is_admin or own_records)


def suppress_table(
    groups: Sequence[Mapping[str, object]],
    total: Mapping[str, object],
    spec: TableSpec,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    protect_differences: bool = False,
) -> tuple[list[dict[str, object]], dict[str, object]]:
    """Return copies of the group rows and the total row with disclosive cells set to None.

    Each returned row gets ``suppressed``: the hidden field names in the row's field order.
    The groups are assumed to be the rows of one table whose total is ``total``.
    """
    if not isinstance(threshold, int) or threshold < 2:
        raise ValueError(f"threshold must be an int of at least 2, got {threshold!r}")
    rows = [dict(row) for row in groups] + [dict(total)]
    _check_rows(rows, spec)
    hidden: list[set[str]] = [set() for _ in rows]
    total_index = len(rows) - 1

    for row, row_hidden in zip(rows, hidden, strict=True):
        for count in spec.counts:
            if _is_small(row[count], threshold):
                row_hidden.add(count)

    if protect_differences:
        for row, row_hidden in zip(rows, hidden, strict=True):
            for outer, inner in spec.nested:
                if outer in row_hidden or inner in row_hidden:
                    continue
                if _is_small(_count(row, outer) - _count(row, inner), threshold):
                    row_hidden.add(inner)

    kept = {index for index in range(total_index) if rows[index].get("key") in spec.keep_keys}
    for count in spec.counts:
        _complete_column(rows, hidden, count, total_index, kept)
    for key, field, twin in spec.same_in_row:
        for row, row_hidden in zip(rows[:total_index], hidden, strict=False):
            if row.get("key") == key and {field, twin} & row_hidden:
                row_hidden.update((field, twin))

    count_fields = set(spec.counts)
    for row, row_hidden in zip(rows, hidden, strict=True):
        for rate, numerator, denominator in spec.rates:
            if numerator in row_hidden or denominator in row_hidden:
                row_hidden.add(rate)
        for field, bases in spec.derived:
            for base in bases:
                if base in count_fields:
                    if base in row_hidden:
                        row_hidden.add(field)
                elif _is_small(row[base], threshold):
                    row_hidden.add(field)

    for key, field, total_fields in spec.repeated:
        for row, row_hidden in zip(rows[:total_index], hidden, strict=False):
            if row.get("key") == key and field in row_hidden:
                hidden[total_index].update(total_fields)

    for row, row_hidden in zip(rows, hidden, strict=True):
        for field in row_hidden:
            row[field] = None
        row["suppressed"] = [field for field in row if field in row_hidden]
    return rows[:-1], rows[-1]


def _is_small(value: object, threshold: int) -> bool:
    return isinstance(value, int) and 1 <= value < threshold


def _count(row: Mapping[str, object], field: str) -> int:
    value = row[field]
    if not isinstance(value, int):  # _check_rows has rejected this already; keeps types honest
        raise ValueError(f"count {field!r} must be an int, got {value!r}")
    return value


def _check_rows(rows: list[dict[str, object]], spec: TableSpec) -> None:
    """Fail loudly on a row that does not fit the spec rather than publish an unchecked cell."""
    needed = set(spec.counts) | {rate for rate, _, _ in spec.rates}
    needed |= {field for field, _ in spec.derived}
    needed |= {base for _, bases in spec.derived for base in bases}
    for row in rows:
        missing = needed - row.keys()
        if missing:
            raise ValueError(f"row is missing fields {sorted(missing)}")
        for count in spec.counts:
            value = row[count]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"count {count!r} must be a non-negative int, got {value!r}")


def _complete_column(
    rows: list[dict[str, object]],
    hidden: list[set[str]],
    count: str,
    total_index: int,
    kept: set[int],
) -> None:
    """Hide more cells of one column until no hidden cell follows from the total by subtraction:
    the smallest shown group cell each time, those of the ``kept`` rows last."""
    while _column_needs_more(rows, hidden, count, total_index):
        candidates = [
            index
            for index in range(total_index)
            if count not in hidden[index] and _count(rows[index], count) > 0
        ]
        if candidates:
            chosen = min(
                candidates,
                key=lambda index: (index in kept, _count(rows[index], count), index),
            )
        elif count not in hidden[total_index] and _count(rows[total_index], count) > 0:
            chosen = total_index
        else:
            return
        hidden[chosen].add(count)


def _column_needs_more(
    rows: list[dict[str, object]], hidden: list[set[str]], count: str, total_index: int
) -> bool:
    hidden_cells = [index for index in range(len(rows)) if count in hidden[index]]
    if len(hidden_cells) == 1:
        return True
    if not hidden_cells or total_index in hidden_cells:
        return False
    # Zero is never hidden, so each hidden cell is >= 1: hidden cells summing to their own
    # number would each be exactly 1.
    hidden_sum = sum(_count(rows[index], count) for index in hidden_cells)
    return hidden_sum == len(hidden_cells)
