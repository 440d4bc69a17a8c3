"""Marathi, Hindi and Hinglish worker statements beside their English renderings (RP@5, and
precision / recall / F1 of the skills flagged ``present``).

Each statement of ``shared/multilingual/validation.tsv`` is linked twice against all ESCO v1.1.0
skills: its own text and its plain-English rendering. The measure that matters is each language's
RP@5 next to the RP@5 of the English renderings of the same items (the ratio). Items are split by id
parity into a dev half (even ids: looked at while tuning) and a held-out half (odd ids: not looked at),
and both halves are reported beside the total, so tuning to the dev half shows as a gap.

The second table is the ``present`` flag among each statement's top 10, micro-averaged against the
gold labels as in bench/skill_linking.py. Nothing of the linker is fitted on these statements, so it
is a second, out-of-domain check of the precision fitted on the ESCO job-ad splits; gold lists only
the skills the annotator named, so a flag on a skill the worker does have counts against precision.

    python -m bench.multilingual [--esco-dir DIR] [--data FILE] [--cache-dir DIR] [--show dev|all]

``--data`` takes any file of the same columns (id, lang, text, english, gold), e.g. a development set
of one's own; ``--show all`` prints every item's top 5 (for such a set, where there is nothing to
hold out).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from bench.skill_linking import set_scores  # noqa: E402
from matching.encoder import load_minilm  # noqa: E402
from matching.linker import SkillLinker  # noqa: E402
from matching.taxonomy import read_esco_csv  # noqa: E402

LANGUAGES = ("mr", "hi", "hinglish")
HALVES = ("dev", "held-out", "all")
PRESENT_TOP_K = 10  # as bench/skill_linking.py scores ``present``


@dataclass(frozen=True)
class Statement:
    """One worker statement: its language, own text, English rendering and gold ESCO labels."""

    id: str
    lang: str
    text: str
    english: str
    gold: frozenset[str]

    @property
    def half(self) -> str:
        """Even ids are the dev half, odd ids the held-out half."""
        digits = "".join(ch for ch in self.id if ch.isdigit())
        return "dev" if int(digits or 0) % 2 == 0 else "held-out"


def read_statements(path: Path, known_labels: set[str]) -> list[Statement]:
    """Read the TSV; a gold label that is not an ESCO v1.1.0 label is an error."""
    statements = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            gold = frozenset(label.strip() for label in row["gold"].split(" | ") if label.strip())
            unknown = gold - known_labels
            if unknown:
                raise ValueError(f"{row['id']}: unknown ESCO label(s) {sorted(unknown)}")
            statements.append(Statement(row["id"], row["lang"], row["text"], row["english"], gold))
    return statements


def rp_at_5(ranking: Sequence[str], gold: frozenset[str]) -> float:
    """R-Precision@5: |gold ∩ top 5| / min(5, |gold|)."""
    return len(gold & set(ranking[:5])) / min(5, len(gold))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--esco-dir", type=Path, default=PROJECT_ROOT.parent / "shared" / "esco")
    parser.add_argument(
        "--data",
        type=Path,
        default=PROJECT_ROOT.parent / "shared" / "multilingual" / "validation.tsv",
    )
    parser.add_argument("--cache-dir", type=Path, default=None, help="vector cache directory")
    parser.add_argument(
        "--show",
        choices=("dev", "all"),
        default=None,
        help="print each dev (or every) item's top 5 (tuning aid)",
    )
    args = parser.parse_args(argv)
    esco_csv = args.esco_dir / "esco_skills_v110.csv"
    for required in (esco_csv, args.data):
        if not required.exists():
            parser.error(f"missing {required}")
    temporary = None
    if args.cache_dir is None:
        temporary = tempfile.TemporaryDirectory(prefix="skill-vectors-")
        args.cache_dir = Path(temporary.name)

    records = list(read_esco_csv(esco_csv))
    linker = SkillLinker(records, load_minilm(), cache_dir=args.cache_dir)
    statements = read_statements(args.data, {record.label for record in records})

    linker.link_many([s.english for s in statements[:2]] + [s.text for s in statements[:2]], 5)
    started = time.perf_counter()
    native = linker.link_many([s.text for s in statements], top_k=PRESENT_TOP_K)
    native_seconds = time.perf_counter() - started
    started = time.perf_counter()
    english = linker.link_many([s.english for s in statements], top_k=PRESENT_TOP_K)
    english_seconds = time.perf_counter() - started

    scores: dict[tuple[str, str], list[tuple[float, float]]] = {}
    groups: dict[tuple[str, str], list[int]] = {}
    for number, (statement, own, rendered) in enumerate(
        zip(statements, native, english, strict=True)
    ):
        pair = (
            rp_at_5([skill.label for skill in own], statement.gold),
            rp_at_5([skill.label for skill in rendered], statement.gold),
        )
        for lang in (statement.lang, "all"):
            for half in (statement.half, "all"):
                scores.setdefault((lang, half), []).append(pair)
                groups.setdefault((lang, half), []).append(number)
        if args.show == "all" or (args.show == "dev" and statement.half == "dev"):
            print(f"{statement.id} {statement.lang} RP@5 {pair[0]:.2f} (English {pair[1]:.2f})")
            print(f"  text:  {statement.text}")
            print(f"  gold:  {' | '.join(sorted(statement.gold))}")
            found = " | ".join(f"{s.label}{' [present]' if s.present else ''}" for s in own[:5])
            print(f"  found: {found}")

    print()
    print(
        f"Multilingual worker statements ({len(statements)}), RP@5 against all ESCO v1.1.0 skills"
    )
    print(f"{'language':<10}{'half':<10}{'n':>4}{'own text':>10}{'English':>9}{'ratio':>7}")
    summary: dict[str, dict[str, float]] = {}
    for lang in (*LANGUAGES, "all"):
        for half in HALVES:
            pairs = scores.get((lang, half), [])
            if not pairs:
                continue
            own = 100 * sum(p[0] for p in pairs) / len(pairs)
            rendered = 100 * sum(p[1] for p in pairs) / len(pairs)
            ratio = own / rendered if rendered else float("nan")
            print(f"{lang:<10}{half:<10}{len(pairs):>4}{own:>10.1f}{rendered:>9.1f}{ratio:>7.2f}")
            summary[f"{lang}/{half}"] = {"rp5": own, "english_rp5": rendered, "ratio": ratio}
    print()
    print(f"Skills flagged present among the top {PRESENT_TOP_K}, micro P / R / F1 against gold")
    print(f"{'language':<10}{'half':<10}{'n':>4}{'own text':>21}{'English':>21}")
    print(f"{'':<24}{'P':>7}{'R':>7}{'F1':>7}{'P':>7}{'R':>7}{'F1':>7}")
    for lang in (*LANGUAGES, "all"):
        for half in HALVES:
            numbers = groups.get((lang, half), [])
            if not numbers:
                continue
            gold = [set(statements[number].gold) for number in numbers]
            cells = []
            for name, runs in (("present", native), ("english_present", english)):
                flagged = [[(s.label, s.present) for s in runs[number]] for number in numbers]
                precision, recall, f1 = (100 * value for value in set_scores(flagged, gold))
                summary[f"{lang}/{half}"][name] = {"p": precision, "r": recall, "f1": f1}
                cells.append(f"{precision:7.1f}{recall:7.1f}{f1:7.1f}")
            print(f"{lang:<10}{half:<10}{len(numbers):>4}{cells[0]}{cells[1]}")
    print(
        f"  linking time: own texts {native_seconds:.2f} s, English renderings "
        f"{english_seconds:.2f} s ({len(statements)} statements each)"
    )
    print(json.dumps(summary))
    if temporary is not None:
        temporary.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
