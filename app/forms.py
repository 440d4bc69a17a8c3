"""Helpers every domain's page forms share.

Forms carry CSRF and render inputs; the rules live in the marshmallow input schemas, which views
load the submitted values through, so pages, the API and bulk imports apply the same rules.

The schemas' messages stay English (the API answers in English); pages translate them when they
show them (``message_text``): a message in the catalogues as it is, or one of marshmallow's own
messages with values in it (``Must be one of: female, male.``) through its pattern below.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, ClassVar

from flask import flash
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from marshmallow import Schema, ValidationError, fields, validate
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    SubmitField,
    widgets,
)
from wtforms.fields import Label

from app import transactions
from app.auth.access import NOT_YOUR_TRAINEE
from app.auth.passwords import TOO_SHORT
from app.errors import ValidationFailed
from app.i18n import N_, format_day
from app.institutions.services import (
    ALREADY_ENROLLED,
    BATCH_OF_ANOTHER_COURSE,
    BEFORE_BATCH,
    COURSE_UNDER_MODULES,
    MODULES_OVER_COURSE,
    SEATS_OVER_MAX,
)
from app.matchmaking.services import NO_BATCH_PLANNED, NO_FREE_SEAT, PLAN_MODULE_NOTE, PLAN_NOTE
from app.placements.services import CHECK_NOT_DUE, WAGE_TOO_LOW
from app.places import district_slip, localised
from app.workers.services import BORN_IN_FUTURE, TOO_OLD, TOO_YOUNG

# A district input: typed freely, with the districts offered as suggestions (_district_list.html).
DISTRICT_INPUT = {"list": "district-names", "autocomplete": "off"}
# A state input: one of India's states and union territories, offered the same way.
STATE_INPUT = {"list": "state-names", "autocomplete": "off"}

# Marshmallow's default messages that our input schemas can produce, for the catalogues.
SCHEMA_MESSAGES = (
    N_("Missing data for required field."),
    N_("Field may not be null."),
    N_("Invalid value."),
    N_("Not a valid string."),
    N_("Not a valid integer."),
    N_("Not a valid number."),
    N_("Not a valid date."),
    N_("Not a valid datetime."),
    N_("Not a valid boolean."),
    N_("Not a valid list."),
    N_("Not a valid email address."),
    N_("Invalid type."),
    N_("Invalid input type."),
    N_("Unknown field."),
)
# The ones with values, as marshmallow words them ({min} written %(min)s for gettext).
SCHEMA_MESSAGE_PATTERNS = (
    N_("Must be one of: %(choices)s."),
    N_("Length must be between %(min)s and %(max)s."),
    N_("Length must be %(equal)s."),
    N_("Longer than maximum length %(max)s."),
    N_("Shorter than minimum length %(min)s."),
    N_("Must be greater than or equal to %(min)s and less than or equal to %(max)s."),
    N_("Must be greater than or equal to %(min)s."),
    N_("Must be less than or equal to %(max)s."),
)
# Service messages with values that worker pages show (the services word them in English for the
# API and importers).
SERVICE_MESSAGE_PATTERNS = (
    TOO_SHORT,
    WAGE_TOO_LOW,
    N_("Unknown skill: %(uri)s"),
    # A record another one names that does not exist (common.row_named_in), by the field's name.
    N_("Unknown course: %(course)s"),
    N_("Unknown worker: %(worker)s"),
    N_("Unknown batch: %(batch)s"),
    N_("Unknown employer: %(employer)s"),
    N_("Unknown posting: %(posting)s"),
    N_("Unknown cluster: %(cluster)s"),
    N_("An organisation with id %(id)s exists."),
    N_("You are already enrolled in %(course)s."),
    ALREADY_ENROLLED,
    BEFORE_BATCH,
    SEATS_OVER_MAX,
    MODULES_OVER_COURSE,
    COURSE_UNDER_MODULES,
    TOO_YOUNG,
    TOO_OLD,
    NOT_YOUR_TRAINEE,
    BATCH_OF_ANOTHER_COURSE,
    CHECK_NOT_DUE,
    NO_BATCH_PLANNED,
    NO_FREE_SEAT,
    PLAN_MODULE_NOTE,  # before PLAN_NOTE, whose posting would swallow the module
    PLAN_NOTE,
    N_("Course %(id)s is archived: restore it first."),
    N_(
        "The batch started on %(day)s: it can no longer be cancelled. "
        "Ask the institution to record that you left."
    ),
)
SERVICE_MESSAGES = (
    BORN_IN_FUTURE,
    N_("This course is not on your training plan any more."),
    N_("The batch has changed since you looked: check the new one and confirm again."),
    N_("Only a current enrolment can be cancelled."),
    N_("This enrolment has no batch date: ask the institution to change it."),
    N_("The code is wrong or has expired. Ask for a new one."),
)
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_PLACEHOLDER = re.compile(r"%\\\((\w+)\\\)s")


def _pattern(template: str) -> re.Pattern:
    return re.compile("^" + _PLACEHOLDER.sub(r"(?P<\1>.+?)", re.escape(template)) + "$")


_PATTERNS = tuple(
    (_pattern(template), template)
    for template in (*SCHEMA_MESSAGE_PATTERNS, *SERVICE_MESSAGE_PATTERNS)
)


# What a page says instead of the API's terse messages (which stay as they are for integrations):
# written for the person at the form, next to the field they are about.
PAGE_WORDING = {
    "Missing data for required field.": _l("Please fill this in."),
    "Field may not be null.": _l("Please fill this in."),
    "Not a valid date.": _l("Write the date as DD-MM-YYYY, or pick it from the calendar."),
    "Not a valid integer.": _l("Write a whole number, in digits."),
    "Not a valid number.": _l("Write a number, in digits."),
    "Must not be below wage_min_inr.": _l("The highest wage must be at least the lowest wage."),
    "Not a valid email address.": _l("Write an email address like name@example.com."),
    "Must not be before enrolled_on.": _l("Must not be before the day of enrolment."),
    "Must not be before completed_on.": _l("Must not be before the day the course was completed."),
}


# A file's cells have no calendar: the form a date takes there, with an example (a walk wrote
# "01/12/2026" and was told only that the date was wrong).
FILE_WORDING = {
    "Not a valid date.": _l("Write the date as YYYY-MM-DD, e.g. 2026-12-01."),
}


PAGE_PATTERN_WORDING = {
    "Must be greater than or equal to %(min)s and less than or equal to %(max)s.": N_(
        "Write a number from %(min)s to %(max)s."
    ),
    "Must be greater than or equal to %(min)s.": N_("Write a number of at least %(min)s."),
    "Must be less than or equal to %(max)s.": N_("Write a number of at most %(max)s."),
    "Longer than maximum length %(max)s.": N_("Write at most %(max)s characters."),
}


def message_text(message, page_wording: bool = True) -> str:
    """A schema or service message in the page's language (English where it has no translation),
    in the words a page uses (PAGE_WORDING); without ``page_wording`` in its own words, for a
    report on a file ("pick it from the calendar" means nothing in a CSV)."""
    message = str(message)
    if page_wording and message in PAGE_WORDING:
        return str(PAGE_WORDING[message])
    if not page_wording and message in FILE_WORDING:
        return str(FILE_WORDING[message])
    translated = gettext(message)
    if translated != message:
        return translated
    for pattern, template in _PATTERNS:
        found = pattern.match(message)
        if found:
            if not page_wording:
                return gettext(template, **found.groupdict())
            values = {name: _day_of(value) for name, value in found.groupdict().items()}
            return gettext(PAGE_PATTERN_WORDING.get(template, template), **values)
    return message


def _day_of(value: str) -> str:
    """A service's ISO date ("2027-01-04") as the page's language writes a day; anything else
    as it is. A file's report keeps ISO, the form its cells take."""
    if ISO_DAY.fullmatch(value):
        try:
            return format_day(date.fromisoformat(value))
        except ValueError:
            return value
    return value


def message_list(messages) -> list:
    """One field's messages as a list, however the refusal held them: a list, a single message,
    or (a nested schema's) messages by inner field."""
    if isinstance(messages, dict):
        return [m for inner in messages.values() for m in inner]
    if isinstance(messages, str):
        return [messages]
    return list(messages)


def messages_text(errors: dict) -> str:
    """All messages of a schema's or service's errors, translated, as one sentence list."""
    texts = []
    for messages in errors.values():
        texts.extend(message_text(m) for m in message_list(messages))
    return " ".join(texts)


class RequiredLabel(Label):
    """A required field's label: its text, then a mark people see and screen readers read out,
    "required" in the page's language (the input also carries the `required` attribute)."""

    def __call__(self, text=None, **kwargs) -> Markup:
        mark = Markup(' <span class="required-mark">({})</span>').format(gettext("required"))
        return super().__call__(Markup("{}{}").format(text or self.text, mark), **kwargs)


class MultiCheckboxField(SelectMultipleField):
    """A choice of several options, shown as a list of ticks (a select box of many is hard on a
    phone)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class PageForm(FlaskForm):
    """A page form that marks its required fields, wherever a template renders them: those its
    input schema requires (``input_schema``, where the rule lives), those a view requires
    (``required_fields``) and those with a required validator. Ticks and buttons are never marked.

    The mark sets the field's ``required`` flag, so inputs get the ``required`` attribute: forms
    that show them are ``novalidate``, so the page's own messages (in the page's language) still
    say what is missing.
    """

    input_schema: ClassVar[type[Schema] | None] = None
    required_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        names = set(self.required_fields)
        longest: dict[str, int] = {}
        if self.input_schema is not None:
            names |= schema_required(self.input_schema)
            longest = schema_max_lengths(self.input_schema)
        for field in self:
            if isinstance(field, BooleanField | HiddenField | SubmitField):
                continue
            if field.name in longest and isinstance(field, StringField):
                field.render_kw = {"maxlength": longest[field.name], **(field.render_kw or {})}
            if field.name in names or field.flags.required:
                field.flags.required = True
                field.label = RequiredLabel(field.id, field.label.text)


@cache
def schema_max_lengths(schema: type[Schema]) -> dict[str, int]:
    """The longest text each field of an input schema takes (its Length rule), for the boxes'
    maxlength: the browser stops there, and a long box counts its characters (phone.js)."""
    found = {}
    for name, rule in schema().fields.items():
        if not isinstance(rule, fields.String):  # a list's Length counts its items
            continue
        for check in rule.validators:
            if isinstance(check, validate.Length) and check.max is not None:
                found[name] = check.max
    return found


@cache
def schema_required(schema: type[Schema]) -> frozenset[str]:
    """The fields an input schema requires: read once per schema class, not on every form."""
    return frozenset(name for name, rule in schema().fields.items() if rule.required)


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


def refusal_errors(refusal: ValidationError | ValidationFailed) -> dict:
    """The field errors of a schema's refusal (ValidationError) or a service's (ValidationFailed)."""
    return refusal.messages if isinstance(refusal, ValidationError) else refusal.errors


def flash_errors(errors: dict, labels: FlaskForm | None = None) -> None:
    """One flash message per refused field, named by its label on ``labels`` where that form has
    the field."""
    for field, messages in errors.items():
        flash(field_errors_line(field, messages, labels), "error")


def field_errors_line(field: str, messages, labels: FlaskForm | None = None) -> str:
    """A refused field and its messages as one line a page shows ("Completed on: Must not be
    before enrolled_on."), in the page's language."""
    texts = " ".join(message_text(m) for m in message_list(messages))
    return f"{field_label(field, labels)}: {texts}"


def field_label(field: str, labels: FlaskForm | None = None) -> str:
    """A schema field's name in the page's language: its label on ``labels`` where that form has
    it ("employed" is "Still employed"), else as the pages label such a field ("completed_on" is
    "Completed on")."""
    if labels is not None and field in labels:
        return str(labels[field].label.text)
    words = field.replace("_", " ")
    for label in (words.capitalize(), words):
        translated = gettext(label)
        if translated != label:
            return translated
    return words.capitalize()


FILL_IN = "Missing data for required field."
_LENGTH_PATTERNS = tuple(
    pattern
    for pattern, template in _PATTERNS
    if template.startswith(("Length must be", "Shorter than minimum length"))
)


def _is_length(message) -> bool:
    """A length rule's message: said of an empty box, it is "please fill this in" (a walk read
    "2 to 200 characters" under an empty name)."""
    return any(pattern.match(str(message)) for pattern in _LENGTH_PATTERNS)


def show_errors(form: FlaskForm, errors: dict) -> None:
    """Put schema or service messages on the form's fields; others become a flash message."""
    for field, messages in errors.items():
        if isinstance(messages, dict):
            messages = [m for inner in messages.values() for m in inner]
        target = form._fields.get(field)
        if target is not None:
            empty = isinstance(target.data, str) and not target.data.strip()
            target.errors = list(
                dict.fromkeys(
                    str(PAGE_WORDING[FILL_IN]) if empty and _is_length(m) else message_text(m)
                    for m in messages
                )
            )
        else:
            flash_errors({field: messages})


@dataclass
class Saving:
    """How a `refusals_on` block ended: `done` once everything in it ran; `saved` is what the
    block kept of its work (e.g. the record a service returned)."""

    done: bool = False
    saved: Any = None


@contextmanager
def refusals_on(
    form: FlaskForm | None,
    labels: FlaskForm | None = None,
    fields_as: Mapping[str, str] | None = None,
) -> Iterator[Saving]:
    """Run a page's save (load the form through its schema, call services): a schema's or a
    service's refusal discards what the save wrote and lands on the form's fields (a flash
    message where the page shows no form again, naming the fields by ``labels``' labels), and
    `done` stays False. ``fields_as`` names the form's field for a schema field it calls
    otherwise (one date box that is the completion or the certificate date)."""
    saving = Saving()
    try:
        yield saving
    except (ValidationError, ValidationFailed) as error:
        transactions.discard()
        errors = refusal_errors(error)
        if fields_as:
            renamed: dict = {}
            for field, messages in errors.items():
                renamed.setdefault(fields_as.get(field, field), []).extend(message_list(messages))
            errors = renamed
        if form is None:
            flash_errors(errors, labels)
        else:
            show_errors(form, errors)
    else:
        saving.done = True


def warn_district_slip(district: str | None, state: str | None = None) -> None:
    """After a save, say a district the list does not know, with the listed one it may be a
    slip of (places.district_slip), in the page's language: a walk's batch at "Pnue" was saved
    in silence and its course fell out of Pune's demand figures."""
    if slip := district_slip(district, state):
        template, values = slip
        flash(gettext(template, **localised(values)), "warning")
