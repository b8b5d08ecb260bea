"""Fleet workers on the loopback S3 server, with the allocation written by the scheduler sensor on the
PostgreSQL-backed Dagster instance: real `ringrift-lake worker` processes play, a champion is promoted
mid-run (they switch to it), some are SIGKILLed and restarted in their slots, all end with SIGTERM.
Afterwards rows = distinct game ids = the games the workers' journals record as committed, no game is
partial (every one consolidates), and the heartbeats say who is alive, lost or stopped.

The default suite runs 2 workers on 2 configs with one kill; `-m slow` runs 6 workers on 3 configs with
three kills (the issue's fleet test)."""
import pyarrow.compute as pc
import pytest

import dagster as dg
from assets.resources import LakeResource, RetrainPolicy, SchedulerPolicy, default_resources
from assets.scheduler.sensor import selfplay_scheduler
from fleet_run import (Worker, champion_rows, journal_game_ids, lake_env_for, pending_left, promote_network,
                       wait_until)
from ringrift_lake import tables
from ringrift_lake.consolidate import consolidate
from ringrift_lake.fleet.allocation_table import latest_allocation
from ringrift_lake.fleet.heartbeat import worker_states

STALE_S = 6.0


def publish_allocation(lake, configs: list[str], instance) -> None:
    resources = {**default_resources(), "lake": LakeResource(root=lake.root),
                 "scheduler": SchedulerPolicy(configs=",".join(configs)),
                 "retrain_policy": RetrainPolicy(ratio=0.25, min_samples=20000)}
    with dg.build_sensor_context(instance=instance, resources=resources) as context:
        selfplay_scheduler(context)
    assert sorted(latest_allocation(lake)) == sorted(configs)


def run_fleet(lake, env, folder, instance, slots: dict[str, list[str]], kills: list[str]) -> None:
    configs = sorted({c for cs in slots.values() for c in cs})
    publish_allocation(lake, configs, instance)
    workers = {slot: Worker(folder, slot, cs, lake_env_for(env)) for slot, cs in slots.items()}
    every = list(workers.values())
    try:
        for w in every:
            w.start()
        wait_until("every worker committed a batch", lambda: all(w.batches() >= 1 for w in every), every)

        champions = {c: promote_network(lake, c, seed=k) for k, c in enumerate(configs)}
        wait_until("the workers play the new champions",
                   lambda: all(champion_rows(lake, c, m) > 0 for c, m in champions.items()), every)

        before = {slot: workers[slot].batches() for slot in kills}
        for slot in kills:
            workers[slot].kill()
        for slot in kills:
            workers[slot].start()
        wait_until("the restarted workers commit again",
                   lambda: all(workers[s].batches() > before[s] for s in kills), every)
        running = {w.process.pid for w in every}
        killed = {w.pids[0] for s, w in workers.items() if s in kills}

        def heartbeats_settled():
            states = {s["pid"]: s["state"] for s in worker_states(lake, stale_after_s=STALE_S)}
            return all(states.get(p) == "alive" for p in running) and all(states.get(p) == "lost" for p in killed)
        wait_until("heartbeats: running workers alive, killed ones lost", heartbeats_settled, every, every_s=1.0)

        for w in every:
            assert w.terminate() == 0, w.log_tail()
    finally:
        for w in every:
            if w.process and w.process.poll() is None:
                w.process.kill()
    states = {s["pid"]: s for s in worker_states(lake, stale_after_s=STALE_S)}
    assert {p for p, s in states.items() if s["state"] == "stopped"} == running
    assert all("SIGTERM" in states[p]["detail"] for p in running)
    assert {p for p, s in states.items() if s["state"] == "lost"} == killed

    rows = tables.read(lake, "raw_games", columns=["game_id", "config", "batch_id", "status"]).to_pylist()
    reported = journal_game_ids(every)
    assert pending_left(every) == {}
    assert len(rows) == len({r["game_id"] for r in rows}) == len(reported)
    assert {r["game_id"] for r in rows} == set(reported)
    assert {r["config"] for r in rows} == set(configs) and {r["status"] for r in rows} == {"completed"}
    report = consolidate(lake, configs=configs, workers=1)
    # Every game is whole: each replays to its recorded result, search targets included.
    assert report.quarantined == {}, report.quarantined
    games = tables.read(lake, "games", columns=["game_id"]).num_rows
    assert games == len(rows)
    for config, model_id in champions.items():
        assert champion_rows(lake, config, model_id) > 0
        moves = tables.read(lake, "moves", columns=["game_id"], filter=pc.field("config") == config)
        assert moves.num_rows > 0


@pytest.mark.s3
def test_two_workers_follow_a_new_champion_and_survive_a_kill(s3_lake, lake_env, tmp_path, postgres_server,
                                                               monkeypatch):
    instance = postgres_server.dagster_instance(tmp_path / "home", "fleet_small", monkeypatch)
    run_fleet(s3_lake, lake_env, tmp_path, instance,
              {"a": ["square8_2p", "hex8_2p"], "b": ["hex8_2p"]}, kills=["a"])


@pytest.mark.s3
@pytest.mark.slow
def test_six_workers_three_configs_three_kills(s3_lake, lake_env, tmp_path, postgres_server, monkeypatch):
    instance = postgres_server.dagster_instance(tmp_path / "home", "fleet_six", monkeypatch)
    configs = ["square8_2p", "hex8_2p", "square8_3p"]
    slots = {f"w{k}": [configs[k % 3]] if k < 3 else configs for k in range(6)}
    run_fleet(s3_lake, lake_env, tmp_path, instance, slots, kills=["w0", "w3", "w4"])
