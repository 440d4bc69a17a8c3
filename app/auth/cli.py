"""`flask users ...`: create accounts, print API tokens and one-time password codes, end
sessions."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app import transactions
from app.auth import reset, services
from app.auth.models import Role
from app.common import find_by_external_id
from app.errors import ValidationFailed
from app.organisations.models import Organisation
from app.workers.models import Worker


@click.group("users")
def users() -> None:
    """Manage logins."""


def _user_or_fail(login: str):
    user = services.find_login(login)
    if user is None:
        raise click.ClickException(f"No account for {login!r}.")
    return user


@users.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--organisation", "organisation_id", help="Employer or institution id.")
@click.option("--worker", "worker_id", help="Worker id, for a worker login.")
@click.password_option()
@with_appcontext
@transactions.unit_of_work()
def create(
    email: str, role: str, organisation_id: str | None, worker_id: str | None, password: str
):
    """Create a login for EMAIL."""
    organisation = find_by_external_id(Organisation, organisation_id)
    worker = find_by_external_id(Worker, worker_id)
    try:
        user = services.create_user(
            email=email, password=password, role=role, organisation=organisation, worker=worker
        )
    except ValidationFailed as exc:
        raise click.ClickException(
            "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.errors.items())
        ) from None
    click.echo(f"Created {user.role.value} login {user.login_name}.")


@users.command("token")
@click.argument("email")
@with_appcontext
def token(email: str) -> None:
    """Print a new API bearer token for EMAIL (shown once; only its digest is kept)."""
    user = _user_or_fail(email)
    if not user.active:
        raise click.ClickException(f"{email} is disabled.")
    with transactions.unit_of_work():
        value = services.issue_token(user)
    click.echo(value)


@users.command("reset-code")
@click.argument("login")
@with_appcontext
def reset_code(login: str) -> None:
    """Print a one-time code (30 minutes, once) with which LOGIN sets a new password at
    /forgot-password; only its hash is kept. Hand it over yourself."""
    user = _user_or_fail(login)
    if not user.active:
        raise click.ClickException(f"{login} is disabled.")
    with transactions.unit_of_work():
        value = reset.issue_reset_code(user)
    click.echo(value)


@users.command("logout-everywhere")
@click.argument("email")
@with_appcontext
@transactions.unit_of_work()
def logout_everywhere(email: str) -> None:
    """End every session and token of EMAIL."""
    services.end_all_sessions(_user_or_fail(email))
    click.echo(f"All sessions and tokens of {email} ended.")


@users.command("disable")
@click.argument("email")
@with_appcontext
@transactions.unit_of_work()
def disable(email: str) -> None:
    """Disable EMAIL's account; its sessions and tokens stop working at once."""
    services.disable_user(_user_or_fail(email))
    click.echo(f"{email} disabled.")


@users.command("fair-use")
@click.argument("email")
@click.option(
    "--lift/--restore", default=True, help="Lift EMAIL's request limits, or restore them."
)
@with_appcontext
@transactions.unit_of_work()
def fair_use(email: str, lift: bool) -> None:
    """Lift (or restore) the request limits of an integration account; the heavy-work pool that
    keeps pages fast for everyone still applies."""
    user = _user_or_fail(email)
    services.set_fair_use_exempt(user, lift)
    click.echo(f"Request limits of {email} {'lifted' if lift else 'restored'}.")
