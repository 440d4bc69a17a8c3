"""MiniLM's forward pass in plain numpy (``NumpyBertEncoder``), and the model folder's facts.

Importing torch and transformers costs seconds per process, more than the whole forward pass of a
few sentences, and on a small CPU the numpy forward pass is as fast; ``TransformerEncoder``
(matching/encoder.py, torch) computes the same vectors within float tolerance.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from matching.pooling import mean_pool, normalise_rows, pool_spans

_Result = TypeVar("_Result")
_blas_lock = threading.Lock()


@contextmanager
def _single_threaded_blas() -> Iterator[None]:
    """Limit BLAS to one thread for the duration (process-wide, so callers are serialised)."""
    from threadpoolctl import threadpool_limits

    with _blas_lock, threadpool_limits(limits=1, user_api="blas"):
        yield


# Rational approximation of erf on [-4, 4] in float32 (the one Eigen and XLA use); absolute error
# below 5e-7, i.e. float32 rounding, and about three times faster than scipy.special.erf on float32.
_ERF_NUMERATOR = tuple(
    np.float32(c)
    for c in (
        -2.72614225801306e-10,
        2.77068142495902e-08,
        -2.10102402082508e-06,
        -5.69250639462346e-05,
        -7.34990630326855e-04,
        -2.95459980854025e-03,
        -1.60960333262415e-02,
    )
)
_ERF_DENOMINATOR = tuple(
    np.float32(c)
    for c in (
        -1.45660718464996e-05,
        -2.13374055278905e-04,
        -1.68282697438203e-03,
        -7.37332916720468e-03,
        -1.42647390514189e-02,
    )
)
_GELU_CHUNK = 65536  # elements per pass: the temporaries stay in the CPU cache


def _erf32(values: np.ndarray, out: np.ndarray, squared: np.ndarray, numerator: np.ndarray) -> None:
    """erf of float32 ``values`` into ``out``; ``squared`` and ``numerator`` are scratch space."""
    np.clip(values, -4.0, 4.0, out=out)
    np.multiply(out, out, out=squared)
    np.multiply(squared, _ERF_NUMERATOR[0], out=numerator)
    for coefficient in _ERF_NUMERATOR[1:-1]:
        numerator += coefficient
        numerator *= squared
    numerator += _ERF_NUMERATOR[-1]
    numerator *= out  # times the clipped argument: the numerator is odd
    np.multiply(squared, _ERF_DENOMINATOR[0], out=out)
    for coefficient in _ERF_DENOMINATOR[1:-1]:
        out += coefficient
        out *= squared
    out += _ERF_DENOMINATOR[-1]
    np.divide(numerator, out, out=out)


def _gelu(values: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU in place, as BERT's "gelu" activation, in cache-sized chunks."""
    values = np.ascontiguousarray(values)  # a view below, so the chunks are written in place
    flat = values.reshape(-1)
    size = min(_GELU_CHUNK, flat.size)
    scaled, phi, squared, numerator = (np.empty(size, dtype=np.float32) for _ in range(4))
    for start in range(0, flat.size, _GELU_CHUNK):
        chunk = flat[start : start + _GELU_CHUNK]
        count = chunk.size
        np.multiply(chunk, np.float32(1 / math.sqrt(2)), out=scaled[:count])
        _erf32(scaled[:count], phi[:count], squared[:count], numerator[:count])
        phi[:count] += np.float32(1.0)
        phi[:count] *= np.float32(0.5)
        chunk *= phi[:count]
    return values


def _layer_norm(values: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = values.mean(-1, keepdims=True)
    centred = values - mean
    variance = np.square(centred).mean(-1, keepdims=True)
    centred /= np.sqrt(variance + np.float32(eps))
    centred *= weight
    centred += bias
    return centred


@dataclass(frozen=True)
class _BertLayer:
    """One encoder layer's weights, pre-transposed for ``x @ W`` (query/key/value fused)."""

    qkv_weight: np.ndarray  # (dim, 3 * dim)
    qkv_bias: np.ndarray
    attention_out_weight: np.ndarray  # (dim, dim)
    attention_out_bias: np.ndarray
    attention_norm_weight: np.ndarray
    attention_norm_bias: np.ndarray
    intermediate_weight: np.ndarray  # (dim, intermediate)
    intermediate_bias: np.ndarray
    output_weight: np.ndarray  # (intermediate, dim)
    output_bias: np.ndarray
    output_norm_weight: np.ndarray
    output_norm_bias: np.ndarray


@dataclass(frozen=True)
class _Batch:
    """Texts of similar token length, padded to a common length."""

    indices: list[int]  # positions in the caller's list of texts
    ids: np.ndarray  # (batch, length) int64
    mask: np.ndarray  # (batch, length) float32
    offsets: np.ndarray  # (batch, length, 2) int64


class NumpyBertEncoder:
    """A BERT sentence encoder (mean pooling, L2 norm) computed with numpy alone.

    Needs only ``tokenizers`` and ``safetensors`` (both quick to import) and reads the weights of a
    sentence-transformers model directory. Texts are sorted by token count and grouped into batches
    of at most ``max_batch_tokens`` padded tokens, so little work goes into padding.
    """

    def __init__(
        self,
        tokenizer: Any,
        weights: dict[str, np.ndarray],
        config: dict[str, Any],
        model_id: str,
        max_length: int = 256,
        max_batch_tokens: int = 4096,
        max_batch_size: int = 256,
        workers: int | None = None,
        padding_slack: int = 32,
    ) -> None:
        if config.get("hidden_act", "gelu") != "gelu":
            raise ValueError(f"unsupported activation {config.get('hidden_act')!r}")
        if config.get("position_embedding_type", "absolute") != "absolute":
            raise ValueError("only absolute position embeddings are supported")
        self.model_id = model_id
        self.dimension = int(config["hidden_size"])
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.max_length = min(max_length, int(config.get("max_position_embeddings", 512)))
        self.max_batch_tokens = max_batch_tokens
        self.max_batch_size = max_batch_size
        self.workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
        self.padding_slack = padding_slack
        self.tokenizer = tokenizer
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=self.max_length)

        def weight(name: str) -> np.ndarray:
            try:
                return np.ascontiguousarray(weights[name], dtype=np.float32)
            except KeyError:
                raise ValueError(f"model weights lack {name!r}") from None

        self.word_embeddings = weight("embeddings.word_embeddings.weight")
        self.position_embeddings = weight("embeddings.position_embeddings.weight")
        self.token_type_embedding = weight("embeddings.token_type_embeddings.weight")[0]
        self.embedding_norm = (
            weight("embeddings.LayerNorm.weight"),
            weight("embeddings.LayerNorm.bias"),
        )
        self.layers: list[_BertLayer] = []
        for number in range(int(config["num_hidden_layers"])):
            prefix = f"encoder.layer.{number}."

            def part(name: str, prefix: str = prefix) -> np.ndarray:
                return weight(prefix + name)

            self.layers.append(
                _BertLayer(
                    qkv_weight=np.ascontiguousarray(
                        np.concatenate(
                            [
                                part(f"attention.self.{name}.weight")
                                for name in ("query", "key", "value")
                            ]
                        ).T
                    ),
                    qkv_bias=np.concatenate(
                        [part(f"attention.self.{name}.bias") for name in ("query", "key", "value")]
                    ),
                    attention_out_weight=np.ascontiguousarray(
                        part("attention.output.dense.weight").T
                    ),
                    attention_out_bias=part("attention.output.dense.bias"),
                    attention_norm_weight=part("attention.output.LayerNorm.weight"),
                    attention_norm_bias=part("attention.output.LayerNorm.bias"),
                    intermediate_weight=np.ascontiguousarray(part("intermediate.dense.weight").T),
                    intermediate_bias=part("intermediate.dense.bias"),
                    output_weight=np.ascontiguousarray(part("output.dense.weight").T),
                    output_bias=part("output.dense.bias"),
                    output_norm_weight=part("output.LayerNorm.weight"),
                    output_norm_bias=part("output.LayerNorm.bias"),
                )
            )

    @classmethod
    def from_directory(
        cls, path: str | os.PathLike[str], model_id: str | None = None, **options: Any
    ) -> NumpyBertEncoder:
        """Load tokenizer.json, config.json and model.safetensors from a model directory."""
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        directory = Path(path)
        for required in ("tokenizer.json", "config.json", "model.safetensors"):
            if not (directory / required).is_file():
                raise FileNotFoundError(f"{directory} has no {required}")
        config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
        if config.get("model_type", "bert") != "bert":
            raise ValueError(f"{directory} holds a {config.get('model_type')!r} model, not BERT")
        options.setdefault("max_length", max_seq_length(directory))
        return cls(
            Tokenizer.from_file(str(directory / "tokenizer.json")),
            load_file(str(directory / "model.safetensors")),
            config,
            model_id=model_id or f"{directory.name}:{model_fingerprint(str(directory))}",
            **options,
        )

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Encode texts (batched by token count) as L2-normalised float32 rows."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts, not a single string")
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)

        def pooled(batch: _Batch) -> np.ndarray:
            return mean_pool(self._forward(batch.ids, batch.mask), batch.mask)

        for batch, rows in self._map_batches(self._batches(texts), pooled):
            vectors[batch.indices] = rows
        return normalise_rows(vectors)

    def encode_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Sentence vectors plus, per text, one vector per (start, end) character span."""
        if isinstance(texts, str):
            raise TypeError("encode_spans() takes a sequence of texts, not a single string")
        if len(texts) != len(spans):
            raise ValueError("texts and spans must have the same length")
        dim = self.dimension
        vectors = np.zeros((len(texts), dim), dtype=np.float32)
        span_vectors = [np.zeros((0, dim), np.float32) for _ in texts]

        def pooled(batch: _Batch) -> tuple[np.ndarray, list[np.ndarray | None]]:
            tokens = self._forward(batch.ids, batch.mask)
            per_text = [
                pool_spans(tokens[row], batch.mask[row], batch.offsets[row], spans[index])
                if len(spans[index])
                else None
                for row, index in enumerate(batch.indices)
            ]
            return mean_pool(tokens, batch.mask), per_text

        for batch, (rows, per_text) in self._map_batches(self._batches(texts), pooled):
            vectors[batch.indices] = rows
            for index, span_rows in zip(batch.indices, per_text, strict=True):
                if span_rows is not None:
                    span_vectors[index] = span_rows
        return normalise_rows(vectors), span_vectors

    def _map_batches(
        self, batches: list[_Batch], run: Callable[[_Batch], _Result]
    ) -> Iterator[tuple[_Batch, _Result]]:
        """Run ``run`` on each batch: in ``workers`` threads when there are several batches.

        numpy releases the GIL in matrix products and element-wise loops, so threads use every core
        for all the work, not only for the BLAS part. BLAS itself is held to one thread meanwhile:
        on a small, busy machine its own threads mostly wait on each other.
        """
        if self.workers <= 1 or len(batches) <= 1:
            for batch in batches:
                yield batch, run(batch)
            return
        with _single_threaded_blas(), ThreadPoolExecutor(self.workers) as pool:
            yield from zip(batches, pool.map(run, batches), strict=True)

    def _batches(self, texts: Sequence[str]) -> list[_Batch]:
        for text in texts:
            if not isinstance(text, str):
                raise TypeError(f"expected strings, got {type(text).__name__}")
        encodings = self.tokenizer.encode_batch(list(texts)) if texts else []
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        lengths = [len(encodings[index].ids) for index in order]
        batches = []
        position = 0
        while position < len(order):
            # Sorted by length, so the last member sets the padded length. Grow the batch while it
            # stays within the token budget and the padding it adds stays small: a padded token
            # costs as much as a real one, a further batch only a little Python and BLAS overhead.
            end = position + 1
            while (
                end < len(order)
                and end - position < self.max_batch_size
                and (end - position + 1) * lengths[end] <= self.max_batch_tokens
                and (end - position) * (lengths[end] - lengths[end - 1]) <= self.padding_slack
            ):
                end += 1
            members = order[position:end]
            length = len(encodings[members[-1]].ids)
            ids = np.zeros((len(members), length), dtype=np.int64)
            mask = np.zeros((len(members), length), dtype=np.float32)
            offsets = np.zeros((len(members), length, 2), dtype=np.int64)
            for row, index in enumerate(members):
                encoding = encodings[index]
                count = len(encoding.ids)
                ids[row, :count] = encoding.ids
                mask[row, :count] = 1.0
                offsets[row, :count] = encoding.offsets
            batches.append(_Batch(members, ids, mask, offsets))
            position = end
        return batches

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Last hidden states (batch, length, dim) of BERT for padded token ids."""
        batch, length = ids.shape
        dim, heads = self.dimension, self.heads
        head_dim = dim // heads
        hidden = self.word_embeddings[ids]
        hidden += self.position_embeddings[:length]
        hidden += self.token_type_embedding
        hidden = _layer_norm(hidden.reshape(batch * length, dim), *self.embedding_norm, self.eps)
        # Padding keys get a large negative score, as in transformers' extended attention mask.
        key_bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :].astype(np.float32)
        scale = np.float32(1.0 / math.sqrt(head_dim))
        for layer in self.layers:
            qkv = hidden @ layer.qkv_weight
            qkv += layer.qkv_bias
            qkv = qkv.reshape(batch, length, 3, heads, head_dim).transpose(2, 0, 3, 1, 4)
            query, key, value = qkv[0] * scale, qkv[1], qkv[2]
            scores = query @ key.transpose(0, 1, 3, 2)  # (batch, heads, length, length)
            scores += key_bias
            scores -= scores.max(-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ value).transpose(0, 2, 1, 3).reshape(batch * length, dim)
            attended = context @ layer.attention_out_weight
            attended += layer.attention_out_bias
            attended += hidden
            hidden = _layer_norm(
                attended, layer.attention_norm_weight, layer.attention_norm_bias, self.eps
            )
            intermediate = hidden @ layer.intermediate_weight
            intermediate += layer.intermediate_bias
            output = _gelu(intermediate) @ layer.output_weight
            output += layer.output_bias
            output += hidden
            hidden = _layer_norm(output, layer.output_norm_weight, layer.output_norm_bias, self.eps)
        return hidden.reshape(batch, length, dim)


def max_seq_length(path: str | os.PathLike[str], default: int = 256) -> int:
    """sentence-transformers' max_seq_length for a model directory (its truncation length)."""
    config_path = Path(path) / "sentence_bert_config.json"
    if config_path.exists():
        return int(
            json.loads(config_path.read_text(encoding="utf-8")).get("max_seq_length", default)
        )
    return default


def model_fingerprint(path: str) -> str:
    """A short hash of the model's file names and sizes, so a changed model invalidates caches."""
    digest = hashlib.sha256()
    for root, _dirs, files in sorted(os.walk(path)):
        for name in sorted(files):
            full = os.path.join(root, name)
            digest.update(f"{os.path.relpath(full, path)}:{os.path.getsize(full)}".encode())
    return digest.hexdigest()[:12]
