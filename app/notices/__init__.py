"""Notices: a message in the recipient's inbox on the site, delivered through an outbox."""
