"""Playing the jobs of a plan: agents at a table, one finished game (its raw_games row, ranks) per job.

    for finished in play_jobs(plan, plan.jobs, factory):
        finished.row, finished.ranks, finished.cpu_s

Each seat shows every pre-move position to all agents of the table that keep a history (`observe`), so
a network sees the same history frames as in training, then asks its own agent. The first
`plan.opening_plies` moves of a game come from a random agent seeded by the game seed.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone

from engine import parse_config, play_game
from engine.agents import RandomAgent
from ringrift_lake.encoding.targets import final_seat_values
from ringrift_lake.records.rows import game_row
from training.play.plan import GameJob, PlayPlan


class Seat:
    """One seat at a table of agents (see the module docstring)."""

    def __init__(self, agent, table: list, opening=None, opening_plies: int = 0):
        self.agent, self.table = agent, table
        self.opening, self.opening_plies = opening, opening_plies
        self.name = getattr(agent, "name", "agent")

    def show(self, state) -> None:
        for member in self.table:
            if hasattr(member, "observe"):
                member.observe(state)

    def select_move(self, state, legal):
        self.show(state)
        agent = self.opening if state.move_count < self.opening_plies else self.agent
        return agent.select_move(state, legal)


@dataclass
class FinishedGame:
    job: GameJob
    row: dict                     # the raw_games row
    ranks: list[int] | None       # rank per seat (1 = best, ties share); None when unfinished
    cpu_s: float

    @property
    def completed(self) -> bool:
        return self.row["status"] == "completed"


def seat_ranks(final_state) -> list[int] | None:
    """Rank per seat, in the training targets' order (winner first, then eliminated rings credited,
    then territory); None for an unfinished game."""
    if final_state.status != "completed" or final_state.winner is None:
        return None
    n = final_state.num_players
    values = final_seat_values(n, final_state.winner, final_state.eliminated, final_state.territory)[:n]
    return [1 + sum(1 for w in values if w > v) for v in values]


def play_job(plan: PlayPlan, job: GameJob, factory) -> FinishedGame:
    cfg = parse_config(plan.config)
    agents = [factory.agent(p, (job.seed * 31 + seat) % 2**62) for seat, p in enumerate(job.players, start=1)]
    opening = RandomAgent(seed=job.seed) if plan.opening_plies else None
    seats = [Seat(a, agents, opening, plan.opening_plies) for a in agents]
    started_at, cpu0 = datetime.now(timezone.utc), time.process_time()
    played = play_game(cfg.board_type, cfg.num_players, seats, seed=job.seed, max_moves=plan.move_cap)
    cpu_s = time.process_time() - cpu0
    row = game_row(played, plan.config, list(job.players), plan.source, job.seed, game_id=job.game_id,
                   started_at=started_at, finished_at=datetime.now(timezone.utc))
    return FinishedGame(job, row, seat_ranks(played.final_state), cpu_s)


def play_jobs(plan: PlayPlan, jobs, factory):
    """Every job's finished game, in order."""
    for job in jobs:
        yield play_job(plan, job, factory)
