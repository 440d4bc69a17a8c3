"""Where a notice's text goes besides the inbox: the log (default) or an SMS gateway over HTTP.

A sender raises SendFailed when the message did not go; the outbox retries it later. A recipient
without a phone number cannot get an SMS: NoAddress, and the notice stays in the inbox only.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

logger = logging.getLogger("kaushalsetu.notices")


class SendFailed(Exception):
    """The message did not go (the gateway is down or refused it); worth another try."""


class NoAddress(Exception):
    """The recipient has no phone number: nothing to send to, no point in retrying."""


class Sender(Protocol):
    def send(self, phone: str | None, text: str, *, reference: str) -> None: ...


class LogSender:
    """Writes each message to the application log: development, demos, and sites without SMS."""

    def send(self, phone: str | None, text: str, *, reference: str) -> None:
        logger.info("notice %s%s: %s", reference, f" to …{phone[-4:]}" if phone else "", text)


@dataclass(frozen=True)
class SmsGatewaySender:
    """POSTs `{"to", "sender", "message", "reference"}` as JSON to the gateway with the key as a
    bearer token; any 2xx answer means accepted. Indian bulk-SMS gateways take this shape (or a
    thin relay in front of them does)."""

    url: str
    key: str | None
    sender_id: str
    timeout: float = 10.0

    def send(self, phone: str | None, text: str, *, reference: str) -> None:
        if not phone:
            raise NoAddress("no phone number")
        body = json.dumps(
            {"to": phone, "sender": self.sender_id, "message": text, "reference": reference}
        ).encode()
        request = urllib.request.Request(self.url, data=body, method="POST")
        request.add_header("Content-Type", "application/json; charset=utf-8")
        if self.key:
            request.add_header("Authorization", f"Bearer {self.key}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            raise SendFailed(f"gateway answered {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise SendFailed(f"gateway unreachable: {reason}") from None
        if not 200 <= status < 300:
            raise SendFailed(f"gateway answered {status}")


def sender_from_config(config) -> Sender:
    """The SMS gateway when SMS_GATEWAY_URL is set, otherwise the log."""
    if config.get("SMS_GATEWAY_URL"):
        return SmsGatewaySender(
            url=config["SMS_GATEWAY_URL"],
            key=config.get("SMS_GATEWAY_KEY"),
            sender_id=config.get("SMS_SENDER_ID", "KSETU"),
            timeout=float(config.get("SMS_TIMEOUT_SECONDS", 10)),
        )
    return LogSender()
