"""Model shapes, checkpoint round trip and refusals, and the 2p -> 3p/4p transfer."""
from __future__ import annotations

import json

import pytest
import torch

from ringrift_lake.location import Lake
from training import checkpoint
from training.checkpoint import CheckpointError
from training.model import architecture_for, build_model
from training.transfer import init_from


def small_model(num_players=2, board="square8", seed=0, spatial_planes=3):
    torch.manual_seed(seed)
    return build_model(architecture_for(board, num_players, (6, 8, 8), 5, 200, spatial_planes, channels=16, blocks=2))


def inputs(batch=3):
    gen = torch.Generator().manual_seed(1)
    return torch.rand(batch, 6, 8, 8, generator=gen), torch.rand(batch, 5, generator=gen)


@pytest.mark.parametrize("num_players,spatial_planes", [(2, 3), (3, 0), (4, 3)])
def test_outputs_have_the_policy_size_and_zero_values_beyond_the_seats(num_players, spatial_planes):
    model = small_model(num_players, spatial_planes=spatial_planes).eval()
    logits, values = model(*inputs())
    assert logits.shape == (3, 200) and values.shape == (3, 4)
    assert (values[:, num_players:] == 0).all()
    assert (values[:, :num_players].abs() < 1).all() and (values[:, :num_players] != 0).any()


def test_large_boards_get_a_hidden_layer_in_the_flat_policy_head():
    arch = architecture_for("square19", 2, (30, 19, 19), 20, 67_000)
    assert arch["policy_hidden"] > 0
    assert architecture_for("square8", 2, (30, 8, 8), 20, 7000)["policy_hidden"] == 0


def test_round_trip_gives_the_same_outputs(tmp_path):
    lake = Lake.at(str(tmp_path / "lake"))
    model = small_model().eval()
    saved = checkpoint.save(lake, model, config="square8_2p", encoder_version="enc-1", dataset_id="ds-1",
                            metrics={"val_loss": 1.5})
    assert saved.weights_uri == f"{lake.root}/models/square8_2p/{saved.model_id}.safetensors"
    loaded = checkpoint.load(lake, saved.model_id, expect_board="square8", expect_encoder_version="enc-1")
    assert loaded.meta["dataset_id"] == "ds-1" and loaded.meta["metrics"] == {"val_loss": 1.5}
    assert loaded.meta["weights_sha256"] == saved.sha256
    for a, b in zip(model(*inputs()), loaded.model(*inputs())):
        torch.testing.assert_close(a, b)
    assert checkpoint.load(lake, saved.weights_uri).meta["model_id"] == saved.model_id


def test_tampered_weights_are_refused(tmp_path):
    lake = Lake.at(str(tmp_path / "lake"))
    saved = checkpoint.save(lake, small_model(), config="square8_2p", encoder_version="enc-1", dataset_id=None)
    data = bytearray(open(saved.weights_uri, "rb").read())
    data[-1] ^= 0x01
    open(saved.weights_uri, "wb").write(bytes(data))
    with pytest.raises(CheckpointError, match="sha256"):
        checkpoint.load(lake, saved.model_id)


def test_mismatched_checkpoints_are_refused_with_the_reason(tmp_path):
    lake = Lake.at(str(tmp_path / "lake"))
    saved = checkpoint.save(lake, small_model(), config="square8_2p", encoder_version="enc-1", dataset_id=None)
    with pytest.raises(CheckpointError, match="encoder version is 'enc-1', expected 'enc-2'"):
        checkpoint.load(lake, saved.model_id, expect_encoder_version="enc-2")
    with pytest.raises(CheckpointError, match="board is 'square8', expected 'hex8'"):
        checkpoint.load(lake, saved.model_id, expect_board="hex8")
    with pytest.raises(CheckpointError, match="architecture differs"):
        checkpoint.load(lake, saved.model_id, expect_architecture={"policy_size": 300})
    # metadata that claims another architecture than the weights hold (sha still right): refused, not half-loaded
    meta_path = saved.meta_uri
    meta = json.load(open(meta_path))
    meta["architecture"]["channels"] = 32
    json.dump(meta, open(meta_path, "w"))
    with pytest.raises(CheckpointError, match="do not fit the architecture"):
        checkpoint.load(lake, saved.model_id)


def test_missing_checkpoint_is_a_clear_error(tmp_path):
    with pytest.raises(checkpoint.UnknownModelError, match="no model 'square8_2p-20260101T000000-deadbeef' for "
                                                           "square8_2p; known models: none yet"):
        checkpoint.load(Lake.at(str(tmp_path)), "square8_2p-20260101T000000-deadbeef")


def test_transfer_2p_to_4p_keeps_trunk_and_policy_and_resizes_the_value_head():
    source = small_model(2).eval()
    meta = {"model_id": "m2", "board_type": "square8", "encoder_version": "enc-1"}
    target = init_from(source, meta, "square8", 4, "enc-1", seed=3).eval()
    assert target.arch["num_players"] == 4 and target.value_out.weight.shape[0] == 4
    x, g = inputs()
    torch.testing.assert_close(source(x, g)[0], target(x, g)[0])                    # same policy
    torch.testing.assert_close(source(x, g)[1][:, :2], target(x, g)[1][:, :2])      # old seats unchanged
    new_rows = target.value_out.weight[2:]
    assert not torch.equal(new_rows[0], new_rows[1])                                # symmetry broken
    assert (new_rows - source.value_out.weight.mean(0)).abs().max() < source.value_out.weight.std()


def test_transfer_across_boards_or_encoders_is_refused():
    meta = {"model_id": "m2", "board_type": "square8", "encoder_version": "enc-1"}
    with pytest.raises(ValueError, match="board square8, not hex8"):
        init_from(small_model(2), meta, "hex8", 3, "enc-1")
    with pytest.raises(ValueError, match="encoder enc-1"):
        init_from(small_model(2), meta, "square8", 3, "enc-2")


def test_a_model_id_is_found_through_its_models_row(local_lake):
    from ringrift_lake import tables

    saved = checkpoint.save(local_lake, small_model(), config="square8_2p", encoder_version="enc-1", dataset_id=None,
                            model_id="my-experiment", weights_uri=local_lake.uri("elsewhere", "exp.safetensors"))
    with pytest.raises(CheckpointError, match="no model 'my-experiment' in the lake"):   # no row: unknown
        checkpoint.load(local_lake, "my-experiment")
    tables.append(local_lake, "models", [{"model_id": "my-experiment", "config": "square8_2p", "status": "candidate",
                                          "checkpoint_uri": saved.weights_uri, "sha256": saved.sha256}])
    assert checkpoint.load(local_lake, "my-experiment").meta["model_id"] == "my-experiment"
