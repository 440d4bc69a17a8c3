"""Placements and retention checks: the JSON API."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("placements_api", __name__, url_prefix="/api/v1/placements", description="Placements and retention checks")
