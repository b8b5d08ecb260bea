"""What a run of games plays: the jobs (one per game), who sits where, and how the games are recorded.

    plan = selfplay_plan("square8_2p", [heuristic] * 2, games=100, run_seed=42)
    plan = rotation_plan("square8_2p", "gauntlet", [candidate, opponent], games=40, run_seed=7)

Every game of a run has an index; its id and seed come from (config, source, run seed, index) alone
(`ringrift_lake.records.ids`), so a rerun with the same seed finds the games already committed. In a
rotation (gauntlets, matches) the first player takes each seat equally often: in game g it sits in
seat (g mod n) + 1 and the other players follow it in turn order, so in 2-player games seats alternate.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from engine import parse_config
from ringrift_lake.records.ids import game_id, game_seed, run_prefix
from training.play.agents import Player, PlayOptions

OPENING_RANDOM_PLIES_PER_PLAYER = 2   # rotations: seeded random opening moves per player, so that games
                                      # between (nearly) deterministic agents do not repeat


@dataclass(frozen=True)
class GameJob:
    index: int
    game_id: str
    seed: int
    players: tuple[str, ...]          # player id per seat
    group: str | None = None          # what the game counts for (the gauntlet opponent, the match)


@dataclass(frozen=True)
class PlayPlan:
    config: str
    source: str                       # raw_games.source: selfplay | gauntlet | match
    run_seed: int
    jobs: tuple[GameJob, ...]
    checkpoints: tuple[tuple[str, str | None], ...] = ()   # network player id -> checkpoint (model id or path)
    options: PlayOptions = field(default_factory=PlayOptions)
    max_moves: int | None = None      # None: the board's move cap
    opening_plies: int = 0            # seeded random moves at the start of every game
    record_matches: bool = False      # also one `matches` row per game (gauntlets, matches)
    write_unfinished: bool = False    # a game stopped at the move cap goes to raw_games too (and matches)
    match_group: str | None = None    # matches.gauntlet_id

    @property
    def id_prefix(self) -> str:
        return run_prefix(self.config, self.source, self.run_seed)

    @property
    def move_cap(self) -> int:
        return parse_config(self.config).move_cap if self.max_moves is None else self.max_moves

    def share(self, worker: int, workers: int) -> "PlayPlan":
        """The jobs worker `worker` of `workers` plays (every workers-th game)."""
        return replace(self, jobs=self.jobs[worker::workers])


def _checkpoints(players) -> tuple[tuple[str, str | None], ...]:
    seen = {p.player_id: p.checkpoint for p in players if p.checkpoint}
    return tuple(sorted(seen.items()))


def _job(config: str, source: str, run_seed: int, index: int, players: tuple[str, ...], group=None) -> GameJob:
    return GameJob(index, game_id(config, source, run_seed, index), game_seed(config, source, run_seed, index),
                   players, group)


def selfplay_plan(config: str, seat_players: list[Player], games: int, run_seed: int, source: str = "selfplay",
                  options: PlayOptions = PlayOptions(), max_moves: int | None = None) -> PlayPlan:
    """`games` games with the same player in each seat every time (selfplay); unfinished games are
    reported, not written."""
    num_players = parse_config(config).num_players
    if len(seat_players) != num_players:
        raise ValueError(f"{config}: {len(seat_players)} players given for {num_players} seats")
    ids = tuple(p.player_id for p in seat_players)
    jobs = tuple(_job(config, source, run_seed, i, ids) for i in range(games))
    return PlayPlan(config, source, run_seed, jobs, _checkpoints(seat_players), options, max_moves)


def rotation_seats(first: int, players: list[str], num_players: int) -> tuple[str, ...]:
    """Seat order of a rotation game: `players[0]` in seat `first` (1-based), the others after it in
    turn order (one opponent fills every other seat when two players meet in a 3-4 player game)."""
    others = players[1:] or players[:1]
    order = [players[0]] + [others[k % len(others)] for k in range(num_players - 1)]
    return tuple(order[(seat - first) % num_players] for seat in range(1, num_players + 1))


def rotation_jobs(config: str, source: str, run_seed: int, players: list[str], games: int, start: int = 0,
                  group: str | None = None) -> list[GameJob]:
    """`games` games (rounded up to a multiple of the player count) rotating `players[0]` through the
    seats; indexes from `start`."""
    num_players = parse_config(config).num_players
    games = -(-games // num_players) * num_players
    return [_job(config, source, run_seed, start + g, rotation_seats(g % num_players + 1, players, num_players),
                 group) for g in range(games)]


def rotation_plan(config: str, source: str, players: list[Player], games: int, run_seed: int,
                  group: str | None = None, options: PlayOptions = PlayOptions(),
                  max_moves: int | None = None, match_group: str | None = None) -> PlayPlan:
    """A match between `players` (its first player against the rest) recorded in raw_games and matches."""
    num_players = parse_config(config).num_players
    jobs = rotation_jobs(config, source, run_seed, [p.player_id for p in players], games, 0, group)
    return PlayPlan(config, source, run_seed, tuple(jobs), _checkpoints(players), options, max_moves,
                    OPENING_RANDOM_PLIES_PER_PLAYER * num_players, record_matches=True, write_unfinished=True,
                    match_group=match_group)
