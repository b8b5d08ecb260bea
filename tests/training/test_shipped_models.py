"""Shipped models: `ringrift-lake models import FILE` registers a checkpoint file, a fresh lake starts from
the shipped champion, and a checkpoint path is a player (`gumbel4:model:<file>`)."""
from __future__ import annotations

import json
import shutil

import torch

from cli import main as cli
from ringrift_lake import tables
from ringrift_lake.encoding import ENCODER_VERSION, encoder_for
from ringrift_lake.location import Lake
from ringrift_lake.promotion import current_champion
from training import checkpoint
from training.model import architecture_for, build_model
from training.play import run_match, run_selfplay


def shipped_file(tmp_path) -> str:
    """A small checkpoint written outside any lake, as models/ holds them (with lineage in the JSON)."""
    torch.manual_seed(0)
    enc = encoder_for("square8")
    model = build_model(architecture_for("square8", 2, enc.planes_chw, enc.global_size, enc.action_space.size,
                                         enc.action_space.n_planes, channels=8, blocks=1))
    source = Lake.at(str(tmp_path / "origin"))
    saved = checkpoint.save(source, model, config="square8_2p", encoder_version=ENCODER_VERSION, dataset_id=None,
                            model_id="square8_2p-shipped-test")
    folder = tmp_path / "models"
    folder.mkdir()
    for suffix in (".safetensors", ".json"):
        shutil.copy(saved.weights_uri[: -len(".safetensors")] + suffix, folder / f"square8_2p-champion{suffix}")
    meta_path = folder / "square8_2p-champion.json"
    meta = json.loads(meta_path.read_text())
    meta["shipped"] = {"generation": 5, "elo": {"gumbel64": 1234.0}}
    meta_path.write_text(json.dumps(meta))
    return str(folder / "square8_2p-champion.safetensors")


def test_models_import_registers_the_file_and_a_path_is_a_player(local_lake, tmp_path, capsys):
    path = shipped_file(tmp_path)
    assert cli(["models", "import", path]) == 0
    [row] = tables.read(local_lake, "models").to_pylist()
    assert row["model_id"] == "square8_2p-shipped-test" and row["status"] == "candidate" and row["generation"] == 5
    assert checkpoint.load(local_lake, row["model_id"]).meta["model_id"] == row["model_id"]   # verified copy
    assert cli(["models", "import", path]) == 0 and tables.read(local_lake, "models").num_rows == 1   # idempotent
    report = run_match(local_lake, "square8_2p", [f"gumbel4:model:{path}", "random"], games=2, seed=1, workers=0,
                       progress=False)
    assert report.players[0] == "gumbel4:model:square8_2p-shipped-test" and report.games == 2


def test_a_fresh_lake_starts_from_the_shipped_champion(local_lake, tmp_path, monkeypatch):
    path = shipped_file(tmp_path)
    monkeypatch.setenv("RINGRIFT_SHIPPED_MODELS", str(tmp_path / "models"))
    report = run_selfplay(local_lake, "square8_2p", 2, player="gumbel4:champion", workers=0, seed=1, progress=False)
    assert report.games_written == 2
    assert current_champion(local_lake, "square8_2p")["model_id"] == "square8_2p-shipped-test"
    seats = {s["player_id"] for r in tables.read(local_lake, "raw_games").to_pylist() for s in r["seats"]}
    assert seats == {"gumbel4:model:square8_2p-shipped-test"} and path


def test_models_export_writes_the_champion_with_its_lineage_and_a_fresh_lake_imports_it(local_lake, tmp_path):
    path = shipped_file(tmp_path)
    assert cli(["models", "import", path, "--champion"]) == 0
    out = tmp_path / "ship"
    assert cli(["models", "export", "--config", "square8_2p", "--out", str(out)]) == 0
    meta = json.loads((out / "square8_2p-champion.json").read_text())
    assert meta["model_id"] == "square8_2p-shipped-test" and meta["shipped"]["generation"] == 5
    assert meta["shipped"]["lineage"] == [{"model_id": "square8_2p-shipped-test", "generation": 5}]
    assert meta["shipped"]["exported_from"] == local_lake.root
    fresh = Lake.at(str(tmp_path / "fresh"))
    from training.shipped import import_checkpoint

    row = import_checkpoint(fresh, str(out / "square8_2p-champion.safetensors"), champion=True)
    assert row["status"] == "champion" and row["generation"] == 5
    original = checkpoint.load(local_lake, "square8_2p-shipped-test").model.state_dict()
    shipped = checkpoint.load(fresh, row["model_id"]).model.state_dict()
    assert all(torch.equal(original[k], shipped[k]) for k in original)
