"""`make bench`'s closing table (bench/run_all.py ``summary``): a benchmark that measured and
missed a target keeps its figures in the table, under a row that says it failed."""

from __future__ import annotations

from bench.run_all import summary

HTTP_REPORT = {
    "requests": 14142,
    "achieved_rps": 47.1,
    "failures_pct": 0.0,
    "status_5xx": 0,
    "p50_ms": 610.0,
    "p95_ms": 960.0,
    "p99_ms": 1200.0,
    "write_rps": 5.0,
    "not_reflected": 0,
    "server_reads": {"p95_ms": 278.0},
    "memory_after": [{"rss": 242.0, "pss": 210.0, "uss": 190.0, "peak_rss": 249.0}],
}
NAME = "http load with writes at 100,000 workers, PostgreSQL"


def test_a_missed_target_keeps_the_figures_under_the_failure() -> None:
    rows = summary({"name": NAME, "status": "failed (exit 1)", "json": HTTP_REPORT, "errors": []})
    assert rows[0] == (NAME, "failed (exit 1): a target missed (see its report above)")
    assert rows[1][1].startswith("14142 requests at 47.1 req/s")
    assert any("GET p95 (server) 278 ms" in value for _, value in rows)
    assert any(measure.endswith("worker process 1") for measure, _ in rows)


def test_a_crash_shows_its_last_error_lines() -> None:
    rows = summary(
        {"name": NAME, "status": "failed (exit 2)", "errors": ["Traceback", "OSError: port"]}
    )
    assert rows == [(NAME, "failed (exit 2); Traceback | OSError: port")]
    assert summary({"name": NAME, "status": "timed out after 60 s"}) == [
        (NAME, "timed out after 60 s")
    ]


def test_a_pass_shows_only_the_figures() -> None:
    rows = summary({"name": NAME, "status": "ok", "json": HTTP_REPORT})
    assert rows[0][0] == NAME and rows[0][1].startswith("14142 requests")
