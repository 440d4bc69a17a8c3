"""Cluster demand: which skills open postings ask for, which scheduled batches teach them, where."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.matchmaking.match_inputs import MatchData, match_data
from matching.demand import (
    ESSENTIAL_DEMAND,
    OPTIONAL_DEMAND,
    DemandReport,
    ScheduledBatch,
    cluster_demand,
)

HEATMAP_SKILLS = 20
NO_SECTOR = "(no sector)"


# --- Cluster demand --------------------------------------------------------------------------------


def cluster_demand_report(
    sector: str | None = None, district: str | None = None, today: date | None = None
) -> DemandReport:
    """Per skill: demand of open postings, supply of visible workers, free seats in upcoming
    batches and the gap; skills nobody teaches; suggested batches. Optionally one sector/district."""
    today = today or date.today()
    data = match_data()
    return cluster_demand(
        data.index.postings.values(),
        data.index.workers,
        data.catalogue(today),
        today=today,
        batches=scheduled_batches(data),
        sector=sector,
        district=district,
    )


def scheduled_batches(data: MatchData) -> list[ScheduledBatch]:
    """Every batch's free seats, as capacity of its whole course (module skills are course skills;
    courses without skills teach nothing and are left out)."""
    courses = {t.course_id for t in data.templates if t.module_id is None}
    return [
        ScheduledBatch(course_id, None, batch.start, batch.free_seats)
        for course_id, batches in data.batches.items()
        if course_id in courses
        for batch in batches
    ]


def demand_filter_options() -> dict[str, list[str]]:
    """Sectors of the employers with open postings; districts of postings, workers and courses."""
    data = match_data()
    sectors = {p.sector for p in data.index.postings.values() if p.sector}
    districts = {p.district for p in data.index.postings.values() if p.district}
    districts |= {d for d in data.index.workers.districts_held() if d}
    districts |= {t.district for t in data.templates if t.district}
    return {"sectors": sorted(sectors), "districts": sorted(districts)}


def demand_heatmap(
    report: DemandReport,
    by: str = "sector",
    sector: str | None = None,
    district: str | None = None,
    top_n: int = HEATMAP_SKILLS,
) -> dict[str, Any]:
    """Demand of the `top_n` most demanded skills of `report`, split by the posting's sector or
    district (same weights as the report: an opening counts 1 if essential, 0.5 if optional)."""
    if by not in ("sector", "district"):
        raise ValueError("by must be 'sector' or 'district'")
    data = match_data()
    top = sorted(report.rows, key=lambda r: (-r.demand, r.uri))[:top_n]
    wanted = {row.uri for row in top}
    cells: dict[tuple[str, str], float] = {}
    columns: set[str] = set()
    for posting in data.index.postings.values():
        if not (_in_area(posting.sector, sector) and _in_area(posting.district, district)):
            continue
        column = (posting.sector if by == "sector" else posting.district) or NO_SECTOR
        for req in posting.required:
            if req.uri in wanted:
                columns.add(column)
                weight = ESSENTIAL_DEMAND if req.essential else OPTIONAL_DEMAND
                cells[req.uri, column] = (
                    cells.get((req.uri, column), 0.0) + posting.openings * weight
                )
    ordered = sorted(columns)
    return {
        "by": by,
        "skills": [row.label for row in top],
        "uris": [row.uri for row in top],
        "columns": ordered,
        "values": [[cells.get((row.uri, column), 0.0) for column in ordered] for row in top],
    }


def _in_area(value: str | None, wanted: str | None) -> bool:
    # The demand report's rule: a record without a sector/district is not known to be elsewhere.
    return wanted is None or value is None or value == wanted
