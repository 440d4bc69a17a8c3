"""Pages of the institutions domain."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("institutions", __name__)
