"""Workers and their skills: the JSON API."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("workers_api", __name__, url_prefix="/api/v1/workers", description="Workers and their skills")
