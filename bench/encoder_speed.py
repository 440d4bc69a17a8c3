"""Start-up and throughput of the MiniLM encoder per backend, each run in a NEW Python process.

A web worker or a command pays imports, model load and the first encode before it can answer, so
those are timed from interpreter start; then sentences per second on the ESCO validation
sentences (alone, and with their distinct candidate phrases, which linking embeds as well) and
on ESCO preferred labels (short texts, as a cold taxonomy build embeds them).

    python bench/encoder_speed.py [--esco-dir DIR] [--backends onnx torch] [--repeats N]
    python bench/encoder_speed.py --one BACKEND --esco-dir DIR   # one run; prints one JSON line

The last line printed is a JSON object with the best run per backend (bench/run_all.py reads it).
"""

from __future__ import annotations

import time

PROCESS_START = time.perf_counter()

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from itertools import islice  # noqa: E402
from pathlib import Path  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

LABELS = 2000  # preferred labels encoded for the short-text rate


def _texts(esco_dir: Path) -> tuple[list[str], list[str]]:
    """Validation sentences (both splits, each once) and the first ``LABELS`` ESCO labels."""
    sentences: dict[str, None] = {}
    for name in ("tech", "house"):
        with (esco_dir / f"{name}_validation_annotations.csv").open(encoding="utf-8") as handle:
            sentences.update((row["sentence"], None) for row in csv.DictReader(handle))
    with (esco_dir / "esco_skills_v110.csv").open(encoding="utf-8") as handle:
        labels = [row["preferredLabel"] for row in islice(csv.DictReader(handle), LABELS)]
    return list(sentences), labels


def _rate(count: int, run: object) -> float:
    started = time.perf_counter()
    run()  # type: ignore[operator]
    return count / (time.perf_counter() - started)


def run_one(backend: str, esco_dir: Path) -> dict[str, object]:
    """Imports, load and first encode from process start, then rates in texts per second."""
    from matching.encoder import load_minilm
    from matching.text import candidate_phrases

    timings: dict[str, object] = {"backend": backend, "imports": time.perf_counter()}
    encoder = load_minilm(backend=backend)
    timings["loaded"] = time.perf_counter() - PROCESS_START
    encoder.encode(["TIG welding"])
    timings["first_vector"] = time.perf_counter() - PROCESS_START
    timings["imports"] = float(timings["imports"]) - PROCESS_START  # type: ignore[arg-type]
    sentences, labels = _texts(esco_dir)
    with_phrases = [
        *sentences,
        *sorted({s[a:b] for s in sentences for a, b in candidate_phrases(s, 3)}),
    ]
    timings["sentences"] = len(sentences)
    timings["sentences_per_s"] = _rate(len(sentences), lambda: encoder.encode(sentences))
    timings["with_phrases_per_s"] = _rate(len(sentences), lambda: encoder.encode(with_phrases))
    timings["labels_per_s"] = _rate(len(labels), lambda: encoder.encode(labels))
    timings["torch_imported"] = "torch" in sys.modules
    return timings


def in_new_process(backend: str, esco_dir: Path) -> dict[str, object]:
    """One run in a fresh interpreter; what it wrote to stderr is kept (it should be nothing)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--one", backend]
    command += ["--esco-dir", str(esco_dir)]
    environment = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    done = subprocess.run(
        command, capture_output=True, text=True, check=True, cwd=PROJECT_ROOT, env=environment
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["stderr"] = done.stderr.strip()[:200]
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--esco-dir", type=Path, default=PROJECT_ROOT.parent / "shared" / "esco")
    parser.add_argument("--backends", nargs="+", default=["onnx", "torch"])
    parser.add_argument("--repeats", type=int, default=3, help="new processes per backend")
    parser.add_argument("--one", metavar="BACKEND", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.esco_dir)))
        return 0
    best: dict[str, dict[str, object]] = {}
    print(f"MiniLM encoder per backend, new process each run (best of {args.repeats})")
    print(
        f"{'backend':<9}{'imports s':>10}{'loaded s':>10}{'1st vector s':>13}"
        f"{'sent/s':>9}{'+phrases sent/s':>16}{'labels/s':>10}  torch"
    )
    for backend in args.backends:
        runs = [in_new_process(backend, args.esco_dir) for _ in range(args.repeats)]
        top = min(runs, key=lambda run: float(run["first_vector"]))  # type: ignore[arg-type]
        for rate in ("sentences_per_s", "with_phrases_per_s", "labels_per_s"):
            top[rate] = max(float(run[rate]) for run in runs)  # type: ignore[arg-type]
        best[backend] = top
        print(
            f"{backend:<9}{top['imports']:>10.2f}{top['loaded']:>10.2f}{top['first_vector']:>13.2f}"
            f"{top['sentences_per_s']:>9.1f}{top['with_phrases_per_s']:>16.1f}"
            f"{top['labels_per_s']:>10.1f}"
            f"  {top['torch_imported']}"
        )
        if top["stderr"]:
            print(f"  {backend} wrote to stderr: {top['stderr']}")
    sentences = next(iter(best.values()))["sentences"] if best else 0
    print(
        f"  seconds from interpreter start; rates on {sentences} validation sentences and "
        f"{LABELS} ESCO labels on {os.cpu_count()} CPUs (load average {os.getloadavg()[0]:.1f})"
    )
    print(json.dumps(best))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
