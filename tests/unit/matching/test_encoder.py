"""The onnxruntime encoder: the real export of a tiny random BERT checked against a plain float64
reference, and the packaged MiniLM against the torch path (``model`` marker)."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import save_file
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

from matching import onnx_bert
from matching.adapter import is_adapted_parameter
from matching.onnx_bert import OnnxBertEncoder, export_key, exported_model

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


def write_tiny_model(directory: Path) -> Path:
    """The tiny random BERT as a sentence-transformers folder, for the real export to read."""
    directory.mkdir(parents=True, exist_ok=True)
    tiny_tokenizer().save(str(directory / "tokenizer.json"))
    config = {
        **CONFIG,
        "architectures": ["BertModel"],
        "vocab_size": tiny_tokenizer().get_vocab_size(),
        "type_vocab_size": 2,
        "pad_token_id": 0,
    }
    (directory / "config.json").write_text(json.dumps(config), encoding="utf-8")
    (directory / "sentence_bert_config.json").write_text('{"max_seq_length": 24}', "utf-8")
    weights = tiny_weights()
    rng = np.random.default_rng(11)
    dim = CONFIG["hidden_size"]
    weights["pooler.dense.weight"] = rng.normal(0, 0.5, (dim, dim)).astype(np.float32)
    weights["pooler.dense.bias"] = np.zeros(dim, np.float32)
    save_file(weights, str(directory / "model.safetensors"))
    return directory


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(model folder, export cache folder): the export runs once for the module."""
    root = tmp_path_factory.mktemp("tiny-bert")
    return write_tiny_model(root / "tiny-bert"), root / "cache"


@pytest.fixture(scope="module")
def encoder(tiny_model: tuple[Path, Path]) -> OnnxBertEncoder:
    model_dir, cache = tiny_model
    return OnnxBertEncoder.from_directory(model_dir, cache, model_id="tiny-bert")


def test_matches_a_plain_reference_implementation(encoder: OnnxBertEncoder) -> None:
    vectors = encoder.encode(TEXTS)
    assert vectors.shape == (len(TEXTS), CONFIG["hidden_size"])
    assert vectors.dtype == np.float32
    for text, vector in zip(TEXTS, vectors, strict=True):
        np.testing.assert_allclose(vector, reference_vector(text), atol=1e-5)


def test_padding_and_batching_do_not_change_vectors(
    encoder: OnnxBertEncoder, tiny_model: tuple[Path, Path]
) -> None:
    model_dir, cache = tiny_model
    alone = np.vstack([encoder.encode([text]) for text in TEXTS])
    # A tiny token budget forces several batches, run side by side in two threads; no slack puts
    # every length in its own batch, run one after another.
    onnx_file = exported_model(model_dir, cache)
    tokenizer_file = model_dir / "tokenizer.json"
    many = OnnxBertEncoder.from_files(
        onnx_file, tokenizer_file, model_id="x", max_batch_tokens=12, workers=2
    )
    strict = OnnxBertEncoder.from_files(
        onnx_file, tokenizer_file, model_id="x", padding_slack=0, workers=1, threads=1
    )
    assert len(many._batches(TEXTS)) > 2
    np.testing.assert_allclose(many.encode(TEXTS), alone, atol=1e-6)
    np.testing.assert_allclose(strict.encode(TEXTS), alone, atol=1e-6)
    np.testing.assert_allclose(encoder.encode(TEXTS), alone, atol=1e-6)


def test_texts_are_truncated_to_the_models_max_seq_length(encoder: OnnxBertEncoder) -> None:
    assert encoder.max_length == 24  # from sentence_bert_config.json
    long_text = " ".join(["weld"] * 60)
    (batch,) = encoder._batches([long_text])
    assert batch.ids.shape == (1, 24)
    np.testing.assert_allclose(
        encoder.encode([long_text]), encoder.encode([" ".join(["weld"] * 22)]), atol=1e-6
    )


def test_the_export_is_cached_by_model_and_library_versions(
    tiny_model: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model_dir, cache = tiny_model
    exported = exported_model(model_dir, cache)
    assert exported.parent.name == export_key(model_dir)
    written = exported.stat().st_mtime_ns
    assert exported_model(model_dir, cache).stat().st_mtime_ns == written  # not exported again

    key = export_key(model_dir)
    for package in ("torch", "transformers", "onnxscript"):
        assert package in key
    monkeypatch.setattr(onnx_bert, "EXPORT_VERSION", onnx_bert.EXPORT_VERSION + 1)
    assert export_key(model_dir) != key
    monkeypatch.undo()
    changed = shutil.copytree(model_dir, tmp_path / "tiny-bert")
    (changed / "config.json").write_text(
        json.dumps({**json.loads((changed / "config.json").read_text()), "note": "changed"})
    )
    assert export_key(changed) != key  # a changed model file gets a new export


def test_an_adapter_is_baked_into_the_export_and_named_in_its_key(
    tiny_model: tuple[Path, Path], tmp_path: Path
) -> None:
    """The ESCO adapter's biases and layer-norm scales replace the model's in the exported graph:
    its vectors are those of the adapted weights (the plain float64 reference), under a key of
    its own, and an adapter fitted for another model is refused rather than half applied."""
    model_dir, cache = tiny_model
    rng = np.random.default_rng(3)
    adapted = {
        name: value + rng.normal(0.0, 0.3, value.shape).astype(np.float32)
        for name, value in tiny_weights().items()
        if is_adapted_parameter(name)
    }
    adapter = tmp_path / "adapter.npz"
    np.savez_compressed(adapter, **adapted)
    encoder = OnnxBertEncoder.from_directory(model_dir, cache, model_id="tiny+a", adapter=adapter)
    weights = {**tiny_weights(), **adapted}
    for text, vector in zip(TEXTS, encoder.encode(TEXTS), strict=True):
        pooled = reference_token_states(weights, tiny_tokenizer().encode(text).ids).mean(0)
        np.testing.assert_allclose(vector, pooled / np.linalg.norm(pooled), atol=1e-5)
        assert not np.allclose(vector, reference_vector(text), atol=1e-3)
    assert export_key(model_dir, adapter) != export_key(model_dir)
    other = tmp_path / "other.npz"
    np.savez_compressed(other, **{**adapted, "embeddings.LayerNorm.bias": np.zeros(8, np.float32)})
    assert export_key(model_dir, other) != export_key(model_dir, adapter)

    foreign = tmp_path / "foreign.npz"
    np.savez_compressed(foreign, **{"roberta.embeddings.LayerNorm.bias": np.zeros(8, np.float32)})
    with pytest.raises(RuntimeError, match=r"lacks: roberta\.embeddings\.LayerNorm\.bias"):
        exported_model(model_dir, tmp_path / "cache", foreign)
    wrong_shape = tmp_path / "wrong-shape.npz"
    np.savez_compressed(wrong_shape, **{"embeddings.LayerNorm.bias": np.zeros(3, np.float32)})
    with pytest.raises(RuntimeError, match="has shape"):
        exported_model(model_dir, tmp_path / "cache", wrong_shape)
    assert not list((tmp_path / "cache").rglob("*.onnx"))


def test_a_failed_export_raises_and_leaves_no_graph(
    tiny_model: tuple[Path, Path], tmp_path: Path
) -> None:
    broken = shutil.copytree(tiny_model[0], tmp_path / "broken-bert")
    save_file(
        {"embeddings.word_embeddings.weight": np.zeros((3, 8), np.float32)},
        str(broken / "model.safetensors"),
    )
    with pytest.raises(RuntimeError, match=r"exporting .* to ONNX failed"):
        exported_model(broken, tmp_path / "cache")
    assert not list((tmp_path / "cache").rglob("*.onnx"))


def test_bad_input_is_refused(encoder: OnnxBertEncoder, tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        encoder.encode("TIG welding")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        encoder.encode(["TIG welding", 3])  # type: ignore[list-item]
    assert encoder.encode([]).shape == (0, CONFIG["hidden_size"])
    with pytest.raises(FileNotFoundError, match=r"tokenizer\.json"):
        OnnxBertEncoder.from_directory(tmp_path, tmp_path / "cache")


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
def test_onnx_minilm_matches_the_torch_model() -> None:
    from matching.encoder import load_minilm

    fast = load_minilm()
    reference = load_minilm(backend="torch")
    assert isinstance(fast, OnnxBertEncoder)
    assert fast.model_id == reference.model_id  # so cached vectors serve both
    np.testing.assert_allclose(fast.encode(REALISTIC), reference.encode(REALISTIC), atol=1e-5)


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


@pytest.mark.model
def test_the_esco_adapter_changes_the_vectors_and_the_model_id() -> None:
    """Vectors of the adapted and the plain model must never share a cache entry."""
    from matching.encoder import load_minilm

    adapted, plain = load_minilm(), load_minilm(adapter=None)
    assert adapted.model_id != plain.model_id and "+esco-" in adapted.model_id
    cosines = np.sum(adapted.encode(REALISTIC) * plain.encode(REALISTIC), axis=1)
    assert np.all(cosines > 0.5) and np.all(cosines < 0.999)
