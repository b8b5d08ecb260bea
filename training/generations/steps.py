"""The stages of one generation, each a function the CLI loop and the Dagster assets both call.

    champion -> selfplay (search at the loop's budget, exploration, playout caps, resignation)
             -> consolidate -> export the window -> train from the champion (reuse-capped)
             -> gauntlet at the same budget (+ random and heuristic, search and raw policy)
             -> promote when significantly better -> measure (held-out positions, Elo)
"""
from __future__ import annotations

import json

import pyarrow.compute as pc

from ringrift_lake import tables
from ringrift_lake.location import Lake
from ringrift_lake.players import player_id_of_registry
from ringrift_lake.promotion import PromotionRules, current_champion, promote
from training.generations.settings import LoopSettings
from training.generations.window import step_budget, window_samples
from training.play import PlayOptions, run_selfplay


def champion_player(lake: Lake, config: str) -> str:
    """The champion's player id (`heuristic` or `model:<id>`). A fresh lake starts from the shipped
    champion of the config (models/), else from the heuristic agent promoted over random (generation 0
    is then bootstrapped from heuristic selfplay)."""
    from training.shipped import ensure_shipped_champion

    ensure_shipped_champion(lake, config)            # the shipped champion, when one ships for the config
    row = current_champion(lake, config)
    if row is None:
        from training.gauntlet import run_gauntlet

        run_gauntlet(lake, config, "heuristic", games_per_opponent=40, opponents=["random"], workers=0, seed=1,
                     progress=False)
        result = promote(lake, config, "heuristic", PromotionRules(min_games=40, min_rate_vs_random=0.7,
                                                                   min_rate_vs_heuristic=0.0))
        row = {"model_id": result.champion}
    return player_id_of_registry(row["model_id"])


def selfplay_options(s: LoopSettings, resign_threshold: float | None) -> PlayOptions:
    return PlayOptions(temperature=s.temperature, sample_plies=s.sample_plies, gumbel_noise=True, device=s.device,
                       batch_games=s.batch_games, cheap_budget=s.search_budget_cheap,
                       full_search_prob=s.full_search_prob, resign_threshold=resign_threshold,
                       no_resign_share=s.no_resign_share)


def champion_search(s: LoopSettings, champion: str) -> str:
    """The champion as the loop plays it: its network with search at the loop's budget; a built-in
    champion (the one-ply heuristic of a fresh lake) plays as itself."""
    return f"gumbel{s.budget}:{champion}" if champion.startswith("model:") else champion


def play_generation(lake: Lake, s: LoopSettings, champion: str, generation: int, resign_threshold: float | None,
                    run_seed: int):
    """Selfplay of one generation: the champion's search in every seat; while no network is champion,
    the bootstrap player (the heuristic, with random openings for variety)."""
    threshold = resign_threshold if _two_players(s.config) else None
    seed = run_seed * 1000 + generation
    if not champion.startswith("model:"):
        return run_selfplay(lake, s.config, s.bootstrap_games, player=s.bootstrap, workers=s.workers, seed=seed,
                            options=selfplay_options(s, threshold), opening_plies=s.bootstrap_opening_plies,
                            progress=True)
    return run_selfplay(lake, s.config, s.games_per_generation, player=champion_search(s, champion),
                        workers=s.workers, seed=seed, options=selfplay_options(s, threshold), progress=True)


def _two_players(config: str) -> bool:
    from engine import parse_config

    return parse_config(config).num_players == 2


TRAINING_SOURCE = "selfplay"    # the loop trains on selfplay games only (not gauntlets, imports or held-out ones)


def lake_samples(lake: Lake, config: str, after_seq: int | None = None) -> int:
    """Samples (moves) of the config's selfplay games, those ingested after `after_seq` when given."""
    expr = (pc.field("config") == config) & (pc.field("source") == TRAINING_SOURCE)
    if after_seq is not None:
        expr = expr & (pc.field("ingest_seq") > after_seq)
    games = tables.read(lake, "games", columns=["num_moves"], filter=expr)
    return int(pc.sum(games.column("num_moves")).as_py() or 0)


def last_trained_seq(lake: Lake, config: str) -> int | None:
    """The newest ingest_seq any model of the config was trained on (its dataset's window end)."""
    models = tables.read(lake, "models", columns=["dataset_id"], filter=pc.field("config") == config)
    ids = [d for d in models.column("dataset_id").to_pylist() if d]
    if not ids:
        return None
    sets = tables.read(lake, "datasets", columns=["max_ingest_seq"], filter=pc.field("dataset_id").isin(ids))
    return pc.max(sets.column("max_ingest_seq")).as_py()


def export_window(lake: Lake, s: LoopSettings) -> tuple[dict, int, int]:
    """(datasets row, window samples, new samples since the last training) for the next training."""
    from ringrift_lake.export import Window, export_dataset

    new = lake_samples(lake, s.config, last_trained_seq(lake, s.config))
    window = window_samples(lake_samples(lake, s.config), s)
    row = export_dataset(lake, s.config, Window(newest_samples=max(window, 1), where=f"source = '{TRAINING_SOURCE}'"),
                         workers=1)
    return row, window, new


def init_model(lake: Lake, config: str, champion: str) -> str | None:
    """The network a candidate starts from: the champion's, else the newest generation's candidate
    (while the heuristic is still champion), else none (a fresh network)."""
    if champion.startswith("model:"):
        return champion.removeprefix("model:")
    rows = tables.read(lake, "generations", columns=["model_id", "generation"],
                       filter=pc.field("config") == config).to_pylist()
    rows = [r for r in rows if r["model_id"]]
    return max(rows, key=lambda r: r["generation"])["model_id"] if rows else None


def train_candidate(lake: Lake, s: LoopSettings, dataset_id: str, new_samples: int, init: str | None,
                    generation: int, log=print):
    """Train a candidate on the dataset from `init` (or fresh), at most `max_reuse` samples per new one."""
    from training.settings import TrainSettings
    from training.train import run

    settings = TrainSettings(
        config=s.config, dataset=dataset_id, init=init, channels=None if init else s.channels,
        blocks=None if init else s.blocks, epochs=s.max_epochs, batch_size=s.batch_size, lr=s.lr, warmup_steps=20,
        max_steps=step_budget(new_samples, s.batch_size, s), patience=2, device=s.device, seed=s.seed + generation,
        generation=generation, val_fraction=0.05, augment=s.augment)
    return run(settings, log=log)


def tune_candidate(lake: Lake, s: LoopSettings, model_id: str, generation: int, log=print) -> dict:
    """The trained candidate's raw policy tuned against `tune_against` (training.tune); the tuned model, a
    child of `model_id`, is the generation's candidate (no scoring here: its gauntlets follow). Returns the
    tune summary (its model_id)."""
    from training.tune.run import run
    from training.tune.settings import TuneSettings

    settings = TuneSettings(config=s.config, model=model_id, against=[s.tune_against], iterations=s.tune_iterations,
                            games=s.tune_games, lr=s.tune_lr, eval_every=0, eval_games=0,
                            seed=s.seed + generation, device=s.device, generation=generation)
    return run(settings, log=log, lake=lake)


def evaluate_candidate(lake: Lake, s: LoopSettings, model_id: str, champion: str, generation: int,
                       run_seed: int) -> dict:
    """The gauntlets of a candidate: search vs the champion's search (the promotion evidence), search and
    raw policy vs random and the heuristic; returns the head-to-head numbers per pairing."""
    from training.gauntlet import run_gauntlet

    search, raw = f"gumbel{s.budget}:model:{model_id}", f"model:{model_id}"
    seed = run_seed * 1000 + generation
    rival = champion_search(s, champion)
    baselines = [b for b in ("random", "heuristic") if b != rival]     # a built-in champion is played once
    plays = [(search, [rival], s.gauntlet_games), (search, baselines, s.baseline_games),
             (raw, ["heuristic"] + ([champion] if champion.startswith("model:") else []), s.baseline_games)]
    results = {}
    for candidate, opponents, games in plays:
        report = run_gauntlet(lake, s.config, candidate, games_per_opponent=games, opponents=opponents,
                              workers=s.workers, seed=seed, progress=False)
        results.update({f"{candidate} vs {o}": h for o, h in report.per_opponent.items()})
    return results


def decide(lake: Lake, s: LoopSettings, model_id: str):
    rules = PromotionRules(min_games=min(s.baseline_games, s.gauntlet_games), min_rate_vs_random=0.85,
                           min_rate_vs_heuristic=s.min_rate_vs_heuristic, significance=s.significance)
    return promote(lake, s.config, model_id, rules, budget=s.budget)


def elo_of(lake: Lake, config: str, players: list[str]) -> dict:
    """A fresh Elo snapshot of the config (written to `elo`); rating and stderr of `players`."""
    from ringrift_lake.elo.snapshot import fit_config, write_snapshot

    snapshot = fit_config(lake, config)
    if snapshot is None:
        return {}
    write_snapshot(lake, snapshot)
    rows = {r["player_id"]: r for r in snapshot.rows()}
    return {p: {"rating": rows[p]["rating"], "stderr": rows[p]["stderr"]} for p in players if p in rows}


def as_json(value) -> str:
    return json.dumps(value, sort_keys=True, default=float)
