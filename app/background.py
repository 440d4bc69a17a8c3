"""The app a background job runs in: the current one (an in-process RQ worker, the tests), or one
built afresh in an RQ worker process. The import is inside the function: this module is imported
by the app's own modules, which `app` imports in turn."""

from __future__ import annotations

from flask import Flask, current_app, has_app_context


def app_for_background() -> Flask:
    if has_app_context():
        return current_app._get_current_object()
    from app import create_app

    return create_app()
