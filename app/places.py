"""States and districts as people write and read them: one stored name per place, shown in the
reader's language. The names themselves (Marathi, Hindi, other spellings, cluster towns) are data that
`matching.places` reads; this module puts them to use in schemas, forms and pages."""

from __future__ import annotations

import re

from marshmallow import ValidationError, fields

from app.i18n import N_, current_language
from matching.places import LISTED_STATE, gazetteer

MARKUP = re.compile(r"[<>{}\\]")


def canonical_district(written: str) -> str:
    """The stored name of a district however it was written: "पुणे", "poona" → "Pune"; a cluster
    town names its district ("चाकण", "Chakan" → "Pune"), since matching, demand and outcomes
    compare and group workers, postings and batches by district (a posting stored at "Chakan"
    was a district of its own, apart from Pune's workers). Places outside the list (another
    state's districts) stay as written, tidied; markup is refused, since the name is shown on
    pages and offered as a filter."""
    text = " ".join(str(written).split())
    if MARKUP.search(text):
        raise ValidationError(N_("Write the district's name in letters only."))
    place = gazetteer().find(text)
    if place is None:
        return text
    return place.district or place.name


def place_label(written: str | None) -> str:
    """A stored district, state or town name in the page's language."""
    return gazetteer().label(written, current_language())


class PlaceName(str):
    """A stored place name among a message's values, which `localised` shows in the reader's
    language (a Marathi page asked "did you mean Mumbai City?" in English)."""


def localised(values: dict) -> dict:
    """A message's values with each `PlaceName` in the page's language."""
    return {
        name: place_label(value) if isinstance(value, PlaceName) else value
        for name, value in values.items()
    }


def district_names() -> list[tuple[str, str]]:
    """Every district of the list: (stored name, name in the page's language), for suggestions."""
    lang = current_language()
    return [(place.name, place.name_in(lang)) for place in gazetteer().districts()]


def canonical_state(written: str) -> str:
    """The stored name of a state or union territory however it was written ("महाराष्ट्र",
    "MH" → "Maharashtra"; "Orissa" → "Odisha"); anything else is refused, as the list is
    complete."""
    text = " ".join(str(written).split())
    place = gazetteer().state(text)
    if place is None:
        raise ValidationError(N_("Name one of India's states or union territories."))
    return place.name


def state_names() -> list[tuple[str, str]]:
    """Every state and union territory: (stored name, name in the page's language)."""
    lang = current_language()
    return [(place.name, place.name_in(lang)) for place in gazetteer().states()]


class State(fields.String):
    """A state field of an input schema: one of India's, stored by its one name."""

    def _deserialize(self, value, attr, data, **kwargs):
        return canonical_state(super()._deserialize(value, attr, data, **kwargs))


class District(fields.String):
    """A district field of an input schema: stored by its one name (see `canonical_district`)."""

    def _deserialize(self, value, attr, data, **kwargs):
        return canonical_district(super()._deserialize(value, attr, data, **kwargs))


UNLISTED = N_("%(place)s is not on the list of districts: kept as written.")
UNLISTED_NEAR = N_(
    "%(place)s is not on the list of districts: did you mean %(near)s? Kept as written."
)


def district_slip(written: str | None, state: str | None = None) -> tuple[str, dict] | None:
    """What to say of a stored district the list does not know (a message template and its
    values), else None: kept as written, since another state's districts are not listed, but
    said, with the listed place it is a slip of ("Mumbaii" became a district of its own in the
    figures unannounced). Another state's unknown district says nothing."""
    if not written or gazetteer().find(written):
        return None
    near = gazetteer().nearest(written)
    if near is None:
        if state not in (None, LISTED_STATE):
            return None
        return UNLISTED, {"place": written}
    return UNLISTED_NEAR, {"place": written, "near": PlaceName(near.district or near.name)}
