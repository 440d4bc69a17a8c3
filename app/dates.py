"""Dates of things people record, checked the same way in forms, the API and imports (they all load
through the input schemas): an event that has happened cannot be dated in the future, and a job
cannot be recorded as starting more than ``PLACEMENT_START_AHEAD_DAYS`` ahead."""

from __future__ import annotations

from datetime import date, timedelta

from marshmallow import ValidationError, fields

from app.i18n import N_

PLACEMENT_START_AHEAD_DAYS = 90


class HappenedOn(fields.Date):
    """The day an event happened (enrolment, completion, certification, a check): not after today."""

    def _deserialize(self, value, attr, data, **kwargs):
        day = super()._deserialize(value, attr, data, **kwargs)
        if day > date.today():
            raise ValidationError(N_("This date is in the future: give the day it happened."))
        return day


class PlacementStart(fields.Date):
    """The first day of a job: recorded up to 90 days ahead (an offer accepted), no further."""

    def _deserialize(self, value, attr, data, **kwargs):
        day = super()._deserialize(value, attr, data, **kwargs)
        if day > date.today() + timedelta(days=PLACEMENT_START_AHEAD_DAYS):
            raise ValidationError(N_("A job can be recorded at most 90 days before it starts."))
        return day
