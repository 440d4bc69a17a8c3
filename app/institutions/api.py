"""Courses, modules, batches and enrolments: the JSON API."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("institutions_api", __name__, url_prefix="/api/v1", description="Courses, modules, batches and enrolments")
