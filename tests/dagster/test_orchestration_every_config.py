"""Every config through the whole loop in-process (selfplay -> consolidate -> checks -> export -> train
-> gauntlet -> Elo -> promotion), tiny sizes, with lenient promotion gates so each board's 2-player
network becomes champion; its 3- and 4-player configs then start by transfer from it (the candidate
asset picks the source by itself, the model records it as parent).

The default suite runs square8 (2p, then 3p by transfer); `-m slow` runs all 12 configs."""
import json

import dagster as dg
import pyarrow.compute as pc
import pytest

from assets.resources import EvalSettings, LakeResource, SelfplayResource, TrainResource, default_resources
from engine import BOARD_TYPES
from ringrift_lake import tables
from ringrift_lake.lineage import network_champion

CHAIN = {"raw_games", "games", "moves", "quarantine", "training_dataset", "candidate_model", "gauntlet_matches",
         "elo_snapshot", "champion"}


# Gauntlet games stop unfinished at this many moves (an untrained network can shuffle for ever); the Elo fit
# needs some finished games, and big-board games are long (heuristic vs random: ~600 plies on square19,
# ~900 on hexagonal).
MOVE_CAP = {"square8": 200, "hex8": 200, "square19": 2500, "hexagonal": 3000}


def tiny_resources(lake, config: str) -> dict:
    resources = default_resources()
    resources.update(
        lake=LakeResource(root=lake.root),
        selfplay=SelfplayResource(games=3, player="heuristic", workers=0),
        train=TrainResource(epochs=1, batch_size=32, channels=8, blocks=1, max_steps=2, device="cpu",
                            val_fraction=0.34),
        evaluation=EvalSettings(games_per_opponent=1, workers=0, min_games=1,
                                max_moves=MOVE_CAP[config.rsplit("_", 1)[0]],
                                min_rate_vs_random=0.0, min_rate_vs_heuristic=0.0))
    return resources


def model_row(lake, model_id: str) -> dict:
    (row,) = tables.read(lake, "models", filter=pc.field("model_id") == model_id).to_pylist()
    return row


def chain_definitions() -> list:
    """The loop's assets (selfplay ... champion) and every asset check, nothing else of the code location."""
    from assets.definitions import defs

    chain = [a for a in defs.assets if isinstance(a, dg.AssetsDefinition)
             and {k.to_user_string() for k in a.keys} <= CHAIN]
    return [*chain, *defs.asset_checks]


def run_config(lake, config: str, instance) -> dict:
    run_config = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    result = dg.materialize(chain_definitions(), partition_key=config, resources=tiny_resources(lake, config),
                            instance=instance, run_config=run_config)
    assert result.success, config
    events = {e.asset_key.to_user_string(): e.materialization.metadata for e in result.get_asset_materialization_events()}
    assert set(events) == CHAIN, config
    model = model_row(lake, events["candidate_model"]["model_id"].value)
    assert json.loads(model["decision"])["outcome"] == "promote", model["decision"]
    assert network_champion(lake, config) == model["model_id"]
    assert tables.read(lake, "matches", columns=["match_id"], filter=pc.field("config") == config).num_rows > 0
    return {"model": model, "transfer_from": events["candidate_model"]["transfer_from"].value}


def run_board(lake, board: str, players: tuple[int, ...], instance) -> None:
    two = run_config(lake, f"{board}_2p", instance)
    assert two["transfer_from"] == "none" and two["model"]["parent_model_id"] is None
    for n in players:
        more = run_config(lake, f"{board}_{n}p", instance)
        assert more["transfer_from"] == two["model"]["model_id"]
        assert more["model"]["parent_model_id"] == two["model"]["model_id"]
        arch, parent_arch = json.loads(more["model"]["architecture"]), json.loads(two["model"]["architecture"])
        assert arch["num_players"] == n and arch["channels"] == parent_arch["channels"] == 8


def test_square8_loop_and_transfer_to_three_players(local_lake):
    run_board(local_lake, "square8", (3,), dg.DagsterInstance.ephemeral())


@pytest.mark.slow
@pytest.mark.parametrize("board", BOARD_TYPES)
def test_every_config_through_the_loop(local_lake, board):
    run_board(local_lake, board, (3, 4), dg.DagsterInstance.ephemeral())
