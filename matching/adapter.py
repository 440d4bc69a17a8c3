"""The ESCO adapter of the packaged MiniLM: its bias and layer-norm parameters, re-fitted on ESCO.

all-MiniLM-L6-v2 was trained on general sentence pairs; a job-ad sentence and the ESCO skill it
names are not among them. ``bench/fit_adapter.py`` re-fits only the model's biases and layer-norm
scales (BitFit: 31,104 of its 22.7 million numbers, 120 KiB) so that ESCO's alternative labels,
its definitions, sentences built from its names and the labelled job-ad sentences of the
validation splits land next to the skill's preferred label; every other weight stays the
packaged one. The benchmark scores each split with an adapter fitted without that split's
sentences (bench/data), so its figures stay held out.

The adapter is part of the model: the one-time ONNX export bakes it into the graph (a serving
process never reads it again), the torch reference loads it after the weights, and its
fingerprint is part of the model id, so vectors cached without it (or with another) are never
mixed with its own.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import numpy as np

ADAPTER_FILE = Path(__file__).resolve().parent / "data" / "minilm_esco_adapter.npz"


def is_adapted_parameter(name: str) -> bool:
    """The parameters the adapter re-fits: every bias and layer-norm scale (BitFit)."""
    return name.endswith(".bias") or ".LayerNorm." in name


def adapter_fingerprint(path: str | os.PathLike[str]) -> str:
    """A short hash of the adapter file's bytes (its values, unlike a model folder's sizes)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def adapted_parameters(path: str | os.PathLike[str]) -> dict[str, np.ndarray]:
    """The adapter's parameter values by the model's parameter names."""
    with np.load(path) as stored:
        return {name: stored[name] for name in stored.files}


def apply_adapter(model: Any, path: str | os.PathLike[str]) -> None:
    """Set the adapter's parameters in a loaded transformers model (in place).

    A name the model lacks or a shape it does not have is refused: an adapter fitted for another
    model must not load half-way.
    """
    values = adapted_parameters(path)
    parameters = dict(model.named_parameters())
    unknown = sorted(set(values) - set(parameters))
    if unknown:
        raise ValueError(f"{path} sets parameters the model lacks: {', '.join(unknown[:3])}")
    for name, value in values.items():
        parameter = parameters[name]
        if tuple(parameter.shape) != value.shape:
            raise ValueError(
                f"{path}: {name} has shape {value.shape}, the model's {tuple(parameter.shape)}"
            )
        parameter.data.copy_(parameter.data.new_tensor(value))
