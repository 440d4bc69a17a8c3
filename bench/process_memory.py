"""Memory of running processes as Linux counts it: resident (RSS), proportional (PSS: each shared
page divided among the processes mapping it) and unique (USS: pages no other process maps), from
/proc/PID/smaps_rollup, and the peak resident set (VmHWM) from /proc/PID/status. RSS counts a
page shared by two processes in both; PSS adds up to what the machine holds.

    python bench/process_memory.py PID [PID ...]     # one JSON line per process
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

MIB = 1024.0


def memory_of(pid: int) -> dict[str, float]:
    """rss, pss, uss, shared (rss − uss) and peak_rss of `pid`, in MiB."""
    fields: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[-1] == "kB":
            fields[name.strip()] = float(parts[0])
    peak = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak = float(line.split()[1])
    uss = fields.get("Private_Clean", 0.0) + fields.get("Private_Dirty", 0.0)
    return {
        "rss": fields.get("Rss", 0.0) / MIB,
        "pss": fields.get("Pss", 0.0) / MIB,
        "uss": uss / MIB,
        "shared": (fields.get("Rss", 0.0) - uss) / MIB,
        "peak_rss": peak / MIB,
    }


def children_of(pid: int) -> list[int]:
    """The direct children of `pid` (gunicorn's worker processes of its arbiter)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found += [int(child) for child in children]
    return sorted(found)


def main(argv: Sequence[str] | None = None) -> int:
    for pid in [int(arg) for arg in (argv if argv is not None else sys.argv[1:])]:
        print(json.dumps({"pid": pid, **memory_of(pid)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
