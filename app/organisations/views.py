"""An administrator's pages for the cluster's employers and institutions: add one, correct it,
and give its staff their logins (or take them away). The same input schema and services as
``/api/v1/employers`` and ``/api/v1/institutions``; a new login gets no password from anyone but
its owner, who sets it with a one-time code the administrator hands over."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.audit.services import record_event
from app.auth import reset
from app.auth import services as auth
from app.auth.access import role_required
from app.auth.forms import ResetCodeForm
from app.auth.models import Role, User
from app.common import get_by_external_id, new_external_id
from app.extensions import db
from app.forms import as_choices, form_payload, refusals_on, warn_district_slip
from app.organisations import services
from app.organisations.api import ID_PREFIX
from app.organisations.forms import LoginForm, OrganisationForm
from app.organisations.models import Cluster, Organisation, OrganisationKind
from app.organisations.schemas import OrganisationIn, OrganisationPatch
from app.places import place_label
from app.vocabulary import ORGANISATION_KIND_LABELS

bp = Blueprint("organisations", __name__)
STAFF_ROLE = {
    OrganisationKind.employer: Role.employer,
    OrganisationKind.institution: Role.institution,
}


@bp.route("/admin/organisations/new", methods=["GET", "POST"])
@role_required(Role.admin)
def new_organisation():
    kind = request.args.get("kind", OrganisationKind.employer.value)
    if kind not in OrganisationKind.__members__:
        abort(404)
    return organisation_page(OrganisationForm(), OrganisationKind(kind), None)


@bp.route("/admin/organisations/<external_id>", methods=["GET", "POST"])
@role_required(Role.admin)
def organisation(external_id: str):
    row = get_by_external_id(Organisation, external_id)
    form = filled_form(row, posted=request.method == "POST")
    return organisation_page(form, row.kind, row)


def organisation_page(form: OrganisationForm, kind: OrganisationKind, row: Organisation | None):
    """The organisation's fields (saved through the API's schema and services) and, once it
    exists, its staff logins."""
    if row is None:
        form.cluster.choices = cluster_choices()
        if request.method == "GET" and len(form.cluster.choices) == 2:
            form.cluster.data = form.cluster.choices[1].value  # the one cluster there is
    if form.validate_on_submit():
        schema = OrganisationIn() if row is None else OrganisationPatch()
        payload = form_payload(form, schema)
        for field in ("tier", "institution_type", "sector", "msme_size", "cluster"):
            payload.setdefault(field, None)  # "—" chosen: none
        payload["tier" if kind is OrganisationKind.institution else "institution_type"] = None
        with refusals_on(form) as saving:
            data = schema.load(payload)
            if row is None:
                data["external_id"] = data.get("external_id") or new_external_id(ID_PREFIX[kind])
                saving.saved = services.create_organisation({**data, "kind": kind})
            else:
                saving.saved = services.update_organisation(row, data)
            record_event(
                "organisation_created" if row is None else "organisation_updated",
                actor_id=current_user.id,
                object_type="organisation",
                object_id=saving.saved.external_id,
            )
        if saving.done:
            flash(_("“%(name)s” saved.", name=saving.saved.name), "success")
            warn_district_slip(saving.saved.district, saving.saved.state)
            return redirect(
                url_for("organisations.organisation", external_id=saving.saved.external_id)
            )
    return render_organisation(form, kind, row, LoginForm(formdata=None))


def render_organisation(
    form: OrganisationForm,
    kind: OrganisationKind,
    row: Organisation | None,
    login_form: LoginForm,
    status: int = 200,
):
    return (
        render_template(
            "organisations/organisation.html",
            form=form,
            kind=kind,
            kind_label=ORGANISATION_KIND_LABELS.get(kind.value, kind.value),
            organisation=row,
            logins=logins_of(row),
            login_form=login_form,
            code_form=ResetCodeForm(formdata=None),
        ),
        status,
    )


def logins_of(row: Organisation | None) -> list[User]:
    if row is None:
        return []
    return list(
        db.session.scalars(select(User).where(User.organisation_id == row.id).order_by(User.id))
    )


@bp.post("/admin/organisations/<external_id>/logins")
@role_required(Role.admin)
def add_login(external_id: str):
    """A staff login for the organisation, with a one-time code (shown once) that its owner sets
    a password with; nobody else ever knows it."""
    row = get_by_external_id(Organisation, external_id)
    form = LoginForm()
    if not form.validate_on_submit():
        abort(400)
    with refusals_on(form) as saving:
        saving.saved = auth.create_user(
            email=(form.email.data or "").strip() or None,
            phone=(form.phone.data or "").strip() or None,
            password=secrets.token_urlsafe(32),  # never used: the owner sets one with the code
            role=STAFF_ROLE[row.kind],
            organisation=row,
        )
    if not saving.done:
        return render_organisation(filled_form(row), row.kind, row, form, status=422)
    record_event(
        "user_created", actor_id=current_user.id, object_type="user", object_id=saving.saved.id
    )
    return code_page(saving.saved, row)


@bp.get("/admin/organisations/<external_id>/logins")
@role_required(Role.admin)
def logins(external_id: str):
    """The page a refused login form was answered on, asked for again (a change of language
    reloads it): the organisation's page."""
    return redirect(url_for("organisations.organisation", external_id=external_id))


def filled_form(row: Organisation, posted: bool = False) -> OrganisationForm:
    """The organisation's form with its stored values (or, ``posted``, what was sent)."""
    if posted:
        form = OrganisationForm()
    else:
        form = OrganisationForm(formdata=None, obj=row)
        form.district.data = place_label(row.district)
        form.state.data = place_label(row.state)
        form.cluster.data = row.cluster.external_id if row.cluster else ""
    form.cluster.choices = cluster_choices()
    del form.external_id  # an id never changes: other records and files name it
    return form


def cluster_choices() -> list:
    clusters = db.session.scalars(select(Cluster).order_by(Cluster.name))
    return as_choices([("", "—"), *((c.external_id, c.name) for c in clusters)])


@bp.post("/admin/logins/<user_id>/code")
@role_required(Role.admin)
def login_code(user_id: str):
    """A one-time code for a staff login whose owner forgot the password."""
    user = posted_staff_login(user_id)
    return code_page(user, user.organisation)


@bp.post("/admin/logins/<user_id>/disable")
@role_required(Role.admin)
def disable_login(user_id: str):
    """Take a staff login away (someone left the firm): it cannot log in, its sessions end."""
    user = posted_staff_login(user_id)
    auth.disable_user(user, actor_id=current_user.id)
    flash(_("%(login)s can no longer log in.", login=user.login_name), "info")
    return back_to_organisation(user)


@bp.post("/admin/logins/<user_id>/enable")
@role_required(Role.admin)
def enable_login(user_id: str):
    """Let a login taken away by mistake in again."""
    user = posted_staff_login(user_id)
    auth.enable_user(user, actor_id=current_user.id)
    flash(_("%(login)s can log in again.", login=user.login_name), "success")
    return back_to_organisation(user)


def back_to_organisation(user: User):
    return redirect(
        url_for("organisations.organisation", external_id=user.organisation.external_id)
    )


def posted_staff_login(user_id: str) -> User:
    """The employer's or institution's login a button posted about (workers' and administrators'
    are not managed here). The id is read here, after the role check, so nobody learns from a
    404 what an id is."""
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or user.organisation is None:
        abort(404)
    if not ResetCodeForm().validate_on_submit():
        abort(400)
    return user


def code_page(user: User, row: Organisation):
    code = reset.issue_reset_code(user, current_user._get_current_object())
    response = render_template(
        "auth/reset_code.html",
        name=user.login_name,
        code=code,
        back=url_for("organisations.organisation", external_id=row.external_id),
        back_label=_("Back to %(name)s", name=row.name),
    )
    return response, 200, {"Cache-Control": "no-store"}
