"""The taxonomy cache (vectors and derived structures): persisted, reused, and recomputed when it
cannot be trusted."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from matching.encoder import HashingEncoder
from matching.linker import SkillLinker
from matching.taxonomy import SkillRecord
from matching.vector_cache import KEEP_FILES, CacheKey, VectorStore, pack_strings, unpack_strings

KEY = CacheKey("hashing", "tax-v1", "r1", "label")
TEXTS = ["TIG welding", "read engineering drawings", "drive forklift"]


def test_vectors_are_persisted_and_reused(tmp_path: Path) -> None:
    encoder = HashingEncoder()
    first = VectorStore(encoder, tmp_path).vectors(KEY, TEXTS)
    assert encoder.calls == 1
    assert len(list(tmp_path.glob("*.npz"))) == 1

    store = VectorStore(encoder, tmp_path)
    again = store.vectors(KEY, TEXTS)
    assert encoder.calls == 1  # loaded, not re-encoded
    assert store.loaded_from_cache == ["label"]
    np.testing.assert_array_equal(first, again)


def test_changed_key_or_texts_recompute_reusing_unchanged_rows(tmp_path: Path) -> None:
    encoder = HashingEncoder()
    first = VectorStore(encoder, tmp_path).vectors(KEY, TEXTS)
    assert encoder.texts_encoded == 3

    # Another taxonomy version with the same label texts: a new cache file, nothing re-encoded.
    store = VectorStore(encoder, tmp_path)
    again = store.vectors(CacheKey("hashing", "tax-v2", "r1", "label"), TEXTS)
    assert store.computed == ["label"] and store.reused_rows == {"label": 3}
    assert encoder.texts_encoded == 3
    np.testing.assert_array_equal(again, first)

    # One text added: only that one is encoded.
    store = VectorStore(encoder, tmp_path)
    grown = store.vectors(KEY, [*TEXTS, "weld pipes"])
    assert encoder.texts_encoded == 4 and store.reused_rows == {"label": 3}
    np.testing.assert_array_equal(grown[:3], first)
    np.testing.assert_array_equal(grown[3], encoder.encode(["weld pipes"])[0])

    # Another model or representation shares nothing.
    VectorStore(encoder, tmp_path).vectors(CacheKey("other-model", "tax-v1", "r1", "label"), TEXTS)
    VectorStore(encoder, tmp_path).vectors(CacheKey("hashing", "tax-v1", "r2", "label"), TEXTS)
    assert encoder.texts_encoded == 4 + 1 + 3 + 3  # the +1 is the direct encode above


def test_old_caches_are_pruned(tmp_path: Path) -> None:
    encoder = HashingEncoder()
    for version in range(KEEP_FILES + 3):
        VectorStore(encoder, tmp_path).vectors(
            CacheKey("hashing", f"tax-v{version}", "r1", "label"), [*TEXTS, f"skill {version}"]
        )
    latest = CacheKey("hashing", f"tax-v{KEEP_FILES + 2}", "r1", "label")
    files = list(tmp_path.glob("label-*.npz"))
    assert len(files) == KEEP_FILES
    assert tmp_path / latest.file_name() in files
    store = VectorStore(encoder, tmp_path)
    store.vectors(latest, [*TEXTS, f"skill {KEEP_FILES + 2}"])
    assert store.computed == []


def test_corrupted_cache_is_recomputed_and_replaced(tmp_path: Path) -> None:
    encoder = HashingEncoder()
    expected = VectorStore(encoder, tmp_path).vectors(KEY, TEXTS)
    (cache_file,) = tmp_path.glob("*.npz")
    cache_file.write_bytes(cache_file.read_bytes()[:100])  # truncated write

    store = VectorStore(encoder, tmp_path)
    recomputed = store.vectors(KEY, TEXTS)
    assert store.computed == ["label"]
    np.testing.assert_array_equal(recomputed, expected)
    assert VectorStore(encoder, tmp_path).vectors(KEY, TEXTS) is not None
    assert encoder.calls == 2  # the replaced file is valid again


def test_cache_with_tampered_vectors_fails_its_checksum(tmp_path: Path) -> None:
    encoder = HashingEncoder()
    VectorStore(encoder, tmp_path).vectors(KEY, TEXTS)
    (cache_file,) = tmp_path.glob("*.npz")
    with np.load(cache_file) as data:
        contents = {name: data[name] for name in data.files}
    contents["vectors"] = contents["vectors"] * 0.5
    np.savez(cache_file, **contents)

    store = VectorStore(encoder, tmp_path)
    store.vectors(KEY, TEXTS)
    assert store.computed == ["label"]


def test_no_temporary_files_are_left_behind(tmp_path: Path) -> None:
    VectorStore(HashingEncoder(), tmp_path).vectors(KEY, TEXTS)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp")] == []


def test_linker_restart_never_reembeds_the_taxonomy(
    tmp_path: Path, tiny_taxonomy: list[SkillRecord]
) -> None:
    encoder = HashingEncoder()
    SkillLinker(tiny_taxonomy, encoder, cache_dir=tmp_path)
    encoded_first = encoder.texts_encoded
    assert encoded_first >= len(tiny_taxonomy)

    restarted = SkillLinker(tiny_taxonomy, encoder, cache_dir=tmp_path)
    assert encoder.texts_encoded == encoded_first
    assert restarted.store.computed == []

    changed = [*tiny_taxonomy, SkillRecord("urn:test:new", "grind weld seams")]
    SkillLinker(changed, encoder, cache_dir=tmp_path)
    assert encoder.texts_encoded > encoded_first


# --- Derived structures (surfaces, BM25 index) -------------------------------------------------


def _structure_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("structures-*.npz"))


def test_linker_structures_are_cached_and_reused(
    tmp_path: Path, tiny_taxonomy: list[SkillRecord]
) -> None:
    first = SkillLinker(tiny_taxonomy, HashingEncoder(), cache_dir=tmp_path)
    assert "structures" in first.store.computed
    assert len(_structure_files(tmp_path)) == 1

    again = SkillLinker(tiny_taxonomy, HashingEncoder(), cache_dir=tmp_path)
    assert again.store.computed == []
    assert set(again.store.loaded_from_cache) == {"structures", "label"}
    assert again._surfaces == first._surfaces
    assert again.bm25.vocabulary == first.bm25.vocabulary
    assert (again.bm25.matrix != first.bm25.matrix).nnz == 0
    text = "need TIG welders who can read drawings; GTAW and blueprint reading"
    assert again.link(text, top_k=5) == first.link(text, top_k=5)


def test_linker_structures_are_rebuilt_for_another_taxonomy_or_order(
    tmp_path: Path, tiny_taxonomy: list[SkillRecord]
) -> None:
    SkillLinker(tiny_taxonomy, HashingEncoder(), cache_dir=tmp_path)
    changed = [*tiny_taxonomy[:-1], SkillRecord("urn:test:grind", "grind weld seams")]
    rebuilt = SkillLinker(changed, HashingEncoder(), cache_dir=tmp_path)
    assert "structures" in rebuilt.store.computed
    assert rebuilt.link("grinding weld seams", top_k=1)[0].uri == "urn:test:grind"

    # Same taxonomy version, other order: position-indexed structures must not be reused.
    reordered = SkillLinker(tiny_taxonomy[::-1], HashingEncoder(), cache_dir=tmp_path)
    assert "structures" in reordered.store.computed
    fresh = SkillLinker(tiny_taxonomy[::-1], HashingEncoder())
    assert reordered._surfaces == fresh._surfaces


def test_corrupted_structures_are_rebuilt_and_replaced(
    tmp_path: Path, tiny_taxonomy: list[SkillRecord]
) -> None:
    expected = SkillLinker(tiny_taxonomy, HashingEncoder(), cache_dir=tmp_path)
    (cache_file,) = _structure_files(tmp_path)
    cache_file.write_bytes(cache_file.read_bytes()[:200])

    rebuilt = SkillLinker(tiny_taxonomy, HashingEncoder(), cache_dir=tmp_path)
    assert rebuilt.store.computed == ["structures"]
    assert rebuilt._surfaces == expected._surfaces
    assert SkillLinker(tiny_taxonomy, HashingEncoder(), cache_dir=tmp_path).store.computed == []


def test_tampered_structures_fail_their_checksum(
    tmp_path: Path, tiny_taxonomy: list[SkillRecord]
) -> None:
    SkillLinker(tiny_taxonomy, HashingEncoder(), cache_dir=tmp_path)
    (cache_file,) = _structure_files(tmp_path)
    with np.load(cache_file) as data:
        contents = {name: data[name] for name in data.files}
    contents["bm25_data"] = contents["bm25_data"] * 2
    np.savez(cache_file, **contents)
    assert SkillLinker(tiny_taxonomy, HashingEncoder(), cache_dir=tmp_path).store.computed == [
        "structures"
    ]


def test_array_cache_rebuilds_what_the_caller_rejects(tmp_path: Path) -> None:
    key = CacheKey("-", "tax-v1", "s1", "index")
    builds: list[int] = []

    def build() -> dict[str, np.ndarray]:
        builds.append(1)
        return {"counts": np.arange(4), "weights": np.ones((2, 3), np.float32)}

    first = VectorStore(HashingEncoder(), tmp_path).arrays(key, build)
    second = VectorStore(HashingEncoder(), tmp_path).arrays(key, build)
    assert len(builds) == 1
    assert second.keys() == first.keys()
    np.testing.assert_array_equal(second["weights"], first["weights"])

    store = VectorStore(HashingEncoder(), tmp_path)
    store.arrays(key, build, validate=lambda arrays: len(arrays["counts"]) == 5)
    assert len(builds) == 2 and store.computed == ["index"]
    with pytest.raises(ValueError, match="reserved"):
        VectorStore(HashingEncoder(), tmp_path).arrays(
            CacheKey("-", "tax-v2", "s1", "index"), lambda: {"key": np.zeros(1)}
        )


def test_packed_strings_round_trip() -> None:
    strings = ["TIG welding", "", "Schweißen", "5S • kaizen", "日本語", ""]
    assert unpack_strings(*pack_strings(strings)) == strings
    assert unpack_strings(*pack_strings([])) == []
    blob, lengths = pack_strings(["ab", "c"])
    with pytest.raises(ValueError, match="do not match"):
        unpack_strings(blob, lengths + 1)


def test_old_structure_caches_are_pruned(tmp_path: Path, tiny_taxonomy: list[SkillRecord]) -> None:
    for extra in range(KEEP_FILES + 2):
        grown = [*tiny_taxonomy, SkillRecord(f"urn:test:extra-{extra}", f"weld part {extra}")]
        SkillLinker(grown, HashingEncoder(), cache_dir=tmp_path)
    assert len(_structure_files(tmp_path)) == KEEP_FILES
    assert len(list(tmp_path.glob("label-*.npz"))) == KEEP_FILES
