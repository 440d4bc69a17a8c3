"""The outcome dashboard's charts as plain lists for outcomes_dashboard.js, every word and figure
already written in the page's language: Plotly's own formats would print English month names
("Jul 2025") and SI wages ("₹15k") on a Marathi or Hindi page."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _

from app.i18n import format_inr, format_number
from app.outcomes.services import Name

# About this many steps on the wage axis: more would crowd a phone's 260 px high chart.
WAGE_AXIS_STEPS = 4
# Step sizes a reader counts in easily (times a power of ten).
ROUND_STEPS = (1, 2, 2.5, 5, 10)


def month_label(day: date) -> str:
    """The month a month end falls in, as people name it in the page's language (जुलै 2025)."""
    return format_date(day, "LLL y")


def round_ticks(top: float, steps: int = WAGE_AXIS_STEPS) -> list[int]:
    """Ticks from 0 in round steps up to the first at or above `top` (0, 5000, 10000, 15000)."""
    if top <= 0:
        return [0]
    rough = top / steps
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in ROUND_STEPS if m * power >= rough)
    return [round(step * i) for i in range(math.ceil(top / step) + 1)]


def counts_shown(values: list[int | None]) -> list[str]:
    """Each count as the page writes it; a hidden (suppressed) one as "hidden"."""
    return [_("hidden") if value is None else format_number(value) for value in values]


def chart_data(figures: dict[str, Any], labels: dict[Any, Name]) -> dict[str, Any]:
    """What outcomes_dashboard.js draws: plain lists, hidden cells as null, with the labels,
    wage ticks and hover texts it shows."""
    total = figures["outcomes"]["total"]
    series = figures["series"]
    groups = figures["outcomes"]["groups"]
    funnel = [total["enrolled"], total["certified"], total["placed"], total["retained_3m"]]
    wages = [point["median_monthly_wage"] for point in series]
    wage_ticks = round_ticks(max((w for w in wages if w is not None), default=0))
    return {
        "funnel": {
            "stages": [_("Enrolled"), _("Certified"), _("Placed ≤90 days"), _("Retained 3 months")],
            "values": funnel,
            "texts": counts_shown(funnel),
        },
        "series": {
            "months": [month_label(date.fromisoformat(point["as_of"])) for point in series],
            "placement_rate": [point["placement_rate"] for point in series],
            "median_monthly_wage": wages,
            # A month without a wage is not drawn, so it needs no text.
            "wage_texts": [None if w is None else format_inr(w) for w in wages],
            "wage_ticks": {"values": wage_ticks, "texts": [format_inr(v) for v in wage_ticks]},
        },
        "breakdown": {
            # Names on the axis, institutions and courses with their codes (two can share a
            # name, and the chart would draw them as one bar).
            "keys": [str(labels.get(row["key"], row["key"])) for row in groups],
            "placement_rate": [row["placement_rate"] for row in groups],
            "retention_rate_3m": [row["retention_rate_3m"] for row in groups],
        },
    }
