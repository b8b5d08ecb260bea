"""The boards and the twelve configs, as typed records: one place for every per-board fact.

    cfg = parse_config("hex8_3p")      # Config(name="hex8_3p", board=BOARDS["hex8"], num_players=3)
    cfg.board_type, cfg.num_players, cfg.rings_per_player, cfg.move_cap, cfg.policy_size

`Board.size` is the engine's geometry size (square side; hex: 2 * radius + 1 cells across).
`length_bounds` are the plausible game lengths in plies, bookkeeping moves included (the quality
check `game_length_bounds` warns outside them; the reference games fall well inside);
`move_cap` is twice the upper bound: games by agents that can repeat moves back and forth for ever
(two argmax policies) are abandoned unfinished there. `stall_cap` abandons such a game much sooner: no
ring placed, eliminated or collapsed for that many plies (`engine.state.progress_key`; the longest such
run in the reference games is 28 plies, on every board). `policy_size` is the size of the encoder's
action space for the board (`ringrift_lake.encoding`; a test keeps the two equal).
"""
from __future__ import annotations

from dataclasses import dataclass


STALL_PLIES = 200   # plies without progress before a game is abandoned (7x the reference games' longest)


@dataclass(frozen=True)
class Board:
    board_type: str
    size: int
    rings_per_player: int
    length_bounds: tuple[int, int]
    policy_size: int
    is_hex: bool

    @property
    def move_cap(self) -> int:
        return 2 * self.length_bounds[1]

    @property
    def stall_cap(self) -> int:
        return STALL_PLIES


BOARDS: dict[str, Board] = {b.board_type: b for b in (
    Board("square8", 8, 18, (20, 1500), 7049, False),
    Board("square19", 19, 72, (100, 6000), 71487, False),
    Board("hex8", 9, 18, (20, 1500), 7380, True),
    Board("hexagonal", 25, 96, (150, 8000), 116884, True),
)}
BOARD_TYPES = tuple(BOARDS)
PLAYER_COUNTS = (2, 3, 4)


@dataclass(frozen=True)
class Config:
    """One of the twelve configurations: a board and a player count (`square8_2p` ...)."""

    name: str
    board: Board
    num_players: int

    @property
    def board_type(self) -> str:
        return self.board.board_type

    @property
    def rings_per_player(self) -> int:
        return self.board.rings_per_player

    @property
    def move_cap(self) -> int:
        return self.board.move_cap

    @property
    def stall_cap(self) -> int:
        return self.board.stall_cap

    @property
    def length_bounds(self) -> tuple[int, int]:
        return self.board.length_bounds

    @property
    def policy_size(self) -> int:
        return self.board.policy_size

    def __str__(self) -> str:
        return self.name


CONFIGS: dict[str, Config] = {f"{b}_{n}p": Config(f"{b}_{n}p", BOARDS[b], n)
                              for b in BOARD_TYPES for n in PLAYER_COUNTS}


def parse_config(name: "str | Config") -> Config:
    """The record of a config name (a Config is returned as it is); ValueError listing the valid names."""
    if isinstance(name, Config):
        return name
    try:
        return CONFIGS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown config {name!r}; valid configs: {', '.join(CONFIGS)}") from None


def board_for(board_type: str) -> Board:
    try:
        return BOARDS[board_type]
    except KeyError:
        raise ValueError(f"unknown board type {board_type!r}; valid: {', '.join(BOARD_TYPES)}") from None
