"""Values a process keeps between requests and remakes when what they were made from changes.

The skill linker (made from the taxonomy), the match data (from workers, postings and courses)
and the numpy vector indexes (from their files) are costly to make and cheap to check: each has a
stamp, a few small reads that change whenever its source does. A `StampedCache` keeps each value
per application (in `app.extensions[name]`) beside the stamp it was made at; a reader whose stamp
matches gets it at once, and only one thread at a time makes a new one, handed the old value so
it can update instead of starting over.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import current_app

T = TypeVar("T")


@dataclass(frozen=True)
class Stamped(Generic[T]):
    stamp: Hashable
    value: T


class StampedCache(Generic[T]):
    """Values of one kind, each under a key, remade when their stamp changes.

    `wait_seconds`: how long a reader waits for another thread making a newer value before it is
    served the older one (None: wait for it; there is no older one to serve on the first make).
    """

    def __init__(self, name: str, wait_seconds: float | None = None) -> None:
        self.name = name
        self.wait_seconds = wait_seconds
        self.lock = threading.Lock()  # held while a value is being made

    def _entries(self) -> dict[Hashable, Stamped[T]]:
        return current_app.extensions.setdefault(self.name, {})

    def peek(self, key: Hashable = None) -> T | None:
        """The value kept under `key`, whatever its stamp; None if none was made."""
        entry = self._entries().get(key)
        return entry.value if entry is not None else None

    def forget(self) -> None:
        """Drop every kept value of this application, as a new process starts without them."""
        current_app.extensions.pop(self.name, None)

    def put(self, value: T, stamp: Hashable, key: Hashable = None) -> T:
        """Keep a value made elsewhere (e.g. by the writer of its source) at `stamp`."""
        with self.lock:
            self._entries()[key] = Stamped(stamp, value)
        return value

    def get(
        self,
        stamp_now: Callable[[], Hashable],
        make: Callable[[T | None, Any], T],
        key: Hashable = None,
    ) -> T:
        """The value under `key` as of the stamp `stamp_now()` reads, made by `make(old, stamp)`
        when the kept one is older (`old` is None on the first make)."""
        stamp = stamp_now()
        entry = self._entries().get(key)
        if entry is not None and entry.stamp == stamp:
            return entry.value
        if entry is None or self.wait_seconds is None:
            self.lock.acquire()
        elif not self.lock.acquire(timeout=self.wait_seconds):
            return entry.value  # another thread is making the newer one
        try:
            stamp = stamp_now()  # what the thread that held the lock made may be current
            entry = self._entries().get(key)
            if entry is not None and entry.stamp == stamp:
                return entry.value
            value = make(entry.value if entry is not None else None, stamp)
            self._entries()[key] = Stamped(stamp, value)
            return value
        finally:
            self.lock.release()
