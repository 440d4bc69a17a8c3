"""Pages of the employers domain."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("employers", __name__)
