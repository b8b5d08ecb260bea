"""What the importers' readers yield: a raw_games row, or a bad record; and file-level failures.

A reader yields ``dict`` rows (built with ``selfplay.game_row``) and
``BadRecord`` values for records it could not turn into a row. A bad record
is quarantined (reason ``schema_error``, with the payload) and named in the
report by file and record (``line 17`` / ``game 3f2a…``); the file's other
records are still imported. ``ImportFileError`` means the file cannot be
read (not gzip, not SQLite, wrong schema): the records read before the
failure are kept, the other files are imported. ``TruncatedFileError`` (one
of them) names the last complete line of a file cut short.
"""
from __future__ import annotations

from dataclasses import dataclass


class ImportFileError(Exception):
    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path


class TruncatedFileError(ImportFileError):
    """The file ends in the middle of its data (a gzip stream cut short): every complete line before the
    cut was read and kept; ``last_line`` is the last of them (0: none)."""

    def __init__(self, path: str, last_line: int, cause: str):
        where = f"after line {last_line}, the last complete one" if last_line else "before its first complete line"
        super().__init__(path, f"truncated {where} ({cause}); lines 1..{last_line} were kept")
        self.last_line = last_line


@dataclass
class BadRecord:
    path: str
    record: str                 # "line 17", "game 3f2a...", "after line 40"
    message: str
    payload: str                # the raw record text (JSON) as read
    game_id: str | None = None  # from the record when readable
    config: str | None = None
    reason: str = "schema_error"

    def describe(self) -> str:
        return f"{self.path}: {self.record}: {self.message}"


@dataclass
class ImportedGame:
    """The attributes ``game_row`` reads from a played game, for games played elsewhere."""

    moves_json: list
    status: str
    winner: int | None
    reason: str | None


def require(record: dict, key: str, kinds, what: str | None = None):
    """record[key] if it has one of the types ``kinds``; ValueError naming the field otherwise."""
    if key not in record:
        raise ValueError(f"missing field {key!r}")
    value = record[key]
    if not isinstance(value, kinds) or isinstance(value, bool) and bool not in _as_tuple(kinds):
        raise ValueError(f"field {key!r} should be {what or _names(kinds)}, got {type(value).__name__}")
    return value


def _as_tuple(kinds) -> tuple:
    return kinds if isinstance(kinds, tuple) else (kinds,)


def _names(kinds) -> str:
    return " or ".join("null" if k is type(None) else k.__name__ for k in _as_tuple(kinds))


def check_moves(moves: list, num_players: int) -> None:
    """Every move is an object with a string type and a seat number (deeper checks are the engine's)."""
    for ply, move in enumerate(moves, start=1):
        if not isinstance(move, dict):
            raise ValueError(f"move {ply} is not an object")
        if not isinstance(move.get("type"), str):
            raise ValueError(f"move {ply} has no type")
        player = move.get("player")
        if not isinstance(player, int) or isinstance(player, bool) or not 1 <= player <= num_players:
            raise ValueError(f"move {ply} has player {player!r}, not a seat 1..{num_players}")


def check_winner(winner, num_players: int) -> None:
    """A winner is a seat or null (draw / unknown: consolidation decides)."""
    if winner is not None and not 1 <= winner <= num_players:
        raise ValueError(f"winner {winner} is not a seat 1..{num_players}")
