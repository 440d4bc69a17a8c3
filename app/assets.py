"""Static assets for slow networks: one URL per file version, cached for a year, compressed.

`url_for('static', ...)` (and Bootstrap-Flask's `bootstrap.static`) get `?v=<content hash>`, so
a changed file gets a new URL and an unchanged one is never fetched twice; responses to such URLs
are marked immutable. Compression (zstd/brotli/gzip) is Flask-Compress's.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, current_app, request

from app.extensions import compress

ONE_YEAR = 365 * 24 * 3600
STATIC_ENDPOINTS = ("static", "bootstrap.static")


@lru_cache(maxsize=512)
def _file_hash(path: str, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()[:12]


def content_hash(app: Flask, endpoint: str, filename: str) -> str | None:
    """The first 12 hex digits of the file's SHA-256, or None when there is no such file."""
    if endpoint == "static":
        folder = app.static_folder
    else:
        blueprint = app.blueprints.get(endpoint.rsplit(".", 1)[0])
        folder = blueprint.static_folder if blueprint is not None else None
    if not folder:
        return None
    root = Path(folder).resolve()
    path = (root / filename).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return _file_hash(str(path), path.stat().st_mtime_ns)


def register(app: Flask) -> None:
    compress.init_app(app)

    @app.url_defaults
    def _versioned_static(endpoint: str, values: dict) -> None:
        if endpoint in STATIC_ENDPOINTS and "filename" in values and "v" not in values:
            version = content_hash(current_app, endpoint, values["filename"])
            if version:
                values["v"] = version

    # Registered after Flask-Compress, so it runs before compression (after_request runs last-in
    # first-out). Files are read into memory so they are compressed whole and the file is closed
    # with the response (static files are small; the largest, plotly, is 1.4 MB).
    @app.after_request
    def _cache_versioned(response: Response) -> Response:
        if request.endpoint in STATIC_ENDPOINTS and response.direct_passthrough:
            response.direct_passthrough = False
            response.make_sequence()
        if (
            request.endpoint in STATIC_ENDPOINTS
            and request.args.get("v")
            and response.status_code in (200, 304)
        ):
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
        return response
