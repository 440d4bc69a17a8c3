"""Fit the ESCO adapter of MiniLM (matching/adapter.py) from ESCO and the labelled job-ad sentences.

    python -m bench.fit_adapter [--esco-dir DIR] [--out FILE] [--steps N] [--rounds N]
                                [--validation SPLIT ...] [--validation-half N]
                                [--validation-share N]
                                [--hard-share S] [--seed N]

Only the model's biases and layer-norm scales are trained (BitFit); every other weight stays the
packaged one. The training pairs:

* each alternative label (cut out of the run-together description) with its preferred label;
* the first sentence of each definition with its preferred label;
* sentences built from a skill's names the way job ads state a requirement ("Experience with
  {name}.", "Ability to {name} and {another skill's name}."), ``--rounds`` per skill, with the
  skill's preferred label;
* the sentences of the ``--validation`` splits (TECH and HOUSE by default), each with one of its
  gold labels, ``--validation-share`` of every batch: the only job-ad sentences with ESCO labels
  this project has. No sentence in a batch has another pair's label among its gold labels (it
  would be taught that a right label is wrong).

The linker's weights are fitted on the same splits, so the benchmark scores the adapter held out
as it scores the weights: ``bench/data/minilm_esco_adapter_without_<split>.npz`` are fitted by
this script with every split but that one (``--validation tech`` makes ``..._without_house``),
and bench/skill_linking.py scores each split with the adapter and weights fitted without it.
``--validation-half N`` takes every other sentence of each split (N = 0 from the first, 1 from
the second): ``bench/data/minilm_esco_adapter_half_<N>.npz``, with which the bench scores the other
half (its in-domain figures: unseen sentences of the same ads).

``--hard-share S`` fills that share of each batch with the skills nearest a random one (by the
packaged model's label vectors), the rest random: harder negatives, measured and not taken
(docs/performance.md).

The loss is the symmetric in-batch contrastive loss of sentence-transformers' multiple negatives
ranking (cosine × 20, batches of 64 with no skill twice). On 2 cores the 320 steps take about 8
minutes. Seeds are fixed; the shipped file is the output of the defaults, the held-out ones of
``--validation tech`` and ``--validation house`` with ``--out`` (docs/performance.md has the
figures of every run measured, and of the recipes not taken).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer
from transformers.utils import logging as transformers_logging

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from bench.skill_linking import SPLITS, half, read_split  # noqa: E402
from matching.adapter import ADAPTER_FILE, is_adapted_parameter  # noqa: E402
from matching.encoder import minilm_path  # noqa: E402
from matching.taxonomy import (  # noqa: E402
    AltLabelSegmenter,
    SkillRecord,
    read_esco_csv,
    skill_surface,
)

# How job ads put a requirement: generic openings, none taken from the validation sentences.
OPENINGS = (
    "Experience in",
    "Experience with",
    "Knowledge of",
    "Ability to",
    "You will",
    "Strong",
    "Proven experience in",
    "Familiarity with",
    "Responsible for",
    "Good understanding of",
    "Hands-on experience with",
    "Must be able to",
    "Skilled in",
    "You are comfortable with",
    "Working knowledge of",
    "The role involves",
    "Candidates should",
)
BATCH = 64
# Job-ad sentences per batch of 64: 2,560 draws over the 320 steps, so each of the 136
# validation sentences is seen about 19 times (about 38 with one split; 16 per batch measured
# too: docs/performance.md).
VALIDATION_SHARE = 8
SCALE = 20.0
MAX_TOKENS = 64
WARMUP_STEPS = 100


def training_pairs(records: list[SkillRecord], rounds: int, seed: int) -> list[tuple[str, str]]:
    """(text, preferred label) pairs from ESCO's names, definitions and built sentences."""
    segmenter = AltLabelSegmenter(record.label for record in records)
    rng = random.Random(seed)
    pairs: list[tuple[str, str]] = []
    names: list[tuple[str, list[str]]] = []
    for record in records:
        surface = skill_surface(record, segmenter)
        alternatives = [alt for alt in surface.alt_labels if 2 <= len(alt) <= 120]
        pairs.extend((alt, record.label) for alt in alternatives)
        if surface.definition:
            pairs.append((surface.definition.split(". ")[0].rstrip("."), record.label))
        names.append(
            (record.label, [alt for alt in alternatives if len(alt) <= 80] + [record.label])
        )
    for _ in range(rounds):
        for label, own in names:
            name = rng.choice(own)
            pairs.append((f"{rng.choice(OPENINGS)} {name}.", label))
            other = rng.choice(rng.choice(names)[1])
            first, second = (name, other) if rng.random() < 0.5 else (other, name)
            pairs.append((f"{rng.choice(OPENINGS)} {first} and {second}.", label))
    rng.shuffle(pairs)
    return pairs


def validation_pairs(
    esco_dir: Path, splits: Sequence[str], known: set[str], half_number: int | None = None
) -> list[tuple[str, frozenset[str]]]:
    """(sentence, its gold labels) once per gold label, from the named validation splits; with
    ``half_number``, from that half of each (bench.skill_linking.half)."""
    pairs = []
    for name in splits:
        split = read_split(esco_dir / f"{name}_validation_annotations.csv", known)
        if half_number is not None:
            split = half(split, half_number)
        for sentence, gold in zip(split.sentences, split.gold, strict=True):
            pairs.extend((sentence, frozenset(gold)) for _ in gold)
    return pairs


def batches(
    pairs: Sequence[tuple[str, str]],
    rng: random.Random,
    sentences: Sequence[tuple[str, frozenset[str]]] = (),
    share: int = 0,
) -> Iterator[list]:
    """Shuffled batches in which no skill appears twice (it would be its own negative). With
    ``sentences``, up to ``share`` of each batch are labelled sentences, each with one of its
    gold labels; no other pair in that batch has any of its gold labels."""
    order = list(pairs)
    rng.shuffle(order)
    batch: list[tuple[str, str]] = []
    labels: set[str] = set()

    def start() -> None:
        batch.clear()
        labels.clear()
        for sentence, gold in rng.sample(list(sentences), len(sentences)):
            if len(batch) == share:
                break
            if gold & labels:
                continue
            batch.append((sentence, rng.choice(sorted(gold))))
            labels.update(gold)

    start()
    for text, label in order:
        if label in labels:
            continue
        batch.append((text, label))
        labels.add(label)
        if len(batch) == BATCH:
            yield list(batch)
            start()


def hard_batches(
    pairs: Sequence[tuple[str, str]],
    label_vectors: dict[str, np.ndarray],
    share: float,
    rng: random.Random,
) -> Iterator[list]:
    """Batches of which ``share`` are the skills nearest a random one (by the packaged model's
    label vectors) and the rest random skills: near skills are the negatives a linker confuses."""
    texts: dict[str, list[str]] = {}
    for text, label in pairs:
        texts.setdefault(label, []).append(text)
    labels = list(texts)
    matrix = np.stack([label_vectors[label] for label in labels])
    near_count = int(BATCH * share)
    while True:
        anchor = rng.randrange(len(labels))
        nearest = np.argsort(-(matrix @ matrix[anchor]))[:near_count]
        chosen = {labels[int(index)] for index in nearest}
        while len(chosen) < BATCH:
            chosen.add(rng.choice(labels))
        yield [(rng.choice(texts[label]), label) for label in chosen]


def fit(
    pairs: list[tuple[str, str]],
    steps: int,
    learning_rate: float,
    seed: int,
    hard_share: float = 0.0,
    sentences: Sequence[tuple[str, frozenset[str]]] = (),
    share: int = VALIDATION_SHARE,
) -> dict:
    """Train the adapted parameters; their values by name."""
    transformers_logging.disable_progress_bar()
    transformers_logging.set_verbosity_error()
    torch.manual_seed(seed)
    tokenizer = AutoTokenizer.from_pretrained(str(minilm_path()), local_files_only=True)
    model = AutoModel.from_pretrained(str(minilm_path()), local_files_only=True)
    trained = []
    for name, parameter in model.named_parameters():
        parameter.requires_grad = is_adapted_parameter(name)
        if parameter.requires_grad:
            trained.append(parameter)
    optimiser = torch.optim.AdamW(trained, lr=learning_rate, weight_decay=0.0)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min(1.0, (step + 1) / WARMUP_STEPS) * max(0.0, 1 - step / steps)
    )

    def embed(texts: list[str]) -> torch.Tensor:
        encoded = tokenizer(
            texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
        )
        tokens = model(**encoded).last_hidden_state
        mask = encoded["attention_mask"].unsqueeze(-1).float()
        return torch.nn.functional.normalize((tokens * mask).sum(1) / mask.sum(1), dim=-1)

    rng = random.Random(seed)
    if hard_share > 0:
        model.eval()
        labels = sorted({label for _, label in pairs})
        with torch.no_grad():
            vectors = torch.cat([embed(labels[i : i + 256]) for i in range(0, len(labels), 256)])
        label_vectors = dict(zip(labels, vectors.numpy(), strict=True))
    model.train()
    step, started, smoothed = 0, time.monotonic(), None
    while step < steps:
        source = (
            hard_batches(pairs, label_vectors, hard_share, rng)
            if hard_share > 0
            else batches(pairs, rng, sentences, share)
        )
        for batch in source:
            similarity = embed([text for text, _ in batch]) @ embed([lab for _, lab in batch]).T
            similarity = similarity * SCALE
            target = torch.arange(len(batch))
            cross_entropy = torch.nn.functional.cross_entropy
            loss = (cross_entropy(similarity, target) + cross_entropy(similarity.T, target)) / 2
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            step += 1
            smoothed = loss.item() if smoothed is None else 0.98 * smoothed + 0.02 * loss.item()
            if step % 50 == 0 or step == steps:
                elapsed = time.monotonic() - started
                print(f"step {step}/{steps}  loss {smoothed:.3f}  {elapsed:.0f} s", flush=True)
            if step >= steps:
                break
    return {
        name: parameter.detach().numpy().astype(np.float32)
        for name, parameter in model.named_parameters()
        if is_adapted_parameter(name)
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--esco-dir", type=Path, default=PROJECT_ROOT.parent / "shared" / "esco")
    parser.add_argument("--out", type=Path, default=ADAPTER_FILE)
    parser.add_argument("--steps", type=int, default=320)
    parser.add_argument("--rounds", type=int, default=1, help="built sentences per skill")
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--validation",
        nargs="*",
        choices=SPLITS,
        default=list(SPLITS),
        help="validation splits whose labelled sentences join the training (default: all)",
    )
    parser.add_argument(
        "--validation-half",
        type=int,
        choices=(0, 1),
        default=None,
        help="only this half of each split's sentences (every other one; the bench scores the "
        "other half with the adapter: its in-domain figures)",
    )
    parser.add_argument(
        "--validation-share",
        type=int,
        default=VALIDATION_SHARE,
        help=f"labelled sentences per batch of {BATCH}",
    )
    parser.add_argument(
        "--hard-share", type=float, default=0.0, help="share of each batch from near skills"
    )
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    esco_csv = args.esco_dir / "esco_skills_v110.csv"
    if not esco_csv.exists():
        parser.error(f"missing {esco_csv}")
    if not 0.0 <= args.hard_share <= 1.0:
        parser.error("--hard-share is a share of the batch, from 0 to 1")
    if args.validation and args.hard_share > 0:
        parser.error("--hard-share batches take no labelled sentences: give --validation no split")
    if args.steps < 1:
        parser.error("--steps is a number of training steps, at least 1")
    if not 0 <= args.validation_share < BATCH:
        parser.error(f"--validation-share is a number of pairs per batch, below {BATCH}")
    os.environ["HF_HUB_OFFLINE"] = "1"
    torch.set_num_threads(args.threads)
    records = list(read_esco_csv(esco_csv))
    pairs = training_pairs(records, args.rounds, args.seed)
    known = {record.label for record in records}
    sentences = validation_pairs(args.esco_dir, args.validation, known, args.validation_half)
    halved = "" if args.validation_half is None else f", half {args.validation_half}"
    print(
        f"{len(pairs)} ESCO pairs, {len(sentences)} labelled sentence pairs "
        f"({', '.join(args.validation) or 'none'}{halved}); {args.steps} steps of {BATCH}"
    )
    values = fit(
        pairs,
        args.steps,
        args.learning_rate,
        args.seed,
        args.hard_share,
        sentences,
        args.validation_share,
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "wb") as handle:
        np.savez_compressed(handle, **values)
    print(f"wrote {args.out} ({sum(v.size for v in values.values())} parameters)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
