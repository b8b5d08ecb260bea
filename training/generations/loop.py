"""The loop that gets stronger: `ringrift-lake loop --config C --generations N [--budget 64]`.

    report = run_loop(lake, LoopSettings(config="square8_2p"), generations=6)

Each generation (training.generations.steps): the champion's search plays selfplay; the games are
consolidated; the newest window is exported; a candidate trains from the champion (reuse-capped); it
plays the champion at the same budget and the baselines; it is promoted when significantly better;
its held-out metrics and Elo (as search and as raw policy) are measured; one `generations` row
records it all, with the wall seconds of each stage. A per-generation summary line goes to the log.
"""
from __future__ import annotations

import time
import uuid
from datetime import datetime, timezone

from engine import RESIGNATION
from ringrift_lake import tables
from ringrift_lake.consolidate import consolidate
from ringrift_lake.location import Lake
from training.generations import steps
from training.generations.heldout import ensure_heldout, heldout_metrics
from training.generations.resign import false_positive_rate, next_threshold, would_resign_seats
from training.generations.settings import LoopSettings


def _stage(times: dict, name: str, started: float) -> float:
    now = time.perf_counter()
    times[name] = round(now - started, 2)
    return now


def run_generation(lake: Lake, s: LoopSettings, generation: int, run_id: str, resign_threshold: float,
                   log=print) -> dict:
    """One generation; returns its `generations` row (already written)."""
    times, t = {}, time.perf_counter()
    run_seed = s.seed + int(uuid.UUID(run_id).int % 1_000_000)
    champion = steps.champion_player(lake, s.config)
    log(f"gen {generation}: champion {champion}; selfplay")
    played = steps.play_generation(lake, s, champion, generation, resign_threshold, run_seed)
    t = _stage(times, "selfplay", t)
    consolidate(lake, [s.config], workers=1)
    t = _stage(times, "consolidate", t)
    dataset, window, new = steps.export_window(lake, s)
    t = _stage(times, "export", t)
    init = steps.init_model(lake, s.config, champion)
    log(f"gen {generation}: training on {dataset['sample_count']} window samples ({new} new) from {init or 'scratch'}")
    trained = steps.train_candidate(lake, s, dataset["dataset_id"], new, init, generation,
                                    log=lambda line: log(f"gen {generation}: {line}"))
    t = _stage(times, "train", t)
    candidate = trained.model_id
    if s.tune_iterations:
        candidate = steps.tune_candidate(lake, s, trained.model_id, generation,
                                         log=lambda line: log(f"gen {generation}: {line}"))["model_id"]
        t = _stage(times, "tune", t)
    log(f"gen {generation}: gauntlets of {candidate}")
    results = steps.evaluate_candidate(lake, s, candidate, champion, generation, run_seed)
    decision = steps.decide(lake, s, candidate)
    t = _stage(times, "evaluate", t)
    from training import checkpoint

    model = checkpoint.load(lake, candidate).model
    held = heldout_metrics(lake, s.config, model)
    search_id, raw_id = f"gumbel{s.budget}:model:{candidate}", f"model:{candidate}"
    elo = steps.elo_of(lake, s.config, [search_id, raw_id])
    t = _stage(times, "measure", t)
    rows = tables.read(lake, "raw_games", columns=["game_id", "num_players", "seed", "winner", "reason", "moves",
                                                   "search"],
                       filter=steps.pc.field("game_id").isin(played.game_ids)).to_pylist()
    seats = would_resign_seats(rows, lambda seed: selfplay_may_resign(s, resign_threshold, seed))
    fp_rate, fp_games = false_positive_rate(seats, resign_threshold)
    samples_trained = int(trained.metrics.get("train_samples_seen") or 0)
    row = {
        "config": s.config, "generation": generation, "run_id": run_id, "model_id": candidate,
        "parent_model_id": trained.parent_model_id, "promoted": decision.decision.promoted,
        "champion": decision.champion, "selfplay_player": played.results[0][1][0] if played.results else None,
        "selfplay_games": played.games_written, "selfplay_games_per_s": played.games_per_s,
        "selfplay_evals_per_s": played.search.evaluations / max(played.seconds, 1e-9),
        "dataset_id": dataset["dataset_id"], "window_samples": int(dataset["sample_count"]), "new_samples": new,
        "samples_trained": samples_trained, "reuse_ratio": samples_trained / new if new else None,
        "resign_threshold": resign_threshold, "resign_fp_rate": fp_rate, "resign_fp_games": fp_games,
        "resigned_games": sum(1 for r in rows if r["reason"] == RESIGNATION),
        "heldout": steps.as_json(held), "results": steps.as_json(results), "elo": steps.as_json(elo),
        "stage_seconds": steps.as_json(times), "created_at": datetime.now(timezone.utc),
    }
    tables.append(lake, "generations", [row])
    row["next_resign_threshold"] = next_threshold(seats, s, resign_threshold)
    log(summary_line(row, elo, search_id, raw_id, window))
    return row


def selfplay_may_resign(s: LoopSettings, threshold: float, seed: int) -> bool:
    return steps.selfplay_options(s, threshold).resign_below(seed) is not None


def summary_line(row: dict, elo: dict, search_id: str, raw_id: str, window: int) -> str:
    def rating(p):
        return f"{elo[p]['rating']:.0f}±{elo[p]['stderr']:.0f}" if p in elo else "n/a"

    return (f"gen {row['generation']}: {row['model_id']} {'PROMOTED' if row['promoted'] else 'rejected'}; "
            f"Elo search {rating(search_id)} raw {rating(raw_id)}; {row['selfplay_games']} games "
            f"{row['selfplay_games_per_s']:.2f}/s; window {window} new {row['new_samples']} reuse "
            f"{row['reuse_ratio'] or 0:.2f}; resign fp {row['resign_fp_rate']:.3f} ({row['resign_fp_games']}); "
            f"stages {row['stage_seconds']}")


def previous_generations(lake: Lake, config: str) -> list[dict]:
    rows = tables.read(lake, "generations", filter=steps.pc.field("config") == config).to_pylist()
    return sorted(rows, key=lambda r: r["generation"])


def run_loop(lake: Lake, s: LoopSettings, generations: int, log=print) -> list[dict]:
    """`generations` more generations (numbered on from the config's last one); returns their rows."""
    run_id = str(uuid.uuid4())
    ensure_heldout(lake, s.config, s.heldout_player, s.heldout_games, workers=s.workers, log=log)
    before = previous_generations(lake, s.config)
    first = before[-1]["generation"] + 1 if before else 0
    threshold = before[-1]["resign_threshold"] if before else s.resign_threshold
    out = []
    for generation in range(first, first + generations):
        row = run_generation(lake, s, generation, run_id, threshold, log=log)
        threshold = row["next_resign_threshold"]
        out.append(row)
    return out
