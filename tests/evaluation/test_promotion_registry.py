"""Promotion against real Delta tables: statuses, decision records, one champion even when promotions race.

`lake` is the shared fixture (tests/conftest.py): each test runs on a local folder and on the loopback S3
server, where the version-guarded commit relies on the server's conditional PUT.
"""
from __future__ import annotations

import json
import multiprocessing
import tempfile
import threading
from datetime import datetime, timezone

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ringrift_lake import tables
from ringrift_lake.location import Lake
from ringrift_lake.promotion import PromotionRules, current_champion, promote
from ringrift_lake.promotion.registry import config_rows
from simulated_matches import simulate_head_to_head

CONFIG = "square8_2p"
RULES = PromotionRules(min_games=30)


def register(lake, model_id, config=CONFIG):
    now = datetime.now(timezone.utc)
    tables.append(lake, "models", [{"model_id": model_id, "config": config, "status": "candidate",
                                    "created_at": now, "updated_at": now}])


def play(lake, model_id, p_random, p_heuristic, vs=None, games=40, seed=0, config=CONFIG):
    rows = simulate_head_to_head(f"model:{model_id}", "random", p_random, games, seed, config)
    rows += simulate_head_to_head(f"model:{model_id}", "heuristic", p_heuristic, games, seed + 1, config)
    for k, (opponent, p) in enumerate((vs or {}).items()):
        rows += simulate_head_to_head(f"model:{model_id}", opponent, p, games, seed + 2 + k, config)
    tables.append(lake, "matches", rows)


def statuses(lake, config=CONFIG):
    return {r["model_id"]: r["status"] for r in config_rows(lake, config)}


def test_stronger_promoted_equal_and_weaker_rejected_with_recorded_numbers(lake):
    now = datetime.now(timezone.utc)
    tables.append(lake, "models", [{"model_id": m, "config": c, "status": s, "created_at": now, "updated_at": now}
                                   for m, c, s in (("a", CONFIG, "candidate"), ("h", "hex8_2p", "champion"))])
    play(lake, "a", 0.97, 0.85, seed=1)
    first = promote(lake, CONFIG, "a", RULES)
    assert first.decision.promoted and first.previous_champion is None and first.status == "champion"

    register(lake, "b")
    play(lake, "b", 0.99, 0.95, vs={"model:a": 0.85}, seed=10)
    second = promote(lake, CONFIG, "b", RULES)
    assert second.decision.promoted and second.previous_champion == "a"
    assert statuses(lake) == {"a": "retired", "b": "champion"}
    record = json.loads(next(r for r in config_rows(lake, CONFIG) if r["model_id"] == "b")["decision"])
    assert record["previous_champion"] == "a" and record["outcome"] == "promote"
    assert record["gates"]["champion"]["p_value"] < 0.05 and record["matches_version"] >= 0
    assert {"rate", "games", "successes"} <= set(record["gates"]["random"])

    register(lake, "c")
    play(lake, "c", 0.99, 0.95, vs={"model:b": 0.5}, seed=20)
    register(lake, "d")
    play(lake, "d", 0.99, 0.95, vs={"model:b": 0.2}, seed=30)
    assert promote(lake, CONFIG, "c", RULES).status == "rejected"
    assert promote(lake, CONFIG, "d", RULES).status == "rejected"
    assert statuses(lake) == {"a": "retired", "b": "champion", "c": "rejected", "d": "rejected"}
    assert current_champion(lake, CONFIG)["model_id"] == "b"
    assert statuses(lake, "hex8_2p") == {"h": "champion"}      # rows of other configs in the same files survive
    version = tables.version(lake, "models")
    again = promote(lake, CONFIG, "b", RULES)
    assert again.decision.outcome == "already_champion" and tables.version(lake, "models") == version


def test_unknown_model_is_refused_and_builtin_heuristic_can_be_champion(lake):
    with pytest.raises(LookupError):
        promote(lake, CONFIG, "nope", RULES)
    tables.append(lake, "matches", simulate_head_to_head("heuristic", "random", 0.95, 40, seed=3))
    result = promote(lake, CONFIG, "heuristic", RULES)
    assert result.model_id == "heuristic@square8_2p" and result.status == "champion"
    register(lake, "m")
    play(lake, "m", 0.99, 0.6, seed=4)   # clears the 60% baseline but not significantly better than the champion
    assert promote(lake, CONFIG, "m", RULES).decision.outcome == "reject"
    assert current_champion(lake, CONFIG)["model_id"] == "heuristic@square8_2p"


def test_two_promotions_racing_leave_one_champion_and_the_loser_redecides(lake):
    for name, seed in (("x", 40), ("y", 50)):
        register(lake, name)
        play(lake, name, 0.99, 0.95, seed=seed)
    x_decided, y_committed = threading.Event(), threading.Event()
    results = {}

    def hold_x(attempt):
        if attempt == 1:          # x has read version v and decided; let y commit first
            x_decided.set()
            assert y_committed.wait(60)

    def run_x():
        results["x"] = promote(lake, CONFIG, "x", RULES, before_commit=hold_x)

    thread = threading.Thread(target=run_x)
    thread.start()
    assert x_decided.wait(60)
    results["y"] = promote(lake, CONFIG, "y", RULES)
    y_committed.set()
    thread.join(60)
    assert results["y"].status == "champion"
    assert results["x"].attempts >= 2                      # its first commit was refused
    assert results["x"].decision.outcome == "insufficient_games"   # re-decided against the new champion y
    assert statuses(lake) == {"x": "candidate", "y": "champion"}


def _promote_in_process(root, model_id, barrier):
    barrier.wait()
    return promote(Lake.at(root), CONFIG, model_id, RULES).status   # S3 settings come from the environment


def test_two_processes_racing_promotions_leave_exactly_one_champion(lake):
    for name, seed in (("p", 60), ("q", 70)):
        register(lake, name)
        play(lake, name, 0.99, 0.95, seed=seed)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager, ctx.Pool(2) as pool:
        barrier = manager.Barrier(2)
        futures = [pool.apply_async(_promote_in_process, (lake.root, name, barrier)) for name in ("p", "q")]
        outcomes = sorted(f.get(600) for f in futures)   # spawning under load can be slow
    assert outcomes == ["candidate", "champion"]
    assert sorted(statuses(lake).values()) == ["candidate", "champion"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([400.0, 900.0, 1400.0, 1900.0]), min_size=1, max_size=4), st.integers(0, 10**6))
def test_champion_is_unique_after_any_sequence_of_promotions(strengths, seed):
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as root:
        lake = Lake.at(root)
        champion, champion_strength = None, None
        for k, strength in enumerate(strengths):
            name = f"m{k}"
            register(lake, name)
            p = lambda other: 1 / (1 + 10 ** ((other - strength) / 400))   # noqa: E731
            vs = {f"model:{champion}": p(champion_strength)} if champion else {}
            play(lake, name, p(0.0), p(600.0), vs=vs, seed=int(rng.integers(1 << 30)))
            result = promote(lake, CONFIG, name, RULES)
            champions = [m for m, s in statuses(lake).items() if s == "champion"]
            assert len(champions) <= 1
            if result.decision.promoted:
                champion, champion_strength = name, strength
            assert champions == ([champion] if champion else [])
