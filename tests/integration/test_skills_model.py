"""`flask skills prepare-model`: the app's MODEL_CACHE_DIR is where the exported MiniLM is kept,
with the ESCO adapter (linking) and without it (skill closeness)."""

from __future__ import annotations

import os
import shutil

import pytest

from app.skills import linking
from matching.adapter import ADAPTER_FILE
from matching.encoder import default_model_cache, minilm_path
from matching.onnx_bert import ONNX_FILE, export_key


@pytest.mark.model
def test_prepare_model_loads_the_export_from_the_configured_folder(app, tmp_path, monkeypatch):
    from app.skills.cli import skills

    # Hard-link the exports the tests share into a new folder: proves which folder is read without
    # paying for a second export.
    from matching.encoder import load_minilm

    folders = []
    for adapter in (ADAPTER_FILE, None):
        key = export_key(minilm_path(), adapter)
        shared = default_model_cache() / key / ONNX_FILE
        if not shared.is_file():
            load_minilm(adapter=adapter)
        folder = tmp_path / "models" / key
        folder.mkdir(parents=True)
        for part in shared.parent.glob(f"{ONNX_FILE}*"):  # the graph and its weights
            try:
                os.link(part, folder / part.name)
            except OSError:
                shutil.copyfile(part, folder / part.name)
        folders.append(folder)
    monkeypatch.setitem(app.config, "MODEL_CACHE_DIR", str(tmp_path / "models"))
    monkeypatch.setattr(linking, "_encoders", {})

    result = app.test_cli_runner().invoke(skills, ["prepare-model"])

    assert result.exit_code == 0, result.output
    for folder in folders:
        assert f"from {folder / ONNX_FILE}" in result.output
    assert "+esco-" in result.output.splitlines()[0]
    assert linking.encoder_named("minilm").encode(["TIG welding"]).shape == (1, 384)
