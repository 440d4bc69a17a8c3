"""MiniLM on onnxruntime (``OnnxBertEncoder``): a one-time ONNX export of the packaged weights, then
tokenizers + onnxruntime for every encode, and the model folder's facts.

onnxruntime and tokenizers import in a fraction of a second and start a session in about 0.2 s,
where importing torch and transformers costs seconds per process. torch is needed once, to export
the graph: that runs in a child process (``python -m matching.onnx_bert``), so a serving process
never holds torch, and the file is cached under a folder keyed by the model and the exporting
libraries' versions. The graph returns the last hidden state; sentence vectors are mean-pooled
from it here.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from matching.adapter import adapter_fingerprint, apply_adapter
from matching.pooling import mean_pool, normalise_rows

# Bump when the exported graph changes (inputs, outputs, export options): old files are ignored.
EXPORT_VERSION = 1
ONNX_FILE = "model.onnx"
OPSET = 18
# Texts whose vectors the export is checked against torch on; they pad, so the mask is exercised.
PROBE_TEXTS = ("TIG welding", "read engineering drawings and operate the CNC lathe", "lathe")
PROBE_TOLERANCE = 1e-4  # largest absolute difference of a hidden state from torch's


def default_threads() -> int:
    """Threads for the encoder: the CPUs, at most 4 (beyond that a batch gains little)."""
    return min(os.cpu_count() or 1, 4)


@dataclass(frozen=True)
class _Batch:
    """Texts of similar token length, padded to a common length."""

    indices: list[int]  # positions in the caller's list of texts
    ids: np.ndarray  # (batch, length) int64
    mask: np.ndarray  # (batch, length) int64


class OnnxBertEncoder:
    """A BERT sentence encoder (mean pooling, L2 norm) run by onnxruntime on CPU.

    Texts are sorted by token count and grouped into batches of at most ``max_batch_tokens``
    padded tokens, so little work goes into padding. An onnxruntime session may be run from
    several threads at once, so the encoder needs no lock.
    """

    def __init__(
        self,
        tokenizer: Any,
        session: Any,
        model_id: str,
        max_length: int = 256,
        max_batch_tokens: int = 4096,
        max_batch_size: int = 256,
        padding_slack: int = 32,
        workers: int | None = None,
    ) -> None:
        self.tokenizer = tokenizer
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=max_length)
        self.session = session
        self.model_id = model_id
        self.max_length = max_length
        self.max_batch_tokens = max_batch_tokens
        self.max_batch_size = max_batch_size
        self.padding_slack = padding_slack
        self.workers = workers if workers is not None else default_threads()
        names = [node.name for node in session.get_inputs()]
        if names != ["input_ids", "attention_mask"]:
            raise ValueError(f"unexpected graph inputs {names}: export it again")
        self.dimension = int(session.get_outputs()[0].shape[-1])
        self.onnx_file: Path | None = None  # the graph file, when loaded from one

    @classmethod
    def from_files(
        cls,
        onnx_file: str | os.PathLike[str],
        tokenizer_file: str | os.PathLike[str],
        threads: int | None = None,
        **options: Any,
    ) -> OnnxBertEncoder:
        """An encoder for an exported graph and its tokenizer.json.

        ``threads`` (default: the CPUs, at most 4) work on each batch. They sleep when idle rather
        than spin: on a small machine shared with web requests and the database, spinning threads
        took CPU from the rest and made encoding slower, not faster.
        """
        import onnxruntime
        from tokenizers import Tokenizer

        settings = onnxruntime.SessionOptions()
        settings.log_severity_level = 3  # errors only: keep stderr clean
        settings.intra_op_num_threads = threads or default_threads()
        settings.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = onnxruntime.InferenceSession(
            str(onnx_file), settings, providers=["CPUExecutionProvider"]
        )
        encoder = cls(Tokenizer.from_file(str(tokenizer_file)), session, **options)
        encoder.onnx_file = Path(onnx_file)
        return encoder

    @classmethod
    def from_directory(
        cls,
        path: str | os.PathLike[str],
        cache_dir: str | os.PathLike[str],
        model_id: str | None = None,
        adapter: str | os.PathLike[str] | None = None,
        **options: Any,
    ) -> OnnxBertEncoder:
        """Load a sentence-transformers BERT directory, exporting it to ONNX first if need be
        (with ``adapter``'s parameters set in it, matching/adapter.py)."""
        directory = Path(path)
        for required in ("tokenizer.json", "config.json", "model.safetensors"):
            if not (directory / required).is_file():
                raise FileNotFoundError(f"{directory} has no {required}")
        options.setdefault("max_length", max_seq_length(directory))
        return cls.from_files(
            exported_model(directory, cache_dir, adapter),
            directory / "tokenizer.json",
            model_id=model_id or f"{directory.name}:{model_fingerprint(str(directory))}",
            **options,
        )

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Encode texts (batched by token count) as L2-normalised float32 rows."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts, not a single string")
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)

        def pooled(batch: _Batch) -> np.ndarray:
            return mean_pool(self._forward(batch), batch.mask.astype(np.float32))

        for batch, rows in self._map_batches(self._batches(texts), pooled):
            vectors[batch.indices] = rows
        return normalise_rows(vectors)

    def _map_batches(
        self, batches: list[_Batch], run: Callable[[_Batch], np.ndarray]
    ) -> Iterator[tuple[_Batch, np.ndarray]]:
        """Run ``run`` on each batch: several batches at once in ``workers`` threads.

        onnxruntime releases the GIL while it runs, and whole batches side by side kept 2 cores
        busier than one batch at a time split across them (measured on the ESCO labels and
        validation sentences); each batch's hidden states are pooled in its own thread, so only
        pooled rows are kept.
        """
        if self.workers <= 1 or len(batches) <= 1:
            for batch in batches:
                yield batch, run(batch)
            return
        with ThreadPoolExecutor(self.workers) as pool:
            yield from zip(batches, pool.map(run, batches), strict=True)

    def _forward(self, batch: _Batch) -> np.ndarray:
        """Last hidden states (batch, length, dim) for one padded batch."""
        feed = {"input_ids": batch.ids, "attention_mask": batch.mask}
        return self.session.run(None, feed)[0]

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
            # costs as much as a real one, a further batch only a little overhead.
            end = position + 1
            while (
                end < len(order)
                and end - position < self.max_batch_size
                and (end - position + 1) * lengths[end] <= self.max_batch_tokens
                and (end - position) * (lengths[end] - lengths[end - 1]) <= self.padding_slack
            ):
                end += 1
            members = order[position:end]
            length = lengths[end - 1]
            ids = np.zeros((len(members), length), dtype=np.int64)
            mask = np.zeros((len(members), length), dtype=np.int64)
            for row, index in enumerate(members):
                encoding = encodings[index]
                count = len(encoding.ids)
                ids[row, :count] = encoding.ids
                mask[row, :count] = 1
            batches.append(_Batch(members, ids, mask))
            position = end
        return batches


# --- The one-time export ----------------------------------------------------------------------


def export_key(path: str | os.PathLike[str], adapter: str | os.PathLike[str] | None = None) -> str:
    """The cache folder name of a model's export: the model files, its adapter and the exporting
    libraries.

    Versions are read from package metadata, so working out the key imports none of them.
    """
    versions = "-".join(
        f"{name}{metadata.version(name)}" for name in ("torch", "transformers", "onnxscript")
    )
    adapted = f"-a{adapter_fingerprint(adapter)}" if adapter is not None else ""
    return f"{Path(path).name}-{model_fingerprint(str(path))}{adapted}-{versions}-v{EXPORT_VERSION}"


def exported_model(
    path: str | os.PathLike[str],
    cache_dir: str | os.PathLike[str],
    adapter: str | os.PathLike[str] | None = None,
) -> Path:
    """The ONNX file of the model in ``path`` (with ``adapter`` set in it), exported into
    ``cache_dir`` on first use.

    The export runs in a child process so torch is never imported here; it takes some seconds
    once per model and library versions. A lock file makes processes that start together (web
    workers) wait for one export instead of each running their own; the file is renamed into
    place only once finished and checked, so no process ever reads half a graph.
    """
    target = Path(cache_dir) / export_key(path, adapter) / ONNX_FILE
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / "export.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if target.is_file():  # another process exported it while this one waited
            return target
        environment = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        package_root = str(Path(__file__).resolve().parent.parent)
        environment["PYTHONPATH"] = os.pathsep.join(
            part for part in (package_root, environment.get("PYTHONPATH")) if part
        )
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "matching.onnx_bert",
                str(path),
                str(target),
                *([str(adapter)] if adapter is not None else []),
            ],
            capture_output=True,
            text=True,
            env=environment,
            check=False,
        )
    if done.returncode != 0 or not target.is_file():
        raise RuntimeError(f"exporting {path} to ONNX failed:\n{done.stderr.strip()[-2000:]}")
    return target


def export(
    path: str | os.PathLike[str],
    target: str | os.PathLike[str],
    adapter: str | os.PathLike[str] | None = None,
) -> float:
    """Export the BERT in ``path`` (with ``adapter`` set in it) to ``target`` (last hidden state
    out) and check it against torch.

    Returns the largest absolute difference of the probe texts' hidden states from torch's; an
    export further off than ``PROBE_TOLERANCE`` is refused and nothing is written.
    """
    import warnings

    import torch
    from tokenizers import Tokenizer
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    transformers_logging.set_verbosity_error()
    model = AutoModel.from_pretrained(
        str(path), local_files_only=True, attn_implementation="eager"
    ).eval()
    if adapter is not None:
        apply_adapter(model, adapter)

    class LastHiddenState(torch.nn.Module):
        """BERT with token type 0 everywhere, as sentence-transformers runs it."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.bert(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=torch.zeros_like(input_ids),
            ).last_hidden_state

    tokenizer = Tokenizer.from_file(str(Path(path) / "tokenizer.json"))
    tokenizer.enable_padding()
    encodings = tokenizer.encode_batch(list(PROBE_TEXTS))
    ids = torch.tensor([encoding.ids for encoding in encodings], dtype=torch.int64)
    mask = torch.tensor([encoding.attention_mask for encoding in encodings], dtype=torch.int64)
    batch = torch.export.Dim("batch", max=4096)
    length = torch.export.Dim("length", max=int(model.config.max_position_embeddings))
    wrapper = LastHiddenState().eval()
    target = Path(target)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        written = Path(scratch) / ONNX_FILE
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")  # the exporter's deprecation notes are not ours
            expected = wrapper(ids, mask).numpy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                wrapper,
                (ids, mask),
                str(written),
                input_names=["input_ids", "attention_mask"],
                output_names=["last_hidden_state"],
                dynamic_shapes={
                    "input_ids": {0: batch, 1: length},
                    "attention_mask": {0: batch, 1: length},
                },
                opset_version=OPSET,
                dynamo=True,
                # Weights beside the graph, not inside it: a session loads in half the time.
                external_data=True,
                verbose=False,
            )
        difference = _largest_difference(written, ids.numpy(), mask.numpy(), expected)
        if not difference <= PROBE_TOLERANCE:
            raise RuntimeError(f"the ONNX graph is {difference:.2e} off torch's hidden states")
        # The weights first, the graph last: a graph in place means its weights are there too.
        for part in Path(scratch).iterdir():
            if part != written:
                os.replace(part, target.parent / part.name)
        os.replace(written, target)
    return difference


def _largest_difference(
    onnx_file: Path, ids: np.ndarray, mask: np.ndarray, expected: np.ndarray
) -> float:
    """How far onnxruntime's hidden states are from ``expected``, batched and one text at a time
    (batch size 1 and other lengths than the export's example must work too)."""
    import onnxruntime

    session = onnxruntime.InferenceSession(str(onnx_file), providers=["CPUExecutionProvider"])
    real = mask.astype(bool)
    batched = session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
    largest = float(np.abs(batched - expected)[real].max())
    for row in range(len(ids)):
        count = int(mask[row].sum())
        alone = session.run(
            None,
            {
                "input_ids": ids[row : row + 1, :count],
                "attention_mask": mask[row : row + 1, :count],
            },
        )[0][0]
        largest = max(largest, float(np.abs(alone - expected[row, :count]).max()))
    return largest


# --- Facts of a model folder ------------------------------------------------------------------


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


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m matching.onnx_bert MODEL_DIR TARGET [ADAPTER]``: the export, in its own
    process."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if len(arguments) not in (2, 3):
        print(
            "usage: python -m matching.onnx_bert MODEL_DIR TARGET.onnx [ADAPTER.npz]",
            file=sys.stderr,
        )
        return 2
    difference = export(*arguments)
    print(json.dumps({"exported": arguments[1], "largest_difference": difference}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
