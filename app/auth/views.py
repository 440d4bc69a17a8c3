"""Log in and out. A new session at login; logging out ends it on the server too.

Failed logins are throttled twice, both keyed by the client's address so an attacker elsewhere
can never lock the real user out: LOGIN_RATE_LIMIT per address (password spraying across
accounts) and LOGIN_ACCOUNT_RATE_LIMIT per (account, address) (guessing one account). There is
deliberately no limit per account alone: that would let anyone lock any account. See
docs/security.md.
"""

from __future__ import annotations

import hashlib
import logging

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import policy, reset, services
from app.auth.access import require, role_required
from app.auth.forms import (
    ForgotPasswordForm,
    LoginForm,
    PasswordChangeForm,
    ResetCodeForm,
    SendCodeForm,
)
from app.auth.models import Role, User
from app.auth.passwords import verify_password
from app.common import get_by_external_id
from app.errors import ValidationFailed
from app.extensions import db, limiter
from app.forms import message_text, messages_text
from app.i18n import safe_next
from app.workers.models import Worker

bp = Blueprint("auth", __name__)
log = logging.getLogger(__name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def account_and_address_key() -> str:
    """The limiter key for one account tried from one address; hashed, so the limiter's storage
    (memory or Redis) never holds an email or phone number."""
    account = services.normalise_login(request.form.get("login", ""))
    raw = f"{account}|{get_remote_address()}"
    return "login:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def login_failed(response) -> bool:
    """Only failures count against the limits: a successful login redirects (302)."""
    return response.status_code != 302


def _log_throttled(_limit) -> None:
    log.warning("Login attempts throttled on %s", request.path)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=login_failed, on_breach=_log_throttled)
@limiter.limit(
    _account_limit,
    methods=["POST"],
    key_func=account_and_address_key,
    deduct_when=login_failed,
    on_breach=_log_throttled,
)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.login.data, form.password.data)
        if user is None:
            flash(_("Wrong email/phone or password."), "error")
            return render_template("auth/login.html", form=form), 200
        start_new_session(user)
        return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


def start_new_session(user) -> None:
    """A fresh session for `user`: nothing from before survives (session fixation), and never a
    remember-me cookie."""
    session.clear()
    login_user(user, remember=False)


@bp.post("/logout")
@login_required
def logout():
    services.end_all_sessions(current_user._get_current_object(), reason="logout")
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        # Each refusal beside its box (a walk read the wrong current password in a banner).
        if not verify_password(user.password_hash, form.current_password.data):
            services.record_password_change_refused(user)
            form.current_password.errors = [_("The current password is wrong.")]
        else:
            try:
                services.change_password(user, form.new_password.data)
            except ValidationFailed as exc:
                form.new_password.errors = [
                    message_text(m) for messages in exc.errors.values() for m in messages
                ]
            else:
                start_new_session(user)  # this session carries the new version; all others end
                flash(_("Password changed. Other sessions and tokens are signed out."), "success")
                return redirect(url_for("main.index"))
    return render_template("auth/password.html", form=form)


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=login_failed, on_breach=_log_throttled)
def forgot_password():
    """Set a new password with a one-time code from an administrator or the worker's institution.

    A refusal answers 200 so the wrong try is kept (the code's tries run out); the address limit
    is the login's."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            reset.reset_password(form.login.data, form.code.data, form.new_password.data)
        except ValidationFailed as exc:
            flash(messages_text(exc.errors), "error")
        else:
            flash(_("Your new password is set. Log in with it."), "success")
            return redirect(url_for("auth.login"))
    return render_template(
        "auth/forgot_password.html",
        form=form,
        send_form=SendCodeForm(formdata=None),
        sends_sms=bool(current_app.config.get("SMS_GATEWAY_URL")),
        help_phone=current_app.config.get("HELP_DESK_PHONE"),
        help_email=current_app.config.get("HELP_DESK_EMAIL"),
    )


@bp.post("/forgot-password/send")
@limiter.limit(_login_limit, on_breach=_log_throttled)
def send_reset_code():
    """Send a code to the account's phone; the answer is the same for any login."""
    form = SendCodeForm()
    if form.validate_on_submit():
        reset.send_reset_code(form.login.data)
        flash(
            _(
                "If this login has a phone number, a code is on its way by SMS. It works once, "
                "for 10 minutes."
            ),
            "info",
        )
    return redirect(url_for("auth.forgot_password"))


@bp.post("/worker/<external_id>/reset-code")
@role_required(Role.institution, Role.admin)
def issue_reset_code(external_id: str):
    """Show a one-time password code for the worker's login, once (the worker's institution;
    admins)."""
    worker = get_by_external_id(Worker, external_id)
    target = db.session.scalar(db.select(User).where(User.worker_id == worker.id))
    if target is None:
        flash(_("This worker has no login to reset."), "error")
        return redirect(url_for("workers.detail", external_id=external_id))
    require(policy.can_issue_reset_code(current_user, target), "worker", external_id)
    if not ResetCodeForm().validate_on_submit():
        abort(400)
    code = reset.issue_reset_code(target, current_user._get_current_object())
    response = render_template(
        "auth/reset_code.html",
        name=worker.name,
        code=code,
        back=url_for("workers.detail", external_id=external_id),
        back_label=_("Back to the worker"),
    )
    return response, 200, {"Cache-Control": "no-store"}
