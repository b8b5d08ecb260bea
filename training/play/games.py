"""Playing the jobs of a plan: many games at once through the batched driver, one raw_games row each.

    for finished in play_jobs(plan, plan.jobs, factory, stats):
        finished.row, finished.ranks

Up to `plan.options.batch_games` games are in flight (`training.search.driver.play_games`): every
simulation step takes one leaf from each game that needs one and evaluates them together, one batch per
network. The first `plan.opening_plies` moves of a game come from a random agent seeded by the game
seed. A searched ply's record becomes its `raw_games.search` entry: the improved policy as (policy
index, probability) over the legal moves, indices ascending, visit counts aligned, root value per seat,
the budget and whether the search was a full one; raw-policy and built-in plies carry none.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from engine import parse_config
from ringrift_lake.encoding.targets import final_seat_values
from ringrift_lake.records.rows import game_row
from training.play.plan import GameJob, PlayPlan
from training.search.driver import GameSpec, play_games
from training.search.entries import search_entries


class Seat:
    """One seat at a table of engine-protocol agents (`engine.play_game`): shows every pre-move position
    to all agents of the table that keep a history (`observe`), then asks its own agent."""

    def __init__(self, agent, table: list):
        self.agent, self.table = agent, table
        self.name = getattr(agent, "name", "agent")

    def select_move(self, state, legal):
        for member in self.table:
            if hasattr(member, "observe"):
                member.observe(state)
        return self.agent.select_move(state, legal)


@dataclass
class FinishedGame:
    job: GameJob
    row: dict                     # the raw_games row
    ranks: list[int] | None       # rank per seat (1 = best, ties share); None when unfinished

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


def play_jobs(plan: PlayPlan, jobs, factory, stats=None):
    """Every job's finished game, in the order they finish."""
    cfg = parse_config(plan.config)
    started = {}

    def specs():
        for job in jobs:
            agents = factory.table(job.players, job.seed)
            started[job.index] = datetime.now(timezone.utc)
            yield GameSpec(job.seed, agents, plan.move_cap, plan.opening_plies, tag=job,
                           resign_below=plan.options.resign_below(job.seed), stall_plies=cfg.stall_cap)

    for game in play_games(cfg.board_type, cfg.num_players, specs(), plan.options.batch_games, stats):
        job = game.spec.tag
        search = search_entries(cfg.board_type, cfg.num_players, game.moves, game.searches,
                                game.final_state.options)
        row = game_row(game, plan.config, list(job.players), plan.source, job.seed, game_id=job.game_id,
                       started_at=started.pop(job.index), finished_at=datetime.now(timezone.utc), search=search)
        yield FinishedGame(job, row, seat_ranks(game.final_state))
