"""Figures a dashboard shows beside its tables, worked out from the reports themselves."""

from __future__ import annotations

from typing import Any

from indicators.schemes import DdugkyRules


def enrolment_shares(
    ddugky: dict[str, Any], youth: dict[str, Any], rules: DdugkyRules | None = None
) -> dict[str, Any]:
    """Women's and youth's shares of enrolled workers (None where a count is hidden).

    ddugky: a DDU-GKY report (its total's women_share); youth: an outcome report by youth.
    Also says whether the women's share is below the DDU-GKY quota, with the quota, the batch
    size from which batches are alerted and the wage floors, so a page states the rule it used.
    """
    rules = rules or DdugkyRules()
    youth_row = next((row for row in youth["groups"] if row["key"] is True), None)
    total = youth["total"]["enrolled"]
    youth_enrolled = 0 if youth_row is None else youth_row["enrolled"]
    youth_share = (
        None if total in (None, 0) or youth_enrolled is None else round(youth_enrolled / total, 4)
    )
    women_share = ddugky["total"]["women_share"]
    return {
        "women": women_share,
        "women_below_quota": women_share is not None and women_share < rules.women_min_share,
        "youth": youth_share,
        "women_min_share": rules.women_min_share,
        "alert_min_enrolled": rules.alert_min_enrolled,
        "wage_floors": [floor for _, floor in sorted(rules.wage_floors)],
    }
