"""The skill taxonomy and skill linking: the JSON API."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint(
    "skills_api",
    __name__,
    url_prefix="/api/v1/skills",
    description="The skill taxonomy and skill linking",
)
