"""Evaluation gauntlet: a candidate against random, the heuristic agent and the current champion.

    report = run_gauntlet(lake, "square8_2p", "square8_2p-2026...", games_per_opponent=40, workers=2)
    report = run_gauntlet(lake, "square8_2p", "gumbel64:model:<id>", opponents=["gumbel64:champion"])

One rotation per opponent (`training.play.plan.rotation_jobs`): in 2-player games the candidate
alternates between seats 1 and 2; in 3–4 player games it takes seat (g mod n) + 1 of game g and the
opponent fills every other seat; the games per opponent are rounded up to a multiple of the player
count. The first 2 moves per player come from a seeded random opening so that games between (nearly)
deterministic agents do not repeat. Games are played by the shared game runner (`training.play`):
every game goes to `raw_games` (source `gauntlet`) and `matches` (player id per seat, winner, ranks,
reason; `ranks` null for a game stopped at the move cap), in atomic batches. The candidate and the
opponents are any players (`ringrift_lake.players`): a model id, a built-in agent, a search player.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from engine import parse_config
from ringrift_lake.location import Lake
from ringrift_lake.players import player_id, player_id_of_registry
from ringrift_lake.promotion import DEFAULT_MIN_GAMES, current_champion
from ringrift_lake.promotion.stats import head_to_head
from ringrift_lake.records.ids import run_seed_for
from training.play.agents import PlayOptions, resolve_player
from training.play.plan import OPENING_RANDOM_PLIES_PER_PLAYER, PlayPlan, rotation_jobs
from training.play.runner import run_plan

DEFAULT_GAMES_PER_OPPONENT = DEFAULT_MIN_GAMES   # a default gauntlet has enough games to decide a promotion


@dataclass
class GauntletReport:
    gauntlet_id: str
    config: str
    candidate: str
    opponents: list[str]
    games: int = 0
    per_opponent: dict = field(default_factory=dict)   # opponent -> head-to-head numbers
    workers_cpu_s: float = 0.0     # CPU seconds of the workers (playing and writing)
    wall_s: float = 0.0
    raw_games_version: int | None = None
    max_moves: int | None = None   # the move cap the games were played with

    def summary(self) -> dict:
        """JSON-able numbers: per-opponent results, games, CPU and wall seconds, versions written."""
        return {"gauntlet_id": self.gauntlet_id, "config": self.config, "candidate": self.candidate,
                "games": self.games, "per_opponent": self.per_opponent,
                "workers_cpu_s": round(self.workers_cpu_s, 3), "wall_s": round(self.wall_s, 3),
                "raw_games_version": self.raw_games_version, "max_moves": self.max_moves}


def opponents_for(lake: Lake, config: str, candidate: str) -> list[str]:
    """random, heuristic and the champion's player id, without the candidate itself or duplicates."""
    champion = current_champion(lake, config)
    names = ["random", "heuristic"] + ([player_id_of_registry(champion["model_id"])] if champion else [])
    return [p for k, p in enumerate(names) if p != candidate and p not in names[:k]]


def gauntlet_plan(lake: Lake, config: str, candidate: str, opponents: list[str] | None, games_per_opponent: int,
                  seed: int | None, max_moves: int | None, options: PlayOptions = PlayOptions()) -> PlayPlan:
    """The games of a gauntlet: one rotation of the candidate against each opponent."""
    cand = resolve_player(lake, config, player_id(candidate))     # a bare model id is that model
    opponent_texts = opponents if opponents is not None else opponents_for(lake, config, cand.player_id)
    rivals = [resolve_player(lake, config, o) for o in opponent_texts]
    rivals = [r for k, r in enumerate(rivals) if r.player_id != cand.player_id
              and r.player_id not in [q.player_id for q in rivals[:k]]]
    run_seed = run_seed_for(seed, [cand.player_id, *(r.player_id for r in rivals)])
    jobs = []
    for rival in rivals:
        jobs += rotation_jobs(config, "gauntlet", run_seed, [cand.player_id, rival.player_id], games_per_opponent,
                              start=len(jobs), group=rival.player_id)
    checkpoints = tuple(sorted({p.player_id: p.checkpoint for p in [cand, *rivals] if p.checkpoint}.items()))
    num_players = parse_config(config).num_players
    return PlayPlan(config, "gauntlet", run_seed, tuple(jobs), checkpoints, options, max_moves,
                    OPENING_RANDOM_PLIES_PER_PLAYER * num_players, record_matches=True, write_unfinished=True,
                    match_group=f"gauntlet-{run_seed:x}")


def run_gauntlet(lake: Lake, config: str, candidate_model: str, games_per_opponent: int = DEFAULT_GAMES_PER_OPPONENT,
                 workers: int | None = None, seed: int | None = None, opponents: list[str] | None = None,
                 max_moves: int | None = None, progress: bool = True) -> GauntletReport:
    """Play the gauntlet and write every game and result to the lake; returns the numbers. `workers`
    None: one process per core (at most one per game); 0: in this process. `max_moves` defaults to the
    board's move cap (a game still running then is unfinished: no ranks)."""
    plan = gauntlet_plan(lake, config, candidate_model, opponents, games_per_opponent, seed, max_moves)
    candidate = resolve_player(lake, config, player_id(candidate_model)).player_id
    rivals = list(dict.fromkeys(job.group for job in plan.jobs))
    workers = min(os.cpu_count() or 1, len(plan.jobs) or 1) if workers is None else workers
    started = time.perf_counter()
    played = run_plan(lake, plan, workers=workers, progress=progress)
    report = GauntletReport(plan.match_group, config, candidate, rivals, max_moves=plan.move_cap)
    report.games = played.games_written + played.games_present
    report.workers_cpu_s = played.workers_cpu_s
    report.raw_games_version = played.table_version
    report.wall_s = time.perf_counter() - started
    rows = [{"players": list(players), "ranks": ranks} for _, players, ranks in played.results]
    if played.games_present:                   # a rerun: count the games committed before too
        rows = _recorded_results(lake, plan)
    report.per_opponent = {o: head_to_head(rows, candidate, o).as_dict() for o in rivals}
    return report


def _recorded_results(lake: Lake, plan: PlayPlan) -> list[dict]:
    import pyarrow.compute as pc

    from ringrift_lake import tables

    expr = (pc.field("config") == plan.config) & (pc.field("gauntlet_id") == plan.match_group)
    return tables.read(lake, "matches", columns=["players", "ranks"], filter=expr).to_pylist()
