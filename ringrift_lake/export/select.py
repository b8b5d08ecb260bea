"""Which games an export encodes: a window over `games` (by ingest sequence) at fixed Delta versions.

The selection is a pure function of (config, window, table versions), so a dataset can be
rebuilt from its manifest by time travel. Workers get plain data (`GameToEncode`), never table
handles: delta-rs is only used in the parent process.
"""
from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import asdict, dataclass, field

import duckdb
import pyarrow.compute as pc

from engine import parse_config
from ringrift_lake import tables
from ringrift_lake.export.encode_games import GameToEncode, typed_or_json
from ringrift_lake.location import Lake
from ringrift_lake.records.ids import HELDOUT_SOURCE

MOVE_COLUMNS = ["type", "player", "from_key", "to_key", "target_key", "count", "move_json"]
GAME_COLUMNS = ["game_id", "ingest_seq", "num_moves", "winner", "rules_options", "status", "validation_mode",
                "source", "reason", "finished_at"]            # what --where may filter on besides ingest_seq


class SelectionError(ValueError):
    """The window selects nothing, or the lake's games and moves disagree."""


@dataclass(frozen=True)
class Window:
    """Newest N games or newest games holding at least N samples (one sample per move), after
    an optional SQL predicate on `ingest_seq` (e.g. "ingest_seq > 1200"); none = every game.
    Held-out games (source `heldout`: the fixed evaluation positions) are never in a training window;
    `heldout=True` selects them alone."""

    newest_games: int | None = None
    newest_samples: int | None = None
    where: str | None = None
    heldout: bool = False

    def __post_init__(self):
        if self.newest_games is not None and self.newest_samples is not None:
            raise ValueError("choose one of newest_games and newest_samples")
        for name in ("newest_games", "newest_samples"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ValueError(f"{name} must be positive, got {value}")

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Selection:
    config: str
    board_type: str
    num_players: int
    window: Window
    versions: dict[str, int]
    games: list[GameToEncode] = field(default_factory=list)

    @property
    def sample_count(self) -> int:
        return sum(len(g.moves) for g in self.games)

    def game_ids_sha256(self) -> str:
        return hashlib.sha256("\n".join(g.game_id for g in self.games).encode()).hexdigest()


def _window_rows(rows: list[dict], window: Window) -> list[dict]:
    rows = sorted(rows, key=lambda r: (r["ingest_seq"], r["game_id"]))
    if window.newest_games is not None:
        return rows[-window.newest_games:]
    if window.newest_samples is not None:
        total, start = 0, len(rows)
        while start > 0 and total < window.newest_samples:
            start -= 1
            total += rows[start]["num_moves"]
        return rows[start:]
    return rows


def _filtered_games(lake: Lake, config: str, window: Window, version: int) -> list[dict]:
    source = pc.field("source") == HELDOUT_SOURCE
    kept = source if window.heldout else ~source
    games = tables.read(lake, "games", columns=GAME_COLUMNS, filter=(pc.field("config") == config) & kept,
                        version=version)
    if window.where:
        con = duckdb.connect()
        con.register("games", games)
        games = con.execute(f"SELECT * FROM games WHERE ({window.where})").to_arrow_table()
        con.close()
    return games.to_pylist()


def select(lake: Lake, config: str, window: Window, versions: dict[str, int] | None = None) -> Selection:
    """The games (with their moves) of `window` for `config`, at `versions` (default: the current ones)."""
    cfg = parse_config(config)
    board_type, num_players = cfg.board_type, cfg.num_players
    if versions is None:
        versions = {name: tables.version(lake, name) for name in ("games", "moves")}
    if versions.get("games") is None or versions.get("moves") is None:
        raise SelectionError(f"the lake {lake.describe()} has no games/moves tables yet: consolidate games first")
    rows = _window_rows(_filtered_games(lake, config, window, versions["games"]), window)
    if not rows:
        raise SelectionError(f"no {config} games in the window {window.to_dict()} at games version {versions['games']}")
    bad = [r["game_id"] for r in rows if r["status"] != "completed"]
    if bad:
        raise SelectionError(f"{len(bad)} selected games are not completed, e.g. {bad[:3]}")
    ids = [r["game_id"] for r in rows]
    moves = tables.read(lake, "moves", columns=["game_id", "ply", *MOVE_COLUMNS, "visits_json", "search"],
                        filter=(pc.field("config") == config) & pc.field("game_id").isin(ids),
                        version=versions["moves"])
    moves = moves.sort_by([("game_id", "ascending"), ("ply", "ascending")])
    no_search = moves.column("search").null_count == moves.num_rows      # games without search: skip the structs
    moves = moves.drop_columns(["search"]).to_pydict() if no_search else moves.to_pydict()
    searches = itertools.repeat(None) if no_search else moves["search"]
    by_game: dict[str, tuple[list, list, list, list]] = {}
    columns = [moves[name] for name in MOVE_COLUMNS]
    for game_id, ply, visits, search, *typed in zip(moves["game_id"], moves["ply"], moves["visits_json"],
                                                    searches, *columns):
        entry = by_game.setdefault(game_id, ([], [], [], []))
        entry[0].append(ply)
        entry[1].append(typed_or_json(*typed))
        entry[2].append(visits)
        entry[3].append(search)
    selection = Selection(config, board_type, num_players, window, dict(versions))
    for r in rows:
        plies, game_moves, visits, search = by_game.get(r["game_id"], ([], [], [], []))
        if plies != list(range(1, r["num_moves"] + 1)):
            raise SelectionError(f"game {r['game_id']}: moves table has plies {plies[:5]}... for {r['num_moves']} moves")
        selection.games.append(GameToEncode(r["game_id"], r["ingest_seq"], r["winner"],
                                            json.loads(r["rules_options"] or "{}"), game_moves, visits,
                                            r["validation_mode"] or "strict",
                                            search if any(e is not None for e in search) else None, r["reason"]))
    return selection
