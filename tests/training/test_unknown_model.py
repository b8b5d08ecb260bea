"""An unknown model id is answered with the models the lake knows, never with a file path inside the lake."""
from __future__ import annotations

import pytest
import torch

from cli import main as cli_main
from ringrift_lake.encoding import ENCODER_VERSION, encoder_for
from training import checkpoint
from training.model import architecture_for, build_model
from training.train import register


def _registered_model(lake) -> str:
    torch.manual_seed(0)
    enc = encoder_for("square8")
    model = build_model(architecture_for("square8", 2, enc.planes_chw, enc.global_size, enc.action_space.size,
                                         enc.action_space.n_planes, channels=8, blocks=1))
    saved = checkpoint.save(lake, model, config="square8_2p", encoder_version=ENCODER_VERSION, dataset_id=None)
    register(lake, saved, "square8_2p", None, None, {})
    return saved.model_id


def test_loading_an_unknown_model_id_lists_the_known_ones(local_lake):
    with pytest.raises(checkpoint.UnknownModelError, match=r"^no model 'nope' in the lake; known models: none yet$"):
        checkpoint.load(local_lake, "nope")
    known = _registered_model(local_lake)
    with pytest.raises(LookupError) as info:
        checkpoint.read_meta(local_lake, "square8_2p-nope")
    assert str(info.value) == f"no model 'square8_2p-nope' for square8_2p; known models: {known}"
    assert local_lake.root not in str(info.value)
    assert checkpoint.read_meta(local_lake, known)["model_id"] == known
    with pytest.raises(checkpoint.CheckpointError, match="cannot read checkpoint metadata"):   # a path stays a path
        checkpoint.read_meta(local_lake, local_lake.uri("models", "square8_2p", "gone.safetensors"))


def test_evaluate_with_an_unknown_model_says_so_and_lists_the_known_ones(local_lake, capsys):
    known = _registered_model(local_lake)
    assert cli_main(["evaluate", "--config", "square8_2p", "--model", "nope", "--games", "2"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"error: no model 'nope' for square8_2p; known models: {known}"
    assert local_lake.root not in err
