"""Evaluation gauntlet: a candidate against random, the heuristic agent and the current champion.

    report = run_gauntlet(lake, "square8_2p", "square8_2p-2026...", games_per_opponent=40, workers=4)

Seats rotate evenly: in 2-player games the candidate alternates between seats
1 and 2; in 3–4 player games it takes seat (g mod n) + 1 of game g and the
opponent fills every other seat. The games per opponent are rounded up to a
multiple of the player count so that every seat gets the same share. The
first 2 moves per player come from a seeded random opening (see `_Seat`) so
that games between (nearly) deterministic agents do not repeat.

Games run in worker processes of a `spawn` pool (delta-rs must not run in a
forked child; the workers never touch Delta: they only read checkpoints and
play). The parent writes each batch of finished games to `raw_games` with
the shared selfplay writer (source `gauntlet`, agent and model id per seat),
then their results to `matches` (player id per seat, winner, ranks, reason). Ranks use the same
order as the training targets (`ringrift_lake.encoding.targets`): the winner
first, the others by (eliminated rings credited, territory); an unfinished
game (move cap) has no ranks.

The candidate may be a model id or `heuristic` / `random`, so the built-in
agents can be evaluated before any network exists.
"""
from __future__ import annotations

import multiprocessing
import os
import resource
import secrets
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ringrift_lake import tables
from ringrift_lake.location import Lake
from ringrift_lake.promotion import DEFAULT_MIN_GAMES, current_champion, player_id, player_id_of_registry
from ringrift_lake.promotion.stats import head_to_head
from training.seats import Seat, agent_maker

DEFAULT_GAMES_PER_OPPONENT = DEFAULT_MIN_GAMES   # a default gauntlet has enough games to decide a promotion
OPENING_RANDOM_PLIES_PER_PLAYER = 2   # random opening moves per player, see _Seat
BATCH_GAMES = 50


@dataclass(frozen=True)
class GameJob:
    index: int
    config: str
    players: tuple[str, ...]     # player id per seat
    opponent: str
    seed: int
    max_moves: int | None = None
    opening_plies: int = 0


@dataclass
class GauntletReport:
    gauntlet_id: str
    config: str
    candidate: str
    opponents: list[str]
    games: int = 0
    per_opponent: dict = field(default_factory=dict)   # opponent -> head-to-head numbers
    game_cpu_s: float = 0.0        # CPU seconds spent playing, summed over games
    workers_cpu_s: float = 0.0     # CPU seconds of the worker processes in all (start-up included)
    parent_cpu_s: float = 0.0      # CPU seconds of this process (scheduling, lake writes)
    wall_s: float = 0.0
    raw_games_version: int | None = None
    matches_version: int | None = None
    max_moves: int | None = None   # the move cap the games were played with

    def summary(self) -> dict:
        """JSON-able numbers: per-opponent results, games, CPU and wall seconds, versions written."""
        return {"gauntlet_id": self.gauntlet_id, "config": self.config, "candidate": self.candidate,
                "games": self.games, "per_opponent": self.per_opponent, "game_cpu_s": round(self.game_cpu_s, 3),
                "workers_cpu_s": round(self.workers_cpu_s, 3), "parent_cpu_s": round(self.parent_cpu_s, 3),
                "wall_s": round(self.wall_s, 3), "raw_games_version": self.raw_games_version,
                "matches_version": self.matches_version, "max_moves": self.max_moves}


def seat_plan(num_players: int, games: int) -> list[int]:
    """The candidate's seat (1-based) in each game, rotating evenly."""
    return [(g % num_players) + 1 for g in range(games)]


def opponents_for(lake: Lake, config: str, candidate: str) -> list[str]:
    """random, heuristic and the champion's player id, without the candidate itself or duplicates."""
    champion = current_champion(lake, config)
    names = ["random", "heuristic"] + ([player_id_of_registry(champion["model_id"])] if champion else [])
    return [p for k, p in enumerate(names) if p != candidate and p not in names[:k]]


def check_models(lake: Lake, config: str, players: list[str]) -> None:
    """Before any game: every model player has a checkpoint of this config and of this code's encoder."""
    from ringrift_lake.encoding import ENCODER_VERSION
    from training.checkpoint import read_meta

    for player in players:
        if player.startswith("model:"):
            meta = read_meta(lake, player.removeprefix("model:"))
            if meta.get("config") != config:
                raise ValueError(f"{player} is a {meta.get('config')} model; this gauntlet is {config}")
            if meta.get("encoder_version") != ENCODER_VERSION:
                raise ValueError(f"{player} was trained with encoder {meta.get('encoder_version')}; this code "
                                 f"encodes {ENCODER_VERSION} (retrain it, or evaluate with the matching code)")


def plan_games(config: str, num_players: int, candidate: str, opponents: list[str], games_per_opponent: int,
               seed: int, max_moves: int | None = None) -> list[GameJob]:
    per_opponent = -(-games_per_opponent // num_players) * num_players
    jobs = []
    for opponent in opponents:
        for seat in seat_plan(num_players, per_opponent):
            players = tuple(candidate if s == seat else opponent for s in range(1, num_players + 1))
            jobs.append(GameJob(len(jobs), config, players, opponent, (seed + 7919 * len(jobs)) % 2**62, max_moves,
                                OPENING_RANDOM_PLIES_PER_PLAYER * num_players))
    return jobs


# ---- worker side: build agents, play one game (no Delta here) ----

_WORKER: dict = {}


def init_worker(lake: Lake) -> None:
    """Per worker process: remember the lake; models are loaded on first use and cached."""
    _WORKER.clear()
    _WORKER["lake"] = lake
    _WORKER["makers"] = {}
    _WORKER["cpu0"] = time.process_time()


class _Seat(Seat):
    """One seat's agent inside a gauntlet game: a `Seat` (every position shown to the whole table) that
    plays the game's first `opening_plies` moves from a seeded random opening: argmax policies and the
    heuristic are (nearly) deterministic, so without it the games between two of them would repeat and
    would not be independent evidence.
    """

    def __init__(self, agent, table: list, opening, opening_plies: int):
        super().__init__(agent, table)
        self.opening, self.opening_plies = opening, opening_plies

    def select_move(self, state, legal):
        self.show(state)
        agent = self.opening if state.move_count < self.opening_plies else self.agent
        return agent.select_move(state, legal)


def _agent(player: str, seed: int):
    """A fresh agent for `player`; a network is loaded once per worker process."""
    makers = _WORKER["makers"]
    if player not in makers:
        if player.startswith("model:"):
            import torch

            torch.set_num_threads(1)
        makers[player] = agent_maker(_WORKER["lake"], player)
    return makers[player](seed)


def seat_ranks(final_state) -> list[int] | None:
    """Rank per seat (1 = best, ties share the better rank); None for an unfinished game."""
    from ringrift_lake.encoding.targets import final_seat_values

    if final_state.status != "completed" or final_state.winner is None:
        return None
    n = final_state.num_players
    values = final_seat_values(n, final_state.winner, final_state.eliminated, final_state.territory)[:n]
    return [1 + sum(1 for w in values if w > v) for v in values]


def play_job(job: GameJob) -> dict:
    """Play one gauntlet game; returns its `raw_games` row and what its `matches` row needs (picklable)."""
    from engine import parse_config, play_game
    from engine.agents import RandomAgent
    from ringrift_lake.selfplay.rows import game_row, seat_rows

    cfg = parse_config(job.config)
    board_type, num_players = cfg.board_type, cfg.num_players
    agents = [_agent(p, (job.seed * 31 + seat) % 2**62) for seat, p in enumerate(job.players, start=1)]
    opening = RandomAgent(seed=job.seed)
    seats = [_Seat(a, agents, opening, job.opening_plies) for a in agents]
    started_at, cpu0 = datetime.now(timezone.utc), time.process_time()
    played = play_game(board_type, num_players, seats, seed=job.seed, max_moves=job.max_moves)
    cpu_s = time.process_time() - cpu0
    models = [p.removeprefix("model:") if p.startswith("model:") else None for p in job.players]
    kinds = ["policy" if m else p for p, m in zip(job.players, models)]
    raw = game_row(played, job.config, seat_rows(kinds, models), "gauntlet", job.seed, game_id=uuid.uuid4().hex,
                   started_at=started_at, finished_at=datetime.now(timezone.utc))
    return {"job": job, "players": job.players, "raw_row": raw, "ranks": seat_ranks(played.final_state),
            "cpu_s": cpu_s}


# ---- parent side: rows for the lake ----

def match_row(result: dict, gauntlet_id: str) -> dict:
    """A `matches` row for one played game (winner and ranks only for a finished game)."""
    raw = result["raw_row"]
    winner = raw["winner"] if result["ranks"] is not None else None
    return {
        "match_id": f"{gauntlet_id}-{result['job'].index:05d}", "config": raw["config"], "game_id": raw["game_id"],
        "players": list(result["players"]), "winner": winner,
        "winner_player": result["players"][winner - 1] if winner else None, "ranks": result["ranks"],
        "reason": raw["reason"], "num_moves": raw["num_moves"], "gauntlet_id": gauntlet_id,
        "created_at": raw["finished_at"],
    }


def _write_batch(lake: Lake, batch: list[dict], report: GauntletReport) -> None:
    from ringrift_lake.selfplay.rows import write_raw_games

    report.raw_games_version = write_raw_games(lake, [r["raw_row"] for r in batch])
    report.matches_version = tables.append(lake, "matches", [match_row(r, report.gauntlet_id)
                                                             for r in batch])


def _progress(report: GauntletReport, total: int, started: float) -> None:
    rate = report.games / max(time.perf_counter() - started, 1e-9)
    print(f"  gauntlet {report.config}: {report.games}/{total} games ({rate:.1f}/s)", file=sys.stderr, flush=True)


def run_gauntlet(lake: Lake, config: str, candidate_model: str, games_per_opponent: int = DEFAULT_GAMES_PER_OPPONENT,
                 workers: int | None = None, seed: int | None = None, opponents: list[str] | None = None,
                 max_moves: int | None = None, progress: bool = True) -> GauntletReport:
    """Play the gauntlet and write every game and result to the lake; returns the numbers. `max_moves`
    defaults to the board's `move_cap` (a game still running then is unfinished: no ranks)."""
    from engine import parse_config

    cfg = parse_config(config)
    board_type, num_players = cfg.board_type, cfg.num_players
    candidate = player_id(candidate_model)
    opponents = opponents if opponents is not None else opponents_for(lake, config, candidate)
    seed = secrets.randbelow(2**31) if seed is None else seed
    check_models(lake, config, [candidate, *opponents])
    max_moves = cfg.move_cap if max_moves is None else max_moves
    jobs = plan_games(config, num_players, candidate, opponents, games_per_opponent, seed, max_moves)
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs) or 1))
    report = GauntletReport(uuid.uuid4().hex[:16], config, candidate, list(opponents), max_moves=max_moves)
    started, cpu0 = time.perf_counter(), time.process_time()
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    results, batch = [], []

    def collect(result: dict) -> None:
        results.append(result)
        batch.append(result)
        report.games += 1
        report.game_cpu_s += result["cpu_s"]
        if len(batch) >= BATCH_GAMES:
            _write_batch(lake, batch, report)
            batch.clear()
            if progress:
                _progress(report, len(jobs), started)

    if workers == 1:
        init_worker(lake)
        for job in jobs:
            collect(play_job(job))
    else:
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(workers, initializer=init_worker, initargs=(lake,)) as pool:
            for result in pool.imap_unordered(play_job, jobs, chunksize=1):
                collect(result)
            pool.close()
            pool.join()
    if batch:
        _write_batch(lake, batch, report)
    children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    report.workers_cpu_s = (children1.ru_utime - children0.ru_utime) + (children1.ru_stime - children0.ru_stime)
    if workers == 1:
        report.workers_cpu_s = report.game_cpu_s
    report.parent_cpu_s = time.process_time() - cpu0
    report.wall_s = time.perf_counter() - started
    rows = [{"players": list(r["players"]), "ranks": r["ranks"]} for r in results]
    report.per_opponent = {o: head_to_head(rows, candidate, o).as_dict() for o in opponents}
    return report
