"""Start-up and end-to-end timings of skill linking, each in a NEW Python process.

A new process is the honest measure of what a command or a web worker pays: imports, model load,
taxonomy, cached vectors, then the work. Each run prints one JSON object with its timings (seconds
from process start, imports included).

    python -m bench.warm_start linker   --esco CSV --cache-dir DIR [--sentences JSON]
    python -m bench.warm_start baseline --esco CSV --cache-dir DIR --sentences JSON

``linker``: MiniLM on onnxruntime + SkillLinker built from the cache (nothing may be
recomputed), then, with ``--sentences``, ``link_many`` on them (top 10). ``baseline``: the plain
zero-shot baseline as one would write it (the plain model, without the ESCO adapter):
sentence-transformers' SentenceTransformer on CPU, the sentence vectors against the cached
preferred-label vectors (the same cache, so the baseline does not pay for embedding the taxonomy
either), top 10 by cosine.
"""

from __future__ import annotations

import time

PROCESS_START = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

TOP_K = 10


def _since_start() -> float:
    return time.perf_counter() - PROCESS_START


def run_linker(esco: Path, cache_dir: Path, sentences: list[str] | None) -> dict[str, object]:
    """Warm start of the linker (and optionally linking ``sentences``), timed by phase."""
    from matching.encoder import load_minilm
    from matching.linker import SkillLinker
    from matching.taxonomy import read_esco_csv

    timings: dict[str, object] = {"imports": _since_start()}
    encoder = load_minilm()
    timings["model"] = _since_start()
    records = list(read_esco_csv(esco))
    timings["taxonomy_csv"] = _since_start()
    linker = SkillLinker(records, encoder, cache_dir=cache_dir)
    timings["ready"] = _since_start()
    timings["recomputed"] = linker.store.computed
    if sentences is not None:
        linker.link_many(sentences, top_k=TOP_K)
        timings["done"] = _since_start()
    timings["torch_imported"] = "torch" in sys.modules
    return timings


def run_baseline(esco: Path, cache_dir: Path, sentences: list[str]) -> dict[str, object]:
    """The zero-shot baseline with sentence-transformers, timed by phase."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import numpy as np
    from sentence_transformers import SentenceTransformer

    from matching.encoder import minilm_model_id, minilm_path
    from matching.linker import REPRESENTATION_VERSION
    from matching.taxonomy import read_esco_csv, taxonomy_version
    from matching.vector_cache import CacheKey, VectorStore

    timings: dict[str, object] = {"imports": _since_start()}
    model = SentenceTransformer(str(minilm_path()), device="cpu")
    timings["model"] = _since_start()
    records = list(read_esco_csv(esco))
    timings["taxonomy_csv"] = _since_start()
    labels = [record.label for record in records]
    key = CacheKey(
        minilm_model_id(adapter=None), taxonomy_version(records), REPRESENTATION_VERSION, "label"
    )

    def refuse(_texts: Sequence[str]) -> np.ndarray:
        raise RuntimeError("label vectors are not cached: run the linker cold build first")

    store = VectorStore(model, cache_dir)  # type: ignore[arg-type]
    label_vectors = store.vectors(key, labels, encode=refuse)
    timings["ready"] = _since_start()
    vectors = model.encode(sentences, normalize_embeddings=True, convert_to_numpy=True)
    similarity = vectors @ label_vectors.T
    top = np.argpartition(-similarity, TOP_K, axis=1)[:, :TOP_K]
    for row, candidates in enumerate(top):
        ordered = candidates[np.argsort(-similarity[row, candidates])]
        _ = [labels[index] for index in ordered]
    timings["done"] = _since_start()
    return timings


def in_new_process(
    system: str, esco: Path, cache_dir: Path, sentences_file: Path | None = None
) -> dict[str, object]:
    """Run one timing in a fresh interpreter; its stderr must stay empty (no progress bars)."""
    command = [sys.executable, "-m", "bench.warm_start", system, "--esco", str(esco)]
    command += ["--cache-dir", str(cache_dir)]
    if sentences_file is not None:
        command += ["--sentences", str(sentences_file)]
    environment = {**os.environ, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        command, capture_output=True, text=True, check=True, cwd=PROJECT_ROOT, env=environment
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["stderr"] = done.stderr.strip()
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("system", choices=("linker", "baseline"))
    parser.add_argument("--esco", type=Path, required=True)
    parser.add_argument("--cache-dir", type=Path, required=True)
    parser.add_argument("--sentences", type=Path, help="JSON list of sentences to link")
    args = parser.parse_args(argv)
    sentences = None
    if args.sentences is not None:
        sentences = json.loads(args.sentences.read_text(encoding="utf-8"))
        if not isinstance(sentences, list) or not all(isinstance(s, str) for s in sentences):
            parser.error(f"{args.sentences}: expected a JSON list of strings")
    if args.system == "linker":
        result = run_linker(args.esco, args.cache_dir, sentences)
    else:
        if sentences is None:
            parser.error("baseline needs --sentences")
        result = run_baseline(args.esco, args.cache_dir, sentences)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
