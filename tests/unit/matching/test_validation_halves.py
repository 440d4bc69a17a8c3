"""The halves the in-domain figures fit on and score on (bench/skill_linking.py ``half``): every
sentence in exactly one, the two alternating in file order, and the adapter fit reading only its
own (bench/fit_adapter.py ``validation_pairs``)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bench.fit_adapter import validation_pairs
from bench.skill_linking import Split, half

KNOWN = {"weld metal", "read drawings", "work in teams"}


def _write_split(directory: Path, name: str, rows: list[tuple[str, str]]) -> None:
    with (directory / f"{name}_validation_annotations.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["sentence", "span", "sub_span", "label"])
        for sentence, label in rows:
            writer.writerow([sentence, "", "", label])


def test_the_halves_alternate_and_together_are_the_split() -> None:
    split = Split("tech", [f"s{n}" for n in range(7)], [{f"l{n}"} for n in range(7)])
    first, second = half(split, 0), half(split, 1)
    assert first.sentences == ["s0", "s2", "s4", "s6"]
    assert second.sentences == ["s1", "s3", "s5"]
    assert second.gold == [{"l1"}, {"l3"}, {"l5"}]
    assert first.name == second.name == "tech"


def test_a_split_has_no_third_half() -> None:
    with pytest.raises(ValueError, match="halves 0 and 1"):
        half(Split("tech", ["s"], [{"l"}]), 2)


def test_the_adapter_fit_reads_only_its_half_of_every_split(tmp_path: Path) -> None:
    _write_split(
        tmp_path,
        "tech",
        [
            ("Weld the frame.", "weld metal"),
            ("Weld the frame.", "read drawings"),
            ("Read the drawing.", "read drawings"),
            ("Nothing here.", "LABEL NOT PRESENT"),
            ("Work with others.", "work in teams"),
        ],
    )
    _write_split(tmp_path, "house", [("Team player.", "work in teams")])
    first = validation_pairs(tmp_path, ["tech", "house"], KNOWN, 0)
    second = validation_pairs(tmp_path, ["tech", "house"], KNOWN, 1)
    everything = validation_pairs(tmp_path, ["tech", "house"], KNOWN)
    labels = frozenset({"weld metal", "read drawings"})
    # One pair per gold label; the dropped row makes no sentence.
    assert first == [
        ("Weld the frame.", labels),
        ("Weld the frame.", labels),
        ("Work with others.", frozenset({"work in teams"})),
        ("Team player.", frozenset({"work in teams"})),
    ]
    assert second == [("Read the drawing.", frozenset({"read drawings"}))]
    assert sorted(first + second) == sorted(everything)
