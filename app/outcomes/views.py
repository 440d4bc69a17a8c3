"""Pages of the outcomes domain."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("outcomes", __name__)
