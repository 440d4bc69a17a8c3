"""The query of the free-text searches (postings, courses): shared so both read the same way."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class TextSearchQuery(Schema):
    q = fields.String(
        required=True,
        validate=[
            validate.Length(max=500),
            validate.Regexp(r"\s*\S", error="Say what to search for: q is empty or blank."),
        ],
        metadata={"description": "Free text, e.g. 'someone to run a CNC lathe'."},
    )
    limit = fields.Integer(load_default=10, validate=validate.Range(1, 50))
