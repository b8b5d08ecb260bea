"""Two tiny generations of the loop driven by the generation sensor on a temporary instance: the sensor
asks for each generation run, the run materializes `generation`, and the lake holds the lineage, the
windows and the metrics."""
import json

import dagster as dg
import pyarrow.compute as pc

from assets.definitions import defs
from assets.generations.sensor import generation_sensor
from assets.resources import LakeResource, LoopResource, default_resources
from ringrift_lake import tables

CONFIG = "square8_2p"
TINY = {"budget": 4, "games_per_generation": 6, "bootstrap_games": 8, "cheap_budget": 2, "gauntlet_games": 2, "baseline_games": 2,
        "heldout_player": "gumbel8:heuristic", "heldout_games": 2, "channels": 8, "blocks": 1, "workers": 0,
        "batch_size": 64, "window_min_samples": 400, "device": "cpu"}


def test_two_generations_through_the_sensor(local_lake, tmp_path):
    instance = dg.DagsterInstance.ephemeral()
    resources = {**default_resources(), "lake": LakeResource(root=local_lake.root),
                 "loop": LoopResource(configs=[CONFIG], generations=2, settings_json=json.dumps(TINY))}
    job = defs.resolve_job_def("generation_job")
    for expected in range(2):
        context = dg.build_sensor_context(instance=instance, resources=resources)
        result = generation_sensor(context)
        [request] = result.run_requests
        assert request.run_key == f"{CONFIG}-gen{expected}" and request.partition_key == CONFIG
        run = job.execute_in_process(partition_key=CONFIG, resources=resources, instance=instance,
                                     tags=request.tags, run_id=None)
        assert run.success
        [event] = run.get_asset_materialization_events()
        meta = event.materialization.metadata
        assert meta["generation"].value == expected and "| gen |" in meta["generations"].value
        assert meta["elo_plot"].value.startswith("![Elo per generation](data:image/png;base64,")
    done = generation_sensor(dg.build_sensor_context(instance=instance, resources=resources))
    assert isinstance(done, dg.SkipReason) and "2 of 2 generations done" in done.skip_message

    gens = sorted(tables.read(local_lake, "generations").to_pylist(), key=lambda r: r["generation"])
    assert [g["generation"] for g in gens] == [0, 1]
    models = {m["model_id"]: m for m in tables.read(local_lake, "models", filter=pc.field("config") == CONFIG)
              .to_pylist()}
    first, second = (models[g["model_id"]] for g in gens)
    assert (first["generation"], second["generation"]) == (0, 1)
    assert first["parent_model_id"] is None                              # generation 0: a fresh network
    champion = gens[0]["champion"]
    expected_parent = gens[0]["model_id"] if gens[0]["promoted"] or champion.startswith("heuristic") else champion
    assert second["parent_model_id"] == expected_parent == gens[1]["parent_model_id"]   # from the champion's line
    datasets = {d["dataset_id"]: d for d in tables.read(local_lake, "datasets").to_pylist()}
    for g in gens:
        window = json.loads(datasets[g["dataset_id"]]["window"])
        assert window["newest_samples"] <= g["window_samples"]               # whole games: at least the window
        assert window["where"] == "source = 'selfplay'" and not window["heldout"]
        assert g["new_samples"] > 0 and g["samples_trained"] > 0 and g["reuse_ratio"] <= 4.0 + 1e-9
        held = json.loads(g["heldout"])
        assert held["positions"] > 0 and 0 <= held["top1"] <= 1 and held["value_mse"] >= 0
        elo = json.loads(g["elo"])
        assert set(elo) == {f"gumbel4:model:{g['model_id']}", f"model:{g['model_id']}"}
        assert set(json.loads(g["stage_seconds"])) == {"selfplay", "consolidate", "export", "train", "evaluate",
                                                        "measure"}
