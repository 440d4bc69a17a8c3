"""`flask skills prepare-model`: the app's MODEL_CACHE_DIR is where the exported MiniLM is kept."""

from __future__ import annotations

import os
import shutil

import pytest

from app.skills import linking
from matching.encoder import default_model_cache, minilm_path
from matching.onnx_bert import ONNX_FILE, export_key


@pytest.mark.model
def test_prepare_model_loads_the_export_from_the_configured_folder(app, tmp_path, monkeypatch):
    from app.skills.cli import skills

    # Hard-link the export the tests share into a new folder: proves which folder is read without
    # paying for a second export.
    shared = default_model_cache() / export_key(minilm_path()) / ONNX_FILE
    if not shared.is_file():
        from matching.encoder import load_minilm

        load_minilm()
    folder = tmp_path / "models" / export_key(minilm_path())
    folder.mkdir(parents=True)
    for part in shared.parent.glob(f"{ONNX_FILE}*"):  # the graph and its weights
        try:
            os.link(part, folder / part.name)
        except OSError:
            shutil.copyfile(part, folder / part.name)
    monkeypatch.setitem(app.config, "MODEL_CACHE_DIR", str(tmp_path / "models"))
    monkeypatch.setattr(linking, "_encoders", {})

    result = app.test_cli_runner().invoke(skills, ["prepare-model"])

    assert result.exit_code == 0, result.output
    assert f"from {folder / ONNX_FILE}" in result.output
    assert linking.encoder_named("minilm").encode(["TIG welding"]).shape == (1, 384)
