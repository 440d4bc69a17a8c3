"""Helpers every domain's page forms share.

Forms carry CSRF and render inputs; the rules live in the marshmallow input schemas, which views
load the submitted values through, so pages, the API and bulk imports apply the same rules.
"""

from __future__ import annotations

from flask import flash
from flask_wtf import FlaskForm
from marshmallow import Schema
from wtforms import SelectChoice


def as_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def form_payload(form: FlaskForm, schema: Schema, skip: tuple[str, ...] = ()) -> dict:
    """The form's values keyed as the schema reads them.

    An empty optional input becomes None; an empty required one is left out, so the schema
    reports it as missing rather than as a bad value.
    """
    payload = {}
    for name, field in schema.fields.items():
        if name in skip or name not in form:
            continue
        value = form[name].data
        if isinstance(value, str):
            value = value.strip()
        if value in ("", None):
            if field.allow_none:
                payload[name] = None
            continue
        payload[name] = value
    return payload


def flash_errors(errors: dict) -> None:
    for field, messages in errors.items():
        if isinstance(messages, dict):
            messages = [m for inner in messages.values() for m in inner]
        flash(f"{field.replace('_', ' ')}: {' '.join(map(str, messages))}", "error")


def show_errors(form: FlaskForm, errors: dict) -> None:
    """Put schema or service messages on the form's fields; others become a flash message."""
    for field, messages in errors.items():
        if isinstance(messages, dict):
            messages = [m for inner in messages.values() for m in inner]
        target = form._fields.get(field)
        if target is not None:
            target.errors = list(messages)
        else:
            flash_errors({field: messages})
