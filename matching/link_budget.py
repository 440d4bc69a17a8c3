"""What one call may ask of the skill linker: units per text and seconds of work."""

from __future__ import annotations

import time
from dataclasses import dataclass


class TextTooLong(ValueError):
    """The text has more units (sentences, bullets) than one request may link."""

    def __init__(self, units: int, limit: int) -> None:
        super().__init__(
            f"The text has {units} sentences or bullet points; link at most {limit} at a time "
            "(split it into parts)."
        )
        self.units, self.limit = units, limit


class LinkBudgetExceeded(RuntimeError):
    """Linking took longer than one request may use."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"Linking this text takes more than {seconds:g} s; split it into shorter parts."
        )
        self.seconds = seconds


@dataclass(frozen=True)
class LinkBudget:
    """The most one call may ask of the linker: units per text, and seconds of work. Seconds on
    the clock, not the thread's processor time: the encoder's matrix work runs on BLAS threads
    that the calling thread's processor time does not count."""

    max_units: int = 80
    seconds: float = 8.0

    def check_units(self, units: int) -> None:
        if units > self.max_units:
            raise TextTooLong(units, self.max_units)

    def deadline(self) -> float:
        return time.perf_counter() + self.seconds

    def check_time(self, deadline: float) -> None:
        if time.perf_counter() > deadline:
            raise LinkBudgetExceeded(self.seconds)
