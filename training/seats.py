"""Seats at a game table, and agents by player id (no torch import unless a network is asked for).

    make = agent_maker(lake, "model:square8_2p-...")   # seed -> agent; the network is loaded once
    agents = [make(seed + k) for k in range(num_players)]
    seats = [Seat(a, agents) for a in agents]          # each seat shows every position to the whole table
    play_game(board_type, num_players, seats, seed=seed)
"""
from __future__ import annotations


class Seat:
    """One seat at a table of agents: shows every pre-move position to all agents of the table that keep a
    history (`observe`), so a policy agent sees the same history frames as in training, then asks its own
    agent for the move."""

    def __init__(self, agent, table: list):
        self.agent, self.table = agent, table
        self.name = getattr(agent, "name", "agent")

    def show(self, state) -> None:
        for member in self.table:
            if hasattr(member, "observe"):
                member.observe(state)

    def select_move(self, state, legal):
        self.show(state)
        return self.agent.select_move(state, legal)


def agent_maker(lake, player: str, device: str = "cpu", **policy_options):
    """A function seed -> a fresh agent for `player` (a player id: `random`, `heuristic` or `model:<id>`;
    `device` auto | cpu | cuda[:k] for a network).
    A network is loaded (and verified) once and shared by every agent made; `policy_options`
    (temperature, sample_plies) go to each PolicyAgent."""
    from ringrift_lake.promotion.players import is_builtin
    from ringrift_lake.selfplay.worker import make_agent

    if is_builtin(player):
        return lambda seed: make_agent(player, seed)
    from training.loop import pick_device
    from training.policy_agent import PolicyAgent

    loaded = PolicyAgent.from_checkpoint(lake, player.removeprefix("model:"), device=str(pick_device(device)))
    return lambda seed: PolicyAgent(loaded.model, loaded.encoder, seed=seed, name=loaded.name, device=loaded.device,
                                    **policy_options)
