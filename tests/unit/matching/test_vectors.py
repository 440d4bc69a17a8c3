"""The taxonomy vector cache: persisted, reused, and recomputed when it cannot be trusted."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from matching.encoder import HashingEncoder
from matching.linker import SkillLinker
from matching.taxonomy import SkillRecord
from matching.vectors import CacheKey, VectorStore

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


def test_changed_key_or_texts_recompute(tmp_path: Path) -> None:
    encoder = HashingEncoder()
    VectorStore(encoder, tmp_path).vectors(KEY, TEXTS)
    other_taxonomy = CacheKey("hashing", "tax-v2", "r1", "label")
    VectorStore(encoder, tmp_path).vectors(other_taxonomy, TEXTS)
    assert encoder.calls == 2
    VectorStore(encoder, tmp_path).vectors(KEY, [*TEXTS, "weld pipes"])
    assert encoder.calls == 3


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
