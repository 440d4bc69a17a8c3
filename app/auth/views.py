"""Log in and out. A new session at login; logging out ends it on the server too."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import services
from app.auth.forms import LoginForm, PasswordChangeForm
from app.auth.passwords import verify_password
from app.errors import ValidationFailed
from app.extensions import db, limiter

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    _login_limit, methods=["POST"], deduct_when=lambda response: response.status_code != 302
)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.login.data, form.password.data)
        if user is None:
            db.session.commit()  # keep the audit event of the refusal
            flash("Wrong email/phone or password.", "error")
            return render_template("auth/login.html", form=form), 200
        session.clear()  # a fresh session: nothing from before login survives
        login_user(user)
        db.session.commit()
        return redirect(url_for("main.index"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    services.end_all_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("main.index"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not verify_password(user.password_hash, form.current_password.data):
            flash("The current password is wrong.", "error")
        else:
            try:
                services.change_password(user, form.new_password.data)
            except ValidationFailed as exc:
                flash(" ".join(m for msgs in exc.errors.values() for m in msgs), "error")
            else:
                db.session.commit()
                login_user(user)  # this session carries the new version; all others end
                flash("Password changed. Other sessions and tokens are signed out.", "success")
                return redirect(url_for("main.index"))
    return render_template("auth/password.html", form=form)
