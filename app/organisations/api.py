"""Employers and institutions: the JSON API."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("organisations_api", __name__, url_prefix="/api/v1", description="Employers and institutions")
