"""Selfplay into raw_games: the same player (or one per seat) in every game.

    report = run_selfplay(lake, "square8_2p", 200, player="heuristic", workers=2, seed=7)
    report = run_selfplay(lake, "square8_2p", 200, player="gumbel64:champion")      # search selfplay
    SelfplaySettings(config="hex8_2p", games=50, agent="gumbel", budget=16).run(lake)    # what the CLI runs

A network's raw policy samples its first 30 plies at temperature 1 and plays the argmax after; search
players add Gumbel noise at the root (`SELFPLAY_OPTIONS`). Game ids are `<config>-selfplay-<seed hex>-<index>`:
with an explicit seed a run is reproducible and a rerun adds nothing new; without one a random 48-bit
run seed is drawn (the run seed is a hash of the seed and the players: a new champion is a new run).
Games the engine does not finish within the board's move cap are not written.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from engine import parse_config
from ringrift_lake.knobs import knob
from ringrift_lake.location import Lake
from ringrift_lake.players import BUILTIN_AGENTS
from ringrift_lake.records.ids import run_seed_for
from training.play.agents import PlayOptions, resolve_player
from training.play.plan import selfplay_plan
from training.play.runner import PlayReport, run_plan

SELFPLAY_OPTIONS = PlayOptions(temperature=1.0, sample_plies=30, gumbel_noise=True)
AGENTS = (*BUILTIN_AGENTS, "policy", "gumbel")


def run_selfplay(lake: Lake, config: str, games: int, player: str = "random", workers: int = 1,
                 seed: int | None = None, batch_size: int = 50, source: str = "selfplay",
                 players: list[str] | None = None, options: PlayOptions = SELFPLAY_OPTIONS,
                 max_moves: int | None = None, progress: bool = True, flush_seconds: float = 5.0,
                 max_restarts: int = 3, journal: str | None = None, raise_on_failure: bool = True,
                 opening_plies: int = 0) -> PlayReport:
    """Play `games` games of `config` and append them to raw_games (see the module docstring).

    `players` names one player per seat (overrides `player`); `workers=0` plays in this process;
    `opening_plies` random moves (seeded by the game) start every game.
    """
    num_players = parse_config(config).num_players
    if games < 0:
        raise ValueError("games must be >= 0")
    names = players or [player] * num_players
    if len(names) != num_players:
        raise ValueError(f"{config}: {len(names)} players given for {num_players} seats")
    resolved = {name: resolve_player(lake, config, name) for name in set(names)}
    run_seed = run_seed_for(seed, [resolved[n].player_id for n in names])
    plan = replace(selfplay_plan(config, [resolved[n] for n in names], games, run_seed, source, options, max_moves),
                   opening_plies=opening_plies)
    return run_plan(lake, plan, workers=workers, batch_size=batch_size, flush_seconds=flush_seconds,
                    progress=progress, max_restarts=max_restarts, journal=journal, raise_on_failure=raise_on_failure)


@dataclass
class SelfplaySettings:
    """The knobs of `ringrift-lake selfplay` (one flag each) and of the Dagster selfplay resource."""

    config: str = knob("", "board config, e.g. square8_2p, hex8_3p, hexagonal_4p", required=True)
    games: int = knob(32, "number of games to play")
    agent: str = knob("random", "random | heuristic | policy (a network's raw policy) | gumbel (search)",
                      choices=AGENTS)
    model: str = knob("champion", "the network of --agent policy, the evaluator of --agent gumbel: champion | a "
                                  "model id | a .safetensors path | heuristic (gumbel only)")
    budget: int = knob(64, "search simulations per move (--agent gumbel)")
    seats: list[str] | None = knob(None, "one player per seat instead (overrides --agent), e.g. "
                                         "gumbel16:champion heuristic", metavar="PLAYER")
    workers: int = knob(1, "worker processes (0 = play in this process)")
    batch_games: int = knob(64, "games one worker plays at once (search evaluates one leaf of each per step)")
    seed: int | None = knob(None, "run seed: fixes game ids and seeds; a rerun adds nothing new")
    batch_size: int = knob(50, "games per commit")
    flush_seconds: float = knob(5.0, "commit at least this often (seconds)")
    source: str = knob("selfplay", "raw_games source column")
    max_restarts: int = knob(3, "restarts per worker that dies")
    journal: str | None = knob(None, "append one JSON line per commit (worker, version, game ids) to FILE",
                               metavar="FILE")
    max_moves: int | None = knob(None, "a game still running after this many moves is not written "
                                       "(default: the board's move cap)")
    device: str = knob("auto", "network device: auto | cpu | cuda[:k]")

    def players(self) -> list[str]:
        """The player of each seat, as `ringrift_lake.players` specs."""
        if self.seats:
            return list(self.seats)
        return [player_of(self.agent, self.model, self.budget)] * parse_config(self.config).num_players

    def run(self, lake: Lake, progress: bool = True) -> PlayReport:
        options = replace(SELFPLAY_OPTIONS, device=self.device, batch_games=self.batch_games)
        return run_selfplay(lake, self.config, self.games, workers=self.workers, seed=self.seed,
                            batch_size=self.batch_size, source=self.source, players=self.players(), options=options,
                            max_moves=self.max_moves, progress=progress, flush_seconds=self.flush_seconds,
                            max_restarts=self.max_restarts, journal=self.journal)


def player_of(agent: str, model: str = "champion", budget: int = 64) -> str:
    """The player spec of `--agent A --model M --budget N`."""
    if agent in BUILTIN_AGENTS:
        return agent
    base = model if model in ("champion", "heuristic") or model.startswith("model:") else f"model:{model}"
    if agent == "policy":
        if base == "heuristic":
            raise ValueError("--agent policy needs a network: --model champion | a model id | a checkpoint path")
        return base
    if agent == "gumbel":
        return f"gumbel{budget}:{base}"
    raise ValueError(f"unknown agent {agent!r}; agents: {', '.join(AGENTS)}")
