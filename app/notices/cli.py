"""`flask notices send`: deliver the notices that are due, retries included (run it from cron
every few minutes where no RQ worker with a scheduler runs)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.notices.services import deliver_due

notices = AppGroup("notices", help="Messages to users: deliver what the outbox holds.")


@notices.command("send")
@click.option("--limit", default=500, show_default=True, help="At most this many in one run.")
def send_command(limit: int) -> None:
    """Send every notice that is due; a failed send is retried later with back-off."""
    counts = deliver_due(limit=limit)
    click.echo(
        f"{counts['sent']} sent, {counts['retry']} to retry, {counts['failed']} given up, "
        f"{counts['skipped']} without a phone number."
    )
