"""The numpy BERT encoder: checked against a naive reference on a tiny random model, and against
the torch path on the real MiniLM (``model`` marker)."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

from matching.numpy_bert import NumpyBertEncoder, _erf32, _gelu

PROJECT_ROOT = Path(__file__).resolve().parents[3]
WORDS = ["weld", "##ing", "tig", "mig", "read", "drawing", "##s", "operate", "cnc", "lathe"]
WORDS += ["forklift", "drive", "safely", "and", "the"]
CONFIG = {
    "hidden_size": 8,
    "num_attention_heads": 2,
    "num_hidden_layers": 2,
    "intermediate_size": 16,
    "max_position_embeddings": 32,
    "layer_norm_eps": 1e-12,
    "hidden_act": "gelu",
    "model_type": "bert",
}


def tiny_tokenizer() -> Tokenizer:
    vocab = {token: index for index, token in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]"])}
    for word in WORDS:
        vocab.setdefault(word, len(vocab))
    tokenizer = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    return tokenizer


def tiny_weights(seed: int = 7) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    dim, inner = CONFIG["hidden_size"], CONFIG["intermediate_size"]
    vocab_size = tiny_tokenizer().get_vocab_size()

    def random(*shape: int) -> np.ndarray:
        return rng.normal(0.0, 0.5, shape).astype(np.float32)

    weights = {
        "embeddings.word_embeddings.weight": random(vocab_size, dim),
        "embeddings.position_embeddings.weight": random(CONFIG["max_position_embeddings"], dim),
        "embeddings.token_type_embeddings.weight": random(2, dim),
        "embeddings.LayerNorm.weight": 1 + random(dim),
        "embeddings.LayerNorm.bias": random(dim),
    }
    for layer in range(CONFIG["num_hidden_layers"]):
        prefix = f"encoder.layer.{layer}."
        for name in ("query", "key", "value"):
            weights[f"{prefix}attention.self.{name}.weight"] = random(dim, dim)
            weights[f"{prefix}attention.self.{name}.bias"] = random(dim)
        weights[f"{prefix}attention.output.dense.weight"] = random(dim, dim)
        weights[f"{prefix}attention.output.dense.bias"] = random(dim)
        weights[f"{prefix}attention.output.LayerNorm.weight"] = 1 + random(dim)
        weights[f"{prefix}attention.output.LayerNorm.bias"] = random(dim)
        weights[f"{prefix}intermediate.dense.weight"] = random(inner, dim)
        weights[f"{prefix}intermediate.dense.bias"] = random(inner)
        weights[f"{prefix}output.dense.weight"] = random(dim, inner)
        weights[f"{prefix}output.dense.bias"] = random(dim)
        weights[f"{prefix}output.LayerNorm.weight"] = 1 + random(dim)
        weights[f"{prefix}output.LayerNorm.bias"] = random(dim)
    return weights


def tiny_encoder(**options: object) -> NumpyBertEncoder:
    return NumpyBertEncoder(tiny_tokenizer(), tiny_weights(), CONFIG, "tiny-bert", **options)  # type: ignore[arg-type]


def reference_token_states(weights: dict[str, np.ndarray], ids: list[int]) -> np.ndarray:
    """BERT written out plainly in float64, one head at a time: the independent reference."""
    w = {name: value.astype(np.float64) for name, value in weights.items()}
    heads = CONFIG["num_attention_heads"]
    head_dim = CONFIG["hidden_size"] // heads

    def norm(x: np.ndarray, prefix: str) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        std = np.sqrt(((x - mean) ** 2).mean(-1, keepdims=True) + 1e-12)
        return (x - mean) / std * w[prefix + ".weight"] + w[prefix + ".bias"]

    def dense(x: np.ndarray, prefix: str) -> np.ndarray:
        return x @ w[prefix + ".weight"].T + w[prefix + ".bias"]

    x = (
        w["embeddings.word_embeddings.weight"][ids]
        + w["embeddings.position_embeddings.weight"][: len(ids)]
        + w["embeddings.token_type_embeddings.weight"][0]
    )
    x = norm(x, "embeddings.LayerNorm")
    for layer in range(CONFIG["num_hidden_layers"]):
        p = f"encoder.layer.{layer}."
        q, k, v = (dense(x, f"{p}attention.self.{name}") for name in ("query", "key", "value"))
        context = []
        for h in range(heads):
            part = slice(h * head_dim, (h + 1) * head_dim)
            scores = q[:, part] @ k[:, part].T / math.sqrt(head_dim)
            attention = np.exp(scores - scores.max(1, keepdims=True))
            attention /= attention.sum(1, keepdims=True)
            context.append(attention @ v[:, part])
        x = norm(
            x + dense(np.hstack(context), f"{p}attention.output.dense"),
            f"{p}attention.output.LayerNorm",
        )
        inner = dense(x, f"{p}intermediate.dense")
        inner = inner * 0.5 * (1 + np.vectorize(math.erf)(inner / math.sqrt(2)))
        x = norm(x + dense(inner, f"{p}output.dense"), f"{p}output.LayerNorm")
    return x


def reference_vector(text: str) -> np.ndarray:
    ids = tiny_tokenizer().encode(text).ids
    pooled = reference_token_states(tiny_weights(), ids).mean(0)
    return pooled / np.linalg.norm(pooled)


TEXTS = [
    "TIG welding",
    "read drawings and operate the CNC lathe safely",
    "drive forklift",
    "MIG welding and TIG welding",
    "lathe",
]


def test_matches_a_plain_reference_implementation() -> None:
    vectors = tiny_encoder().encode(TEXTS)
    assert vectors.shape == (len(TEXTS), CONFIG["hidden_size"])
    assert vectors.dtype == np.float32
    for text, vector in zip(TEXTS, vectors, strict=True):
        np.testing.assert_allclose(vector, reference_vector(text), atol=1e-5)


def test_padding_batching_and_threads_do_not_change_vectors() -> None:
    alone = np.vstack([tiny_encoder().encode([text]) for text in TEXTS])
    # A tiny token budget forces several batches, run in two worker threads.
    many_batches = tiny_encoder(max_batch_tokens=12, workers=2).encode(TEXTS)
    one_batch = tiny_encoder(workers=1).encode(TEXTS)
    np.testing.assert_allclose(many_batches, alone, atol=1e-6)
    np.testing.assert_allclose(one_batch, alone, atol=1e-6)


def test_span_vectors_pool_the_tokens_inside_each_span() -> None:
    encoder = tiny_encoder()
    text = "read drawings and operate the CNC lathe"
    spans = [
        (0, 13),
        (26, 39),
        (5, 8),
        (100, 120),
    ]  # "read drawings", "the CNC lathe", mid-word, none
    vectors, span_vectors = encoder.encode_spans([text, "TIG welding"], [spans, []])
    np.testing.assert_allclose(vectors, encoder.encode([text, "TIG welding"]), atol=1e-6)
    assert span_vectors[1].shape == (0, CONFIG["hidden_size"])

    encoding = tiny_tokenizer().encode(text)
    states = reference_token_states(tiny_weights(), encoding.ids)
    for row, (start, end) in enumerate(spans[:3]):
        inside = [
            position
            for position, (s, e) in enumerate(encoding.offsets)
            if e > s and s < end and e > start
        ]
        expected = states[inside].mean(0)
        np.testing.assert_allclose(
            span_vectors[0][row], expected / np.linalg.norm(expected), atol=1e-5
        )
    np.testing.assert_array_equal(span_vectors[0][3], 0.0)  # a span outside the text


def test_float32_erf_is_accurate_everywhere() -> None:
    values = np.linspace(-10, 10, 200_001).astype(np.float32)
    out, squared, numerator = (np.empty_like(values) for _ in range(3))
    _erf32(values, out, squared, numerator)
    exact = np.array([math.erf(float(value)) for value in values])
    assert np.abs(out - exact).max() < 1e-6
    exact_gelu = [value * 0.5 * (1 + math.erf(value / math.sqrt(2))) for value in values.tolist()]
    np.testing.assert_allclose(_gelu(values.copy()), exact_gelu, atol=5e-6)


def test_bad_input_is_refused(tmp_path: Path) -> None:
    encoder = tiny_encoder()
    with pytest.raises(TypeError):
        encoder.encode("TIG welding")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        encoder.encode(["TIG welding", 3])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="same length"):
        encoder.encode_spans(["TIG welding"], [])
    assert encoder.encode([]).shape == (0, CONFIG["hidden_size"])
    broken = tiny_weights()
    del broken["encoder.layer.1.output.dense.bias"]
    with pytest.raises(ValueError, match=r"output\.dense\.bias"):
        NumpyBertEncoder(tiny_tokenizer(), broken, CONFIG, "broken")
    with pytest.raises(FileNotFoundError, match=r"tokenizer\.json"):
        NumpyBertEncoder.from_directory(tmp_path)


def test_importing_the_linker_does_not_import_torch() -> None:
    code = (
        "import sys; import matching.linker, matching.encoder; "
        "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT
    ).stdout
    assert output.strip() == "[]"


REALISTIC = [
    "TIG welding",
    "Need TIG/MIG welders who can read engineering drawings and keep 5S on the shop floor.",
    "5 years on CNC lathe (Fanuc), some VMC; knows GD&T, vernier caliper and micrometer",
    "javascript reactjs java",
    "Forklift operator — must inspect quality of parts and maintain records in SAP.",
]


@pytest.mark.model
def test_numpy_minilm_matches_the_torch_model() -> None:
    from matching.encoder import load_minilm
    from matching.text import candidate_phrases

    fast = load_minilm()
    reference = load_minilm(backend="torch")
    assert isinstance(fast, NumpyBertEncoder)
    assert fast.model_id == reference.model_id  # so cached vectors serve both
    np.testing.assert_allclose(fast.encode(REALISTIC), reference.encode(REALISTIC), atol=1e-5)

    spans = [candidate_phrases(text, 3) for text in REALISTIC]
    fast_vectors, fast_spans = fast.encode_spans(REALISTIC, spans)
    reference_vectors, reference_spans = reference.encode_spans(REALISTIC, spans)
    np.testing.assert_allclose(fast_vectors, reference_vectors, atol=1e-5)
    for mine, theirs in zip(fast_spans, reference_spans, strict=True):
        np.testing.assert_allclose(mine, theirs, atol=1e-5)


@pytest.mark.model
def test_loading_minilm_does_not_import_torch() -> None:
    code = (
        "import sys; from matching.encoder import load_minilm; "
        "vectors = load_minilm().encode(['TIG welding']); "
        "print(vectors.shape, 'torch' in sys.modules, 'transformers' in sys.modules)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT
    )
    assert output.stdout.strip() == "(1, 384) False False"
    assert output.stderr == ""
