"""Pages of the skills domain."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("skills", __name__)
